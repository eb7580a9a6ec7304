import { describe, expect, it } from 'vitest';
import { planFromCostInputs } from '../../../src/cost/from-plan.js';
import { estimateMigration } from '../../../src/cost/migration.js';
import type { CostInputs } from '../../../src/manifest/plan-estimate.js';

const GiB = 1024 ** 3;
const tally = (objects: number, bytes: number) => ({ objects, bytes });

const inputs: CostInputs = {
  region: 'us-east-1',
  bucketKey: false,
  versioned: false,
  jobs: 1,
  tasks: 1_300,
  routes: {
    update: {
      ...tally(1000, 1000 * GiB),
      byStorageClass: { STANDARD: tally(1000, 1000 * GiB) },
      fromSseKms: tally(400, 0),
    },
    copy: {
      ...tally(300, 3 * GiB),
      byStorageClass: { STANDARD: tally(200, 2 * GiB), REDUCED_REDUNDANCY: tally(100, GiB) },
      fromSseKms: tally(3, 0),
    },
    multipart: { ...tally(0, 0), byStorageClass: {}, fromSseKms: tally(0, 0) },
  },
  skipped: tally(50, GiB),
  blocked: tally(0, 0),
};

describe('planFromCostInputs', () => {
  it('makes one group per route and class, spreading SSE-KMS sources exactly', () => {
    // Act
    const plan = planFromCostInputs(inputs);
    // Assess
    expect(plan.groups).toEqual([
      { route: 'update', objects: 1000, bytes: 1000 * GiB, storageClass: 'STANDARD', sseKmsObjects: 400 },
      { route: 'copy', objects: 200, bytes: 2 * GiB, storageClass: 'STANDARD', sseKmsObjects: 2 },
      { route: 'copy', objects: 100, bytes: GiB, storageClass: 'STANDARD', sseKmsObjects: 1 },
      { route: 'skip', objects: 50, bytes: GiB },
    ]);
    expect(plan.substitutedClasses).toEqual(['REDUCED_REDUNDANCY']);
  });

  it('feeds the estimator: source Decrypts equal the inventory’s SSE-KMS count', () => {
    // Arithmetic: target 1,000 updates + 300 copies = 1,300; source 400 + 3 = 403.
    // Act
    const e = estimateMigration(planFromCostInputs(inputs), {
      region: inputs.region,
      bucketKey: inputs.bucketKey,
    });
    // Assess
    const kms = Object.fromEntries(
      e.withoutBucketKeys.lines.filter((l) => l.category === 'kms').map((l) => [l.id, l.quantity]),
    );
    expect(kms).toEqual({ 'kms.target-key-requests': 1300, 'kms.source-key-requests': 403 });
    expect(e.chosen).toBe('withoutBucketKeys');
  });
});
