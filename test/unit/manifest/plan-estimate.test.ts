import { describe, expect, it } from 'vitest';
import { classifyRow } from '../../../src/inventory/filter.js';
import { StatsCollector } from '../../../src/inventory/stats.js';
import { costInputsFromStats, estimateKmsRequests } from '../../../src/manifest/plan-estimate.js';
import { anInventoryRow, selectionOptions } from '../../helpers/inventory.js';

function stats() {
  const s = new StatsCollector();
  const o = selectionOptions({ updateAvailable: false, multipartThresholdBytes: 100 });
  for (const r of [
    anInventoryRow({ key: 'a', encryption: 'SSE-S3', size: 10 }),
    anInventoryRow({
      key: 'b',
      encryption: 'SSE-KMS',
      bucketKey: 'DISABLED',
      size: 20,
      storageClass: 'STANDARD_IA',
    }),
    anInventoryRow({ key: 'c', encryption: 'NOT-SSE', size: 1000 }),
    anInventoryRow({ key: 'd', encryption: 'SSE-KMS', bucketKey: 'ENABLED', size: 5 }),
  ])
    s.add(r, classifyRow(r, o));
  return s.toJSON();
}

describe('costInputsFromStats', () => {
  it('structures counts per route and storage class, with SSE-KMS sources apart', () => {
    // Act
    const inputs = costInputsFromStats(stats(), {
      region: 'eu-west-2',
      bucketKey: true,
      versioned: false,
      jobs: 1,
      tasks: 3,
    });
    // Assess
    expect(inputs.routes.copy).toEqual({
      objects: 2,
      bytes: 30,
      byStorageClass: { STANDARD: { objects: 1, bytes: 10 }, STANDARD_IA: { objects: 1, bytes: 20 } },
      fromSseKms: { objects: 1, bytes: 20 },
    });
    expect(inputs.routes.multipart).toMatchObject({ objects: 1, bytes: 1000 });
    expect(inputs.skipped).toEqual({ objects: 1, bytes: 5 });
    expect(inputs).toMatchObject({ region: 'eu-west-2', jobs: 1, tasks: 3, versioned: false });
  });
});

describe('estimateKmsRequests', () => {
  it('counts one target-key request per object written plus one Decrypt per SSE-KMS source', () => {
    // Act
    const e = estimateKmsRequests(
      costInputsFromStats(stats(), {
        region: 'us-east-1',
        bucketKey: false,
        versioned: false,
        jobs: 1,
        tasks: 3,
      }),
    );
    // Assess: 2 copies + multipart (1 start + 1 part) = 4 target requests; 1 SSE-KMS source
    expect(e.lines.map((l) => l.quantity)).toEqual([4, 1]);
    expect(e.total).toBeCloseTo(5 * 0.000003, 12);
    expect(e.model).toBe('kms-requests-only');
  });

  it('assumes Bucket Keys remove most target-key requests', () => {
    const e = estimateKmsRequests(
      costInputsFromStats(stats(), {
        region: 'us-east-1',
        bucketKey: true,
        versioned: false,
        jobs: 1,
        tasks: 3,
      }),
    );
    expect(e.lines[0]?.quantity).toBe(1);
  });
});
