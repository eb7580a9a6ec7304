import type { InventoryLocation } from '../inventory/layout.js';
import type { InventoryStatsJson } from '../inventory/stats.js';
import type { InventoryManifest } from '../inventory/types.js';
import { PlanDocumentError } from '../manifest/errors.js';
import type { WrittenManifest } from '../manifest/manifest-set.js';
import { PLAN_SCHEMA, type PlanDocument, type PlanJob, readPlan, writePlan } from '../manifest/plan.js';
import { costInputsFromStats, estimateKmsRequests } from '../manifest/plan-estimate.js';
import { MetricNames } from '../observability/metrics.js';
import { JobCreationError } from './errors.js';
import { type JobKind, jobRequest } from './jobs.js';
import type { InventoryOutcome, TriggerDeps, TriggerSettings } from './types.js';

const JOB_KINDS: ReadonlySet<string> = new Set<JobKind>(['lambda-hinted', 'lambda-plain', 'update']);

/** What a run knows once the inputs are checked; shared by a single run and the last part of a split one. */
export interface RunContext {
  readonly manifest: InventoryManifest;
  readonly location: InventoryLocation;
  readonly keyArn: string;
  readonly region: string;
  readonly now: Date;
  readonly planKey: string;
  readonly split: boolean;
}

export const allJobsCreated = (plan: PlanDocument): boolean =>
  plan.outputs.filter((o) => JOB_KINDS.has(o.kind)).every((o) => plan.jobs.some((j) => j.kind === o.kind));

/** plan.json of an earlier delivery of this inventory, when it is readable. */
export async function previousPlan(
  deps: TriggerDeps,
  bucket: string,
  key: string,
): Promise<PlanDocument | undefined> {
  try {
    return await readPlan(deps.s3, bucket, key);
  } catch (e) {
    if (!(e instanceof PlanDocumentError)) throw e;
    deps.logger.warn('existing plan.json is unreadable; it will be replaced', { key, error: e.message });
    return undefined;
  }
}

/** The outcome an earlier, finished run recorded for this exact delivery (same manifest ETag), if any. */
export function finishedOutcome(
  previous: PlanDocument | undefined,
  etag: string,
  planKey: string,
): InventoryOutcome | undefined {
  if (!previous || previous.inventory.etag !== etag || !allJobsCreated(previous)) return undefined;
  if (previous.jobs.length > 0)
    return { status: 'existing-jobs', planKey, jobs: previous.jobs, stats: previous.stats };
  return { status: previous.compliant ? 'compliant' : 'blocked-only', planKey, stats: previous.stats };
}

/**
 * Writes plan.json for the outputs, then creates one job per job manifest with tokens derived from
 * the delivery, and records them in plan.json. The plan is written before any job, so a failed
 * CreateJob leaves a readable plan behind.
 */
export async function finishRun(
  deps: TriggerDeps,
  settings: TriggerSettings,
  ctx: RunContext,
  outputs: readonly WrittenManifest[],
  stats: InventoryStatsJson,
): Promise<InventoryOutcome> {
  const { s3, logger } = deps;
  const { manifest, planKey } = ctx;
  const bucket = settings.manifests.bucket;
  recordMetrics(deps, manifest.sourceBucket, stats);
  const jobOutputs = outputs.filter((o): o is WrittenManifest & { kind: JobKind } => JOB_KINDS.has(o.kind));
  const tasks = jobOutputs.reduce((a, o) => a + o.rows, 0);
  const costInputs = costInputsFromStats(stats, {
    region: ctx.region,
    bucketKey: settings.bucketKey,
    versioned: manifest.allVersions,
    jobs: jobOutputs.length,
    tasks,
  });
  const plan: PlanDocument = {
    schema: PLAN_SCHEMA,
    createdAt: ctx.now.toISOString(),
    inventory: {
      bucket: manifest.ref.bucket,
      key: manifest.ref.key,
      etag: manifest.etag,
      sourceBucket: manifest.sourceBucket,
      fileFormat: manifest.fileFormat,
      dataFiles: manifest.files.length,
      dataBytes: manifest.files.reduce((a, f) => a + f.size, 0),
      allVersions: manifest.allVersions,
      checksumVerified: manifest.checksumVerified,
      creationTimestamp: manifest.creationTimestamp.toISOString(),
    },
    target: { keyArn: ctx.keyArn, bucketKey: settings.bucketKey },
    selection: {
      ...settings.selection,
      strategy: settings.strategy,
      updateAvailable: settings.updateAvailable,
      nativeUpdateJob: settings.nativeUpdateJob,
      multipartThresholdBytes: settings.multipartThresholdBytes,
      split: ctx.split,
    },
    compliant: tasks === 0 && stats.byRoute.blocked.objects === 0,
    stats,
    costInputs,
    costEstimate: (deps.estimate ?? estimateKmsRequests)(costInputs),
    outputs: outputs.map(({ kind, bucket: b, key, etag, versionId, rows, bytes }) => ({
      kind,
      bucket: b,
      key,
      etag,
      ...(versionId ? { versionId } : {}),
      rows,
      bytes,
    })),
    jobs: [],
    warnings: warnings(manifest, stats),
  };
  await writePlan(s3, bucket, planKey, plan);
  if (jobOutputs.length === 0) {
    logger.info(
      plan.compliant
        ? 'bucket is compliant; no job created'
        : 'only blocked objects need work; no job created',
      {
        sourceBucket: manifest.sourceBucket,
        planKey,
      },
    );
    return { status: plan.compliant ? 'compliant' : 'blocked-only', planKey, stats };
  }

  const jobs: PlanJob[] = [];
  for (const output of jobOutputs) {
    const request = jobRequest(settings, manifest, ctx.location, output, ctx.keyArn);
    let jobId: string;
    try {
      ({ jobId } = await deps.jobs.create(request));
    } catch (cause) {
      // Jobs created so far are recorded; a redelivery creates the rest (same tokens for the ones that exist).
      if (jobs.length > 0) await writePlan(s3, bucket, planKey, { ...plan, jobs });
      throw new JobCreationError(
        `creating the ${output.kind} job for s3://${output.bucket}/${output.key} failed: ${(cause as Error).message}`,
        output.key,
        { cause },
      );
    }
    jobs.push({
      kind: output.kind,
      jobId,
      clientRequestToken: request.clientRequestToken,
      manifestKey: output.key,
      tasks: output.rows,
    });
    deps.metrics.add(MetricNames.JobsCreated, 'Count', 1);
    logger.info('Batch Operations job created', { jobId, kind: output.kind, tasks: output.rows });
  }
  await writePlan(s3, bucket, planKey, { ...plan, jobs });
  return { status: 'jobs-created', planKey, jobs, stats };
}

function recordMetrics(deps: TriggerDeps, bucket: string, stats: InventoryStatsJson): void {
  const d = { Bucket: bucket };
  const selected =
    stats.byRoute.update.objects + stats.byRoute.copy.objects + stats.byRoute.multipart.objects;
  deps.metrics.add(MetricNames.InventoryRowsScanned, 'Count', stats.rowsScanned, d);
  deps.metrics.add(MetricNames.InventoryRowsSelected, 'Count', selected, d);
  deps.metrics.add(MetricNames.NonCompliantObjects, 'Count', selected + stats.byRoute.blocked.objects, d);
}

function warnings(manifest: InventoryManifest, stats: InventoryStatsJson): string[] {
  const w: string[] = [];
  if (!manifest.columns.includes('BucketKeyStatus'))
    w.push(
      'inventory has no BucketKeyStatus field: SSE-KMS objects were assumed to have the wanted Bucket Key state',
    );
  if (!manifest.columns.includes('Size'))
    w.push('inventory has no Size field: bytes are reported as 0 and multipart routes are not predicted');
  if (
    !manifest.columns.includes('ObjectLockRetainUntilDate') &&
    !manifest.columns.includes('ObjectLockLegalHoldStatus')
  )
    w.push('inventory has no Object Lock fields: locked objects are predicted on the update route');
  if (stats.byRoute.blocked.objects > 0)
    w.push(
      `${stats.byRoute.blocked.objects} objects cannot be re-encrypted as they are (see stats.blocked and blocked.csv): ` +
        'restore archived objects, expire unencrypted noncurrent versions, or handle SSE-C/DSSE-KMS objects yourself',
    );
  if (!manifest.checksumVerified)
    w.push('manifest.checksum was not present when the inventory was read; not verified');
  return w;
}
