import { describe, expect, it } from 'vitest';
import { estimatedKmsRequests, runCost, runCountsFromSummary } from '../../../src/report/cost.js';
import type { ReportSummary } from '../../../src/report/summary.js';

const route = (objects: number, bytes: number, sseKmsSources = 0) => ({ objects, bytes, sseKmsSources });
const summary = {
  jobId: 'j',
  tasks: { total: 1010, succeeded: 1000, failed: 10, retryable: 4, withVersionId: 1010 },
  routes: {
    skip: route(100, 100),
    update: route(0, 0),
    copy: route(890, 890 * 1024, 90),
    multipart: route(10, 10 * 6 * 1024 ** 3),
    blocked: route(2, 20),
  },
  multipartParts: 120,
  lambda: { invocations: 1030, taskMs: 2_000_000, maxTaskMs: 60_000 },
} as unknown as ReportSummary;

describe('run cost from a report summary', () => {
  it('turns routes into cost groups with the measured parts, Lambda time and versioning', () => {
    // Act
    const counts = runCountsFromSummary(summary, 'STANDARD_IA');
    // Assess
    expect(counts).toEqual({
      tasks: 1010,
      jobs: 1,
      versioned: true,
      lambdaInvocations: 1030,
      lambdaMs: 2_000_000,
      groups: [
        { route: 'skip', objects: 100, bytes: 100, storageClass: 'STANDARD_IA', sseKmsObjects: 0 },
        { route: 'copy', objects: 890, bytes: 890 * 1024, storageClass: 'STANDARD_IA', sseKmsObjects: 90 },
        {
          route: 'multipart',
          objects: 10,
          bytes: 60 * 1024 ** 3,
          storageClass: 'STANDARD_IA',
          sseKmsObjects: 0,
          parts: 120,
        },
        { route: 'blocked', objects: 2, bytes: 20, storageClass: 'STANDARD_IA', sseKmsObjects: 0 },
      ],
    });
  });

  it('counts the KMS requests the run made on the chosen Bucket Key setting', () => {
    // Arithmetic without Bucket Keys: target 890 copies + (10 multipart + 120 parts) = 1,020; source 90 → 1,110.
    // With (0.99): ceil(1,020 × 0.01) = 11 + 90 = 101.
    // Act
    const without = runCost(summary, { region: 'us-east-1', bucketKey: false });
    const withKeys = runCost(summary, { region: 'us-east-1', bucketKey: true });
    // Assess
    expect(estimatedKmsRequests(without)).toBe(1110);
    expect(estimatedKmsRequests(withKeys)).toBe(101);
    expect(without.withoutBucketKeys.lines.find((l) => l.id === 'lambda.requests')?.quantity).toBe(1030);
  });
});
