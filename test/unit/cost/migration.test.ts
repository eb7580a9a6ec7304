import { describe, expect, it } from 'vitest';
import { InvalidCostInputError } from '../../../src/cost/errors.js';
import type { LineItem } from '../../../src/cost/line-item.js';
import { estimateMigration } from '../../../src/cost/migration.js';
import { estimateRun } from '../../../src/cost/run.js';

const GiB = 1024 ** 3;
const byId = (lines: readonly LineItem[]) => Object.fromEntries(lines.map((l) => [l.id, l]));

describe('estimateMigration', () => {
  it('prices one million SSE-S3 objects copied in place in us-east-1', () => {
    // Prepare: 1,000,000 STANDARD objects, 1 TiB, unversioned, copy route, no hints, Lambda 200 ms/object at
    // 1024 MB arm64 (no per-GiB time).
    // Arithmetic:
    //   reads  (1,000,000 HEAD + 1,000,000 tag reads) = 2,000,000 × $0.0004 / 1,000 = $0.80
    //   writes 1,000,000 CopyObject × $0.005 / 1,000                              = $5.00
    //   KMS    1,000,000 GenerateDataKey × $0.03 / 10,000 = $3.00; with Bucket Keys ceil(1,000,000 × 0.01)
    //          = 10,000 × $0.03 / 10,000 = $0.03
    //   Batch  1 job × $0.25 + 1,000,000 objects × $1 / 1,000,000                 = $1.25
    //   Lambda 1,000,000 invocations × $0.20 / 1,000,000 = $0.20;
    //          200,000,000 ms / 1000 × 1024 / 1024 = 200,000 GB-s × $0.0000133334 = $2.66668
    //   total without Bucket Keys 0.80 + 5.00 + 3.00 + 1.25 + 0.20 + 2.66668 = $12.91668; with: $9.94668
    // Act
    const e = estimateMigration(
      { groups: [{ route: 'copy', objects: 1_000_000, bytes: 1024 * GiB, sourceEncryption: 'SSE-S3' }] },
      {
        lambda: {
          msPerObject: { skip: 0, update: 0, copy: 200, multipart: 0, blocked: 0 },
          msPerGiB: { skip: 0, update: 0, copy: 0, multipart: 0, blocked: 0 },
        },
      },
    );
    // Assess
    const l = byId(e.withoutBucketKeys.lines);
    expect(l['s3.reads.STANDARD']?.usd).toBeCloseTo(0.8, 10);
    expect(l['s3.writes.STANDARD']?.usd).toBeCloseTo(5, 10);
    expect(l['kms.target-key-requests']?.usd).toBeCloseTo(3, 10);
    expect(l['kms.source-key-requests']).toBeUndefined();
    expect(l['batch.jobs']?.usd).toBe(0.25);
    expect(l['batch.objects']?.usd).toBe(1);
    expect(l['lambda.requests']?.usd).toBeCloseTo(0.2, 10);
    expect(l['lambda.duration']?.quantity).toBe(200_000);
    expect(l['lambda.duration']?.usd).toBeCloseTo(2.66668, 10);
    expect(l['s3.retrieval.STANDARD']).toBeUndefined();
    expect(e.withoutBucketKeys.oneTimeUsd).toBeCloseTo(12.91668, 9);
    expect(e.withBucketKeys.oneTimeUsd).toBeCloseTo(9.94668, 9);
    expect(e.withoutBucketKeys.monthlyUsd).toBe(0);
  });

  it('prices a versioned eu-west-2 bucket with update, IA copy and multipart routes', () => {
    // Prepare (eu-west-2, versioned, hints so no HEAD, Lambda 512 MB arm64, part size 512 MiB):
    //   update    2,000,000 SSE-S3 STANDARD objects, 2,000 GiB
    //   copy         10,000 NOT-SSE STANDARD_IA objects, 10 GiB
    //   multipart        10 SSE-KMS STANDARD objects of 10 GiB → ceil(10 GiB / 512 MiB) = 20 parts each = 200
    // Arithmetic:
    //   UpdateObjectEncryption 2,000,000 × $0.0053 / 1,000                  = $10.60
    //   STANDARD reads  10 tag reads × $0.00042 / 1,000                      = $0.0000042
    //   STANDARD writes (10 × 2 + 200) = 220 × $0.0053 / 1,000               = $0.001166
    //   IA reads 10,000 × $0.001 / 1,000 = $0.01; IA writes 10,000 × $0.01 / 1,000 = $0.10
    //   IA retrieval 10 GB × $0.01 = $0.10
    //   KMS target (2,000,000 + 10,000 + 10 + 200) = 2,010,210 × $0.03 / 10,000 = $6.03063
    //   KMS source (SSE-KMS multipart, per part) 200 × $0.03 / 10,000          = $0.0006
    //   Batch $0.25 + 2,010,010 × $1 / 1,000,000                               = $2.26001
    //   Lambda 2,010,010 × $0.20 / 1,000,000 = $0.402002;
    //          (2,000,000 × 50 + 10,000 × 100 + 10 × 60,000) ms = 101,600,000 ms → 101,600 s × 0.5 GB
    //          = 50,800 GB-s × $0.0000133334 = $0.67733672
    //   one-time total 10.60 + 0.0000042 + 0.001166 + 0.01 + 0.10 + 0.10 + 6.03063 + 0.0006 + 2.26001
    //                  + 0.402002 + 0.67733672 = $20.18174892
    //   monthly: old versions kept: IA max(10 GiB, 10,000 × 128 KiB) = 10 GB × $0.0131 = $0.131;
    //            STANDARD 100 GB × $0.024 = $2.40 → $2.531 a month
    // Act
    const e = estimateMigration(
      {
        versioned: true,
        groups: [
          { route: 'update', objects: 2_000_000, bytes: 2000 * GiB, sourceEncryption: 'SSE-S3' },
          {
            route: 'copy',
            objects: 10_000,
            bytes: 10 * GiB,
            storageClass: 'STANDARD_IA',
            sourceEncryption: 'NOT-SSE',
          },
          { route: 'multipart', objects: 10, bytes: 100 * GiB, sourceEncryption: 'SSE-KMS' },
        ],
      },
      {
        region: 'eu-west-2',
        hints: true,
        lambda: {
          memoryMb: 512,
          msPerObject: { skip: 0, update: 50, copy: 100, multipart: 60_000, blocked: 0 },
          msPerGiB: { skip: 0, update: 0, copy: 0, multipart: 0, blocked: 0 },
        },
      },
    );
    // Assess
    const l = byId(e.withoutBucketKeys.lines);
    expect(l['s3.update-object-encryption']?.usd).toBeCloseTo(10.6, 10);
    expect(l['s3.reads.STANDARD']?.quantity).toBe(10);
    expect(l['s3.writes.STANDARD']?.quantity).toBe(220);
    expect(l['s3.writes.STANDARD']?.usd).toBeCloseTo(0.001166, 12);
    expect(l['s3.reads.STANDARD_IA']?.usd).toBeCloseTo(0.01, 10);
    expect(l['s3.writes.STANDARD_IA']?.usd).toBeCloseTo(0.1, 10);
    expect(l['s3.retrieval.STANDARD_IA']?.usd).toBeCloseTo(0.1, 10);
    expect(l['kms.target-key-requests']?.quantity).toBe(2_010_210);
    expect(l['kms.source-key-requests']?.quantity).toBe(200);
    expect(l['batch.objects']?.quantity).toBe(2_010_010);
    expect(l['lambda.duration']?.usd).toBeCloseTo(0.67733672, 10);
    expect(l['storage.noncurrent.STANDARD_IA']?.usd).toBeCloseTo(0.131, 10);
    expect(l['storage.noncurrent.STANDARD']?.usd).toBeCloseTo(2.4, 10);
    expect(l['storage.early-deletion.STANDARD_IA']).toBeUndefined();
    expect(e.withoutBucketKeys.oneTimeUsd).toBeCloseTo(20.18174892, 8);
    expect(e.withoutBucketKeys.monthlyUsd).toBeCloseTo(2.531, 10);
    expect(e.usesUnconfirmedPrices).toBe(true);
    expect(e.sources).toContain('UNCONFIRMED');
  });

  it('charges the rest of the minimum duration when Glacier IR objects are rewritten by copy', () => {
    // Prepare: us-east-1, unversioned, 1,000 GLACIER_IR objects of 1 GiB, 30 days old; Lambda time not checked.
    // Arithmetic:
    //   early deletion 1,000 GB × (90 − 30) days / 30 = 2,000 GB-month × $0.004 = $8.00
    //   retrieval      1,000 GB × $0.03                                         = $30.00
    //   writes         1,000 × $0.02 / 1,000                                    = $0.02
    //   reads          (1,000 HEAD + 1,000 tag reads) × $0.01 / 1,000           = $0.02
    // Act
    const e = estimateMigration(
      { groups: [{ route: 'copy', objects: 1000, bytes: 1000 * GiB, storageClass: 'GLACIER_IR' }] },
      { objectAgeDays: 30 },
    );
    // Assess
    const l = byId(e.withoutBucketKeys.lines);
    expect(l['storage.early-deletion.GLACIER_IR']?.quantity).toBeCloseTo(2000, 10);
    expect(l['storage.early-deletion.GLACIER_IR']?.usd).toBeCloseTo(8, 10);
    expect(l['storage.early-deletion.GLACIER_IR']?.recurrence).toBe('one-time');
    expect(l['s3.retrieval.GLACIER_IR']?.usd).toBeCloseTo(30, 10);
    expect(l['s3.writes.GLACIER_IR']?.usd).toBeCloseTo(0.02, 10);
    expect(l['s3.reads.GLACIER_IR']?.usd).toBeCloseTo(0.02, 10);
  });

  it('bills small Standard-IA objects at the 128 KiB minimum size', () => {
    // Prepare: 1,024 objects of 1 KiB (1 MiB in all) copied in place, unversioned, deletePriorVersion irrelevant.
    // Arithmetic: billed max(1 MiB, 1,024 × 128 KiB = 128 MiB) = 0.125 GB × 30 days / 30 × $0.0125 = $0.0015625
    // Act
    const e = estimateMigration({
      groups: [{ route: 'copy', objects: 1024, bytes: 1024 * 1024, storageClass: 'STANDARD_IA' }],
    });
    // Assess
    const l = byId(e.withoutBucketKeys.lines);
    expect(l['storage.early-deletion.STANDARD_IA']?.inputs.billedBytes).toBe(128 * 1024 * 1024);
    expect(l['storage.early-deletion.STANDARD_IA']?.usd).toBeCloseTo(0.0015625, 12);
  });

  it('charges early deletion instead of old-version storage when prior versions are deleted', () => {
    // Act
    const e = estimateMigration(
      { versioned: true, groups: [{ route: 'copy', objects: 1, bytes: GiB, storageClass: 'STANDARD_IA' }] },
      { deletePriorVersion: true },
    );
    // Assess
    const ids = e.withoutBucketKeys.lines.map((l) => l.id);
    expect(ids).toContain('storage.early-deletion.STANDARD_IA');
    expect(ids).not.toContain('storage.noncurrent.STANDARD_IA');
  });

  it('costs nothing for skipped objects except the HEAD, Batch and Lambda overhead', () => {
    // Act
    const e = estimateMigration({ groups: [{ route: 'skip', objects: 1000, bytes: GiB }] });
    // Assess
    const cats = new Set(e.withoutBucketKeys.lines.map((l) => l.category));
    expect(cats).toEqual(new Set(['s3-requests', 'batch', 'lambda']));
  });

  it.each([
    ['groups[0].route', { route: 'move', objects: 1, bytes: 1 }],
    ['groups[0].storageClass', { route: 'copy', objects: 1, bytes: 1, storageClass: 'REDUCED_REDUNDANCY' }],
    ['groups[0].objects', { route: 'copy', objects: -5, bytes: 1 }],
  ])('names the bad plan field %s', (field, group) => {
    // Act / Assess
    expect(() => estimateMigration({ groups: [group as never] })).toThrow(InvalidCostInputError);
    expect(() => estimateMigration({ groups: [group as never] })).toThrow(field);
  });
});

describe('estimateRun', () => {
  it('uses the measured tasks, invocations and Lambda time of a run', () => {
    // Prepare: 1,000 tasks (10 failed, so 990 objects in groups); 1,200 invocations (redrives);
    // 360,000 ms measured at 1024 MB.
    // Arithmetic: Batch objects 1,000 × $1 / 1,000,000 = $0.001; Lambda requests 1,200 × $0.20 / 1,000,000
    // = $0.00024; duration 360 GB-s × $0.0000133334 = $0.004800024.
    // Act
    const e = estimateRun({
      tasks: 1000,
      lambdaInvocations: 1200,
      lambdaMs: 360_000,
      groups: [
        { route: 'copy', objects: 900, bytes: GiB },
        { route: 'skip', objects: 90, bytes: GiB },
      ],
    });
    // Assess
    const l = byId(e.withoutBucketKeys.lines);
    expect(e.kind).toBe('run');
    expect(l['batch.objects']?.quantity).toBe(1000);
    expect(l['lambda.requests']?.quantity).toBe(1200);
    expect(l['lambda.duration']?.quantity).toBe(360);
    expect(l['lambda.duration']?.usd).toBeCloseTo(0.004800024, 12);
    expect(l['kms.target-key-requests']?.quantity).toBe(900);
    expect(e.assumptions.map((a) => a.name)).not.toContain('lambda.msPerObject');
  });
});
