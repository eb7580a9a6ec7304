import { bucketKeyAssumption, freeTierAssumption, hasUnconfirmed } from './common.js';
import { type Assumption, breakdown, type CostEstimate, sourcesOf } from './line-item.js';
import { batchLines, kmsCalls, kmsLines, lambdaLines, s3Lines, storageLines, sum } from './lines.js';
import {
  type MeasuredRun,
  type MigrationOptions,
  type MigrationPlan,
  normaliseGroups,
  type Settings,
  settingsFrom,
} from './plan.js';
import { priceTable } from './prices.js';

export {
  DEFAULT_LAMBDA,
  DEFAULT_PART_SIZE_BYTES,
  type LambdaAssumptions,
  type MeasuredRun,
  type MigrationOptions,
  type MigrationPlan,
  type PlanGroup,
  type PlanRoute,
  PlanRoutes,
} from './plan.js';

function assumptionsOf(s: Settings, measured: MeasuredRun): Assumption[] {
  const a: Assumption[] = [
    {
      name: 'gigabyte',
      value: '2^30 bytes',
      note: 'S3 bills storage and retrieval per GB of 2^30 bytes; a month is 30 days for minimum durations',
    },
    {
      name: 'headsPerObject',
      value: s.hints ? 0 : 1,
      note: s.hints ? 'tasks carry inventory facts, so no HEAD first' : 'one HEAD per task before deciding',
    },
    {
      name: 'extraReadsPerCopy',
      value: s.extraReadsPerCopy,
      note: 'GetObjectTagging (and ACL reads) per copy',
    },
    {
      name: 'multipartPartSizeBytes',
      value: s.partSize,
      note: 'parts per multipart object = ceil(average size / part size) unless the run counted them',
    },
    {
      name: 'kmsCallsPerWrite',
      value: 1,
      note:
        'one KMS call on the target key per object written and per multipart part, one Decrypt per SSE-KMS ' +
        'source read (per part for multipart); inferred from aws-facts §6.5, UNCONFIRMED for UpdateObjectEncryption',
    },
    bucketKeyAssumption(s.reduction),
    freeTierAssumption(s.applyFreeTier),
    { name: 'versioned', value: s.versioned, note: 'a copy in a versioned bucket keeps the old version' },
    {
      name: 'deletePriorVersion',
      value: s.deletePriorVersion,
      note: 'the old version is deleted after the copy is verified',
    },
    {
      name: 'objectAgeDays',
      value: s.objectAgeDays,
      note: 'age of rewritten objects; 0 charges the whole minimum duration (upper bound)',
    },
    { name: 'lambda.memoryMb', value: s.lambda.memoryMb, note: 'memory of the re-encrypt function' },
    {
      name: 'lambda.architecture',
      value: s.lambda.architecture,
      note: 'the function runs on arm64 by default',
    },
  ];
  if (measured.lambdaMs === undefined)
    a.push({
      name: 'lambda.msPerObject',
      value: JSON.stringify({ perObject: s.lambda.msPerObject, perGiB: s.lambda.msPerGiB }),
      note: 'billed milliseconds per object by route plus per GiB copied; replace with a pilot run’s figures',
    });
  return a;
}

/** Shared by the plan estimate and the after-run estimate. */
export function estimateFromGroups(
  kind: 'migration' | 'run',
  plan: MigrationPlan,
  options: MigrationOptions,
  measured: MeasuredRun = {},
): CostEstimate {
  const choice = priceTable(options.region, {
    ...(options.fallbackRegion ? { fallbackRegion: options.fallbackRegion } : {}),
  });
  const s = settingsFrom(plan, options, choice);
  const groups = normaliseGroups(plan.groups, s.partSize);
  const tasks = measured.tasks ?? sum(groups, (g) => g.objects);
  const common = [
    ...s3Lines(groups, s),
    ...storageLines(groups, s),
    ...batchLines(tasks, s),
    ...lambdaLines(groups, tasks, s, measured),
  ];
  const calls = kmsCalls(groups);
  const withoutBucketKeys = breakdown([...kmsLines(calls, s, false), ...common]);
  const withBucketKeys = breakdown([...kmsLines(calls, s, true), ...common]);
  const all = [...withoutBucketKeys.lines, ...withBucketKeys.lines];
  return {
    kind,
    region: choice.prices.region,
    requestedRegion: choice.requestedRegion,
    substitutedRegion: choice.substituted,
    currency: 'USD',
    assumptions: assumptionsOf(s, measured),
    withoutBucketKeys,
    withBucketKeys,
    chosen: (options.bucketKey ?? true) ? 'withBucketKeys' : 'withoutBucketKeys',
    usesUnconfirmedPrices: hasUnconfirmed(all),
    sources: sourcesOf(all),
  };
}

/**
 * One-time cost of re-encrypting a plan: S3 requests by class, KMS calls with and without Bucket Keys, Batch
 * fees, Lambda time, and the side effects (old versions kept by copies, minimum-duration charges).
 */
export const estimateMigration = (plan: MigrationPlan, options: MigrationOptions = {}): CostEstimate =>
  estimateFromGroups('migration', plan, options);
