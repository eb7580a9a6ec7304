import type { SelectionOptions } from '../inventory/filter.js';
import type { InventoryLocation } from '../inventory/layout.js';
import { checkDataFiles, readInventoryManifest } from '../inventory/s3-read.js';
import type { InventoryStatsJson } from '../inventory/stats.js';
import type { InventoryManifest, InventoryManifestRef } from '../inventory/types.js';
import { validateTargetKey } from '../kms/validate.js';
import { PlanDocumentError } from '../manifest/errors.js';
import { ManifestSet, type WrittenManifest } from '../manifest/manifest-set.js';
import {
  PLAN_FILE_NAME,
  PLAN_SCHEMA,
  type PlanDocument,
  type PlanJob,
  readPlan,
  writePlan,
} from '../manifest/plan.js';
import { costInputsFromStats, estimateKmsRequests } from '../manifest/plan-estimate.js';
import { MetricNames } from '../observability/metrics.js';
import { JobCreationError } from './errors.js';
import { type EventItem, parseTriggerEvent } from './event.js';
import { type JobKind, jobRequest } from './jobs.js';
import { filterFiles } from './select.js';
import { fileTasks, inProcessFanOut, joinParts } from './split.js';
import type { InventoryOutcome, TriggerDeps, TriggerSettings } from './types.js';

const JOB_KINDS: ReadonlySet<string> = new Set<JobKind>(['lambda-hinted', 'lambda-plain', 'update']);

/** Folder of a delivery's outputs: `<prefix>/<source-bucket>/<config-id>/<timestamp>`. */
export function runPrefix(settings: TriggerSettings, location: InventoryLocation): string {
  const base = settings.manifests.prefix.replace(/\/+$/, '');
  return `${base ? `${base}/` : ''}${location.sourceBucket}/${location.configId}/${location.timestamp}`;
}

/**
 * The trigger use case: event → inventory manifests → filtered Batch manifests + plan.json → jobs.
 * Objects that are not inventory manifests are logged and skipped. Errors propagate (the Lambda
 * is retried, and a redelivery is idempotent).
 */
export async function runTrigger(
  deps: TriggerDeps,
  settings: TriggerSettings,
  event: unknown,
): Promise<InventoryOutcome[]> {
  const outcomes: InventoryOutcome[] = [];
  for (const item of parseTriggerEvent(event)) {
    if (item.kind === 'ignored') {
      deps.logger.info('ignoring object that is not an inventory manifest.json', { ...item });
      outcomes.push({
        status: 'ignored',
        reason: item.reason,
        ...(item.bucket ? { bucket: item.bucket } : {}),
        ...(item.key ? { key: item.key } : {}),
      });
      continue;
    }
    outcomes.push(await processInventory(deps, settings, item));
  }
  return outcomes;
}

export async function processInventory(
  deps: TriggerDeps,
  settings: TriggerSettings,
  item: Extract<EventItem, { kind: 'manifest' }>,
): Promise<InventoryOutcome> {
  const { s3, logger } = deps;
  const now = deps.now?.() ?? new Date();
  const ref: InventoryManifestRef = item.ref;
  const region = ref.region ?? settings.region;

  // 1. Inputs first: manifest.json (+checksum), the target key, the data files. Nothing is written before.
  const manifest = await readInventoryManifest(s3, ref);
  if (settings.managedBuckets.length > 0 && !settings.managedBuckets.includes(manifest.sourceBucket)) {
    logger.warn('inventory is for a bucket this deployment does not manage', {
      sourceBucket: manifest.sourceBucket,
      manifest: `s3://${ref.bucket}/${ref.key}`,
    });
    return {
      status: 'ignored',
      reason: `source bucket ${manifest.sourceBucket} is not managed`,
      bucket: ref.bucket,
      key: ref.key,
    };
  }
  const prefix = runPrefix(settings, item.location);
  const planKey = `${prefix}/${PLAN_FILE_NAME}`;
  const previous = await previousPlan(deps, settings.manifests.bucket, planKey);
  if (previous && previous.inventory.etag === manifest.etag && allJobsCreated(previous)) {
    if (previous.jobs.length > 0) {
      logger.info('inventory already has jobs; redelivered event creates none', {
        planKey,
        jobs: previous.jobs,
      });
      return { status: 'existing-jobs', planKey, jobs: previous.jobs, stats: previous.stats };
    }
    return { status: previous.compliant ? 'compliant' : 'blocked-only', planKey, stats: previous.stats };
  }
  const key = await validateTargetKey(deps.kms, settings.targetKey, region);
  await checkDataFiles(s3, manifest);

  // 2. Filter every row into the outputs (streamed; objects appear only when all files were read).
  const selection: SelectionOptions = {
    ...settings.selection,
    bucketKey: settings.bucketKey,
    strategy: settings.strategy,
    updateAvailable: settings.updateAvailable,
    multipartThresholdBytes: settings.multipartThresholdBytes,
    now,
  };
  const dataBytes = manifest.files.reduce((a, f) => a + f.size, 0);
  const split = dataBytes > settings.singleRunMaxBytes && manifest.files.length > 1;
  let outputs: WrittenManifest[];
  let stats: InventoryStatsJson;
  if (split) {
    logger.info('inventory is larger than one run filters in time; splitting by data file', {
      dataBytes,
      files: manifest.files.length,
      singleRunMaxBytes: settings.singleRunMaxBytes,
    });
    const fanOut = deps.fanOut ?? inProcessFanOut(s3);
    const parts = await fanOut(
      fileTasks(manifest, prefix, settings.manifests.bucket, selection, settings.nativeUpdateJob),
    );
    ({ outputs, stats } = await joinParts(s3, parts, { bucket: settings.manifests.bucket, prefix }));
  } else {
    const set = new ManifestSet(s3, {
      bucket: settings.manifests.bucket,
      prefix,
      withVersions: manifest.allVersions,
      nativeUpdate: settings.nativeUpdateJob,
    });
    stats = (await filterFiles(s3, manifest, manifest.files, selection, set)).toJSON();
    outputs = await set.finish();
  }
  recordMetrics(deps, manifest.sourceBucket, stats);

  // 3. plan.json before any job, so a failed CreateJob leaves a readable plan behind.
  const jobOutputs = outputs.filter((o): o is WrittenManifest & { kind: JobKind } => JOB_KINDS.has(o.kind));
  const tasks = jobOutputs.reduce((a, o) => a + o.rows, 0);
  const costInputs = costInputsFromStats(stats, {
    region,
    bucketKey: settings.bucketKey,
    versioned: manifest.allVersions,
    jobs: jobOutputs.length,
    tasks,
  });
  const plan: PlanDocument = {
    schema: PLAN_SCHEMA,
    createdAt: now.toISOString(),
    inventory: {
      bucket: manifest.ref.bucket,
      key: manifest.ref.key,
      etag: manifest.etag,
      sourceBucket: manifest.sourceBucket,
      fileFormat: manifest.fileFormat,
      dataFiles: manifest.files.length,
      dataBytes,
      allVersions: manifest.allVersions,
      checksumVerified: manifest.checksumVerified,
      creationTimestamp: manifest.creationTimestamp.toISOString(),
    },
    target: { keyArn: key.keyArn, bucketKey: settings.bucketKey },
    selection: {
      ...settings.selection,
      strategy: settings.strategy,
      updateAvailable: settings.updateAvailable,
      nativeUpdateJob: settings.nativeUpdateJob,
      multipartThresholdBytes: settings.multipartThresholdBytes,
      split,
    },
    compliant: tasks === 0 && stats.byRoute.blocked.objects === 0,
    stats,
    costInputs,
    costEstimate: (deps.estimate ?? estimateKmsRequests)(costInputs),
    outputs: outputs.map(({ kind, bucket, key: k, etag, versionId, rows, bytes }) => ({
      kind,
      bucket,
      key: k,
      etag,
      ...(versionId ? { versionId } : {}),
      rows,
      bytes,
    })),
    jobs: [],
    warnings: warnings(manifest, stats),
  };
  await writePlan(s3, settings.manifests.bucket, planKey, plan);
  if (jobOutputs.length === 0) {
    const status = plan.compliant ? 'compliant' : 'blocked-only';
    logger.info(
      plan.compliant
        ? 'bucket is compliant; no job created'
        : 'only blocked objects need work; no job created',
      {
        sourceBucket: manifest.sourceBucket,
        planKey,
      },
    );
    return { status, planKey, stats };
  }

  // 4. Jobs, with tokens derived from the delivery, then the plan records them.
  const jobs: PlanJob[] = [];
  for (const output of jobOutputs) {
    const request = jobRequest(settings, manifest, item.location, output, key.keyArn);
    let jobId: string;
    try {
      ({ jobId } = await deps.jobs.create(request));
    } catch (cause) {
      // Jobs created so far are recorded; a redelivery creates the rest (same tokens for the ones that exist).
      if (jobs.length > 0) await writePlan(s3, settings.manifests.bucket, planKey, { ...plan, jobs });
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
  await writePlan(s3, settings.manifests.bucket, planKey, { ...plan, jobs });
  return { status: 'jobs-created', planKey, jobs, stats };
}

const allJobsCreated = (plan: PlanDocument): boolean =>
  plan.outputs.filter((o) => JOB_KINDS.has(o.kind)).every((o) => plan.jobs.some((j) => j.kind === o.kind));

async function previousPlan(
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
