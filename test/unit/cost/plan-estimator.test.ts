import { describe, expect, it } from 'vitest';
import { planFromCostInputs } from '../../../src/cost/from-plan.js';
import { estimateMigration } from '../../../src/cost/migration.js';
import { fullModelEstimator } from '../../../src/cost/plan-estimator.js';
import type { CostInputs } from '../../../src/manifest/plan-estimate.js';

const tally = (objects: number, bytes: number) => ({ objects, bytes });
const inputs = (region: string, bucketKey: boolean): CostInputs => ({
  region,
  bucketKey,
  versioned: true,
  routes: {
    update: { ...tally(0, 0), byStorageClass: {}, fromSseKms: tally(0, 0) },
    copy: {
      ...tally(1_000_000, 1_000_000 * 1024 ** 2),
      byStorageClass: {
        STANDARD: tally(900_000, 900_000 * 1024 ** 2),
        STANDARD_IA: tally(100_000, 100_000 * 1024 ** 2),
      },
      fromSseKms: tally(0, 0),
    },
    multipart: { ...tally(0, 0), byStorageClass: {}, fromSseKms: tally(0, 0) },
  },
  skipped: tally(10, 10),
  blocked: tally(0, 0),
  jobs: 1,
  tasks: 1_000_000,
});

describe('plan.json cost estimator', () => {
  it.each([true, false])('reports the cost model total for Bucket Key %s, line by line', (bucketKey) => {
    // Prepare
    const i = inputs('eu-west-2', bucketKey);
    const model = estimateMigration(planFromCostInputs(i), {
      region: 'eu-west-2',
      fallbackRegion: 'us-east-1',
      bucketKey,
      hints: true,
      deletePriorVersion: false,
    });
    // Act
    const e = fullModelEstimator({ hints: true, deletePriorVersion: false })(i);
    // Assess
    const chosen = model[bucketKey ? 'withBucketKeys' : 'withoutBucketKeys'];
    expect(e.total).toBe(chosen.oneTimeUsd);
    expect(e.total).toBeGreaterThan(0);
    expect(e.lines.map((l) => l.usd)).toEqual(chosen.lines.map((l) => l.usd));
    expect(e.model).toContain(bucketKey ? 'with Bucket Keys' : 'without Bucket Keys');
  });

  it('prices a Region without a table with us-east-1 and says so', () => {
    const e = fullModelEstimator({ hints: true, deletePriorVersion: false })(inputs('ap-south-2', true));
    expect(e.total).toBeGreaterThan(0);
    expect(e.notes.join(' ')).toContain('no price table for ap-south-2');
  });
});
