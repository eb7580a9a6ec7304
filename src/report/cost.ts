import type { CostEstimate } from '../cost/line-item.js';
import type { MigrationOptions, PlanGroup } from '../cost/migration.js';
import type { StorageClass } from '../cost/prices.js';
import { estimateRun, type RunCounts } from '../cost/run.js';
import { type ReportSummary, SummaryRoutes } from './summary.js';

export interface RunCostSettings extends MigrationOptions {
  /** The report does not say which class objects were in; this one is assumed for all. Default STANDARD. */
  readonly storageClass?: StorageClass;
}

/** The cost model's run counts from a summary: routes as groups, measured Lambda time and invocations. */
export function runCountsFromSummary(s: ReportSummary, storageClass: StorageClass = 'STANDARD'): RunCounts {
  const groups: PlanGroup[] = SummaryRoutes.filter((r) => s.routes[r].objects > 0).map((r) => ({
    route: r,
    objects: s.routes[r].objects,
    bytes: s.routes[r].bytes,
    storageClass,
    sseKmsObjects: s.routes[r].sseKmsSources,
    ...(r === 'multipart' ? { parts: s.multipartParts } : {}),
  }));
  return {
    tasks: s.tasks.total,
    groups,
    lambdaInvocations: s.lambda.invocations,
    lambdaMs: s.lambda.taskMs,
    // A version id on the tasks means a versioned bucket: copies left the old versions behind.
    versioned: s.tasks.withVersionId > 0,
    jobs: 1,
  };
}

export function runCost(s: ReportSummary, settings: RunCostSettings): CostEstimate {
  const { storageClass, ...options } = settings;
  return estimateRun(runCountsFromSummary(s, storageClass), options);
}

/** KMS requests of the chosen variant (free-tier credits excluded), for the EstimatedKmsRequests metric. */
export const estimatedKmsRequests = (e: CostEstimate): number =>
  e[e.chosen].lines
    .filter((l) => l.category === 'kms' && l.unit === 'request')
    .reduce((a, l) => a + l.quantity, 0);
