/**
 * Fidelity corpus against moto over HTTP: every object shape is re-encrypted by the handler and every
 * attribute, plus the SHA-256 of the bytes, is compared before and after, field by field. moto is a
 * custom endpoint, so everything goes the copy route (the update route is covered with the proxy).
 */
import { RestoreObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CHANGED_BY_COPY,
  diffFingerprints,
  fidelityCorpus,
  fingerprint,
  type ObjectFingerprint,
  type ObjectShape,
  type PutResult,
  putShape,
} from '../../helpers/objects.js';
import { motoClients, newKmsKey } from '../../support/aws.js';
import { eventV2 } from '../../unit/reencrypt/support/events.js';
import { bucketsByKind, motoHandler, ownerIdOf, parsedResults, readerClient } from './support.js';

const { s3, kms } = motoClients();
const reader = readerClient();

interface Case {
  readonly shape: ObjectShape;
  readonly bucket: string;
  readonly put: PutResult;
  readonly before: ObjectFingerprint;
  readonly olderBefore: readonly ObjectFingerprint[];
  after?: ObjectFingerprint;
  olderAfter?: readonly ObjectFingerprint[];
  code?: string;
  route?: string;
}

// moto recomputes a CRC32C or CRC64NVME checksum with CRC32 when it copies (moto-gaps.test.ts shows it);
// for those shapes the algorithm is compared, the value is not.
const MOTO_CHECKSUM_GAP = new Set(['CRC32C', 'CRC64NVME']);

let targetKeyArn: string;
const cases = new Map<string, Case>();

beforeAll(async () => {
  // Prepare: keys, one bucket per kind, every shape written in parallel, fingerprinted
  const [target, other, buckets] = await Promise.all([
    newKmsKey(kms, 'target'),
    newKmsKey(kms, 'other'),
    bucketsByKind(s3),
  ]);
  targetKeyArn = target;
  const ownerId = await ownerIdOf(s3, buckets.aclOwnerPreferred);
  const shapes = fidelityCorpus({ target, other, ownerId }, new Date(Date.now() + 2 * 86_400_000));
  await Promise.all(
    shapes.map(async (shape) => {
      const bucket = buckets[shape.bucket];
      const put = await putShape(s3, bucket, shape);
      const [before, ...olderBefore] = await Promise.all([
        fingerprint(s3, bucket, shape.key, {
          grants: true,
          ...(put.versionId ? { versionId: put.versionId } : {}),
        }),
        ...put.olderVersionIds.map((versionId) =>
          fingerprint(s3, bucket, shape.key, { versionId, grants: true }),
        ),
      ]);
      cases.set(shape.name, { shape, bucket, put, before: before!, olderBefore });
    }),
  );
  // Act: one Batch invocation with every object as a task, as the local engine would send it
  const all = [...cases.values()];
  const event = eventV2(
    all.map((c) => ({
      bucket: c.bucket,
      key: c.shape.key,
      versionId: c.put.versionId ?? null,
      taskId: c.shape.name,
    })),
    { targetKeyArn },
  );
  const response = await motoHandler(s3, targetKeyArn).handler(event, {
    getRemainingTimeInMillis: () => 900_000,
  });
  for (const r of parsedResults(response)) {
    const c = cases.get(r.taskId)!;
    c.code = r.code;
    c.route = r.result.route;
  }
  await Promise.all(
    all.map(async (c) => {
      // A copy of a restored archived object is archived again (S3 too): restore it to read its bytes.
      if (c.shape.restore)
        await s3.send(
          new RestoreObjectCommand({ Bucket: c.bucket, Key: c.shape.key, RestoreRequest: { Days: 1 } }),
        );
      c.after = await fingerprint(reader, c.bucket, c.shape.key, { grants: true });
      c.olderAfter = await Promise.all(
        c.put.olderVersionIds.map((versionId) =>
          fingerprint(reader, c.bucket, c.shape.key, { versionId, grants: true }),
        ),
      );
    }),
  );
}, 120_000);

const names = fidelityCorpus({ target: 't', other: 'o' }, new Date()).map((s) => s.name);

describe('fidelity corpus (moto)', () => {
  it('has at least 20 shapes', () => {
    expect(names.length).toBeGreaterThanOrEqual(20);
  });

  it.each(names)('re-encrypts "%s" keeping the bytes and every attribute', (name) => {
    const c = cases.get(name)!;
    const after = c.after!;
    const compliantBefore = name === 'already compliant';
    // Assess: the task
    expect(c.code).toBe('Succeeded');
    expect(c.route).toBe(compliantBefore ? 'skip' : 'copy');
    // Assess: encryption is the target's, and nothing else changed but what S3 changes on a copy
    expect(after.encryption).toEqual({ algorithm: 'aws:kms', kmsKeyId: targetKeyArn, bucketKey: true });
    expect(after.sha256).toBe(c.before.sha256);
    // A multipart source's composite checksum becomes a full-object one: a single-part copy (S3 too).
    const composite = c.shape.multipartPartBytes !== undefined;
    const gap = c.before.checksum !== undefined && MOTO_CHECKSUM_GAP.has(c.before.checksum.algorithm);
    const ignore = [...CHANGED_BY_COPY, ...(gap || composite ? (['checksum'] as const) : [])];
    expect(diffFingerprints(c.before, after, ignore)).toEqual([]);
    if (gap || composite) expect(after.checksum?.algorithm).toBe(c.before.checksum?.algorithm);
    if (composite) expect(after.checksum?.value).toBe(Buffer.from(after.sha256, 'hex').toString('base64'));
    if (compliantBefore) {
      // Assess: never written
      expect(diffFingerprints(c.before, after, [])).toEqual([]);
    } else if (c.put.versionId) {
      expect(after.versionId).not.toBe(c.before.versionId);
    }
  });

  it('leaves older versions exactly as they were', () => {
    const c = cases.get('versioned object with several versions')!;
    expect(c.olderBefore).toHaveLength(2);
    expect(c.olderAfter).toEqual(c.olderBefore);
  });

  it('carries ACL grants beyond the owner’s', () => {
    for (const name of [
      'ACL grants (ObjectWriter bucket)',
      'ACL grants to groups (BucketOwnerPreferred bucket)',
    ]) {
      const c = cases.get(name)!;
      expect(c.before.grants!.length).toBeGreaterThan(1);
      expect(c.after!.grants).toEqual(c.before.grants);
    }
  });
});
