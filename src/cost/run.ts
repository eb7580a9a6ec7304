import type { CostEstimate } from './line-item.js';
import { estimateFromGroups, type MigrationOptions, type PlanGroup } from './migration.js';

/** What a finished job actually did, from its completion report. */
export interface RunCounts {
  /** Every task the job ran, failed ones included (each costs a Batch object fee and a Lambda invocation). */
  readonly tasks: number;
  /** Objects that were written (or skipped, or blocked), by route, class and source encryption. */
  readonly groups: readonly PlanGroup[];
  /** Lambda invocations, counting redrives of resumed multipart copies; default one per task. */
  readonly lambdaInvocations?: number;
  /** Sum of the per-task durations the function reported. */
  readonly lambdaMs?: number;
  readonly versioned?: boolean;
  readonly jobs?: number;
}

/** The migration model fed with a run's own counts and measured Lambda time. */
export function estimateRun(counts: RunCounts, options: MigrationOptions = {}): CostEstimate {
  return estimateFromGroups(
    'run',
    {
      groups: counts.groups,
      ...(counts.versioned !== undefined ? { versioned: counts.versioned } : {}),
      ...(counts.jobs !== undefined ? { jobs: counts.jobs } : {}),
    },
    options,
    {
      tasks: counts.tasks,
      ...(counts.lambdaInvocations !== undefined ? { lambdaInvocations: counts.lambdaInvocations } : {}),
      ...(counts.lambdaMs !== undefined ? { lambdaMs: counts.lambdaMs } : {}),
    },
  );
}
