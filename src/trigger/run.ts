import type { SelectionOptions } from '../inventory/filter.js';
import { type InventoryLocation, parseInventoryManifestKey } from '../inventory/layout.js';
import { checkDataFiles, readInventoryManifest } from '../inventory/s3-read.js';
import type { InventoryManifestRef } from '../inventory/types.js';
import { validateTargetKey } from '../kms/validate.js';
import { ManifestSet } from '../manifest/manifest-set.js';
import { PLAN_FILE_NAME } from '../manifest/plan.js';
import { TriggerError } from './errors.js';
import { type EventItem, parseTriggerEvent } from './event.js';
import { finishedOutcome, finishRun, previousPlan, type RunContext } from './finish.js';
import { filterFiles } from './select.js';
import {
  deleteParts,
  type FileTask,
  fileTasks,
  inProcessFanOut,
  joinParts,
  type PartResult,
  partResultKeys,
  processDataFile,
  readJson,
  s3TaskFanOut,
} from './split.js';
import type { InventoryOutcome, TriggerDeps, TriggerSettings } from './types.js';

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
    } else if (item.kind === 'part') {
      outcomes.push(await processPart(deps, settings, item));
    } else {
      outcomes.push(await processInventory(deps, settings, item));
    }
  }
  return outcomes;
}

/**
 * Runs the trigger for one inventory manifest.json without an event (CLI, demo, local engine).
 * The key must follow the inventory layout `<prefix>/<source-bucket>/<config-id>/<timestamp>/manifest.json`.
 */
export async function triggerInventory(
  deps: TriggerDeps,
  settings: TriggerSettings,
  ref: InventoryManifestRef,
): Promise<InventoryOutcome> {
  const location = parseInventoryManifestKey(ref.key);
  if (!location)
    throw new TriggerError(
      `s3://${ref.bucket}/${ref.key} is not in the inventory layout <prefix>/<source-bucket>/<config-id>/<YYYY-MM-DDTHH-MMZ>/manifest.json`,
    );
  return processInventory(deps, settings, { kind: 'manifest', ref, location });
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
  const done = finishedOutcome(
    await previousPlan(deps, settings.manifests.bucket, planKey),
    manifest.etag,
    planKey,
  );
  if (done) {
    logger.info('inventory already handled; redelivered event changes nothing', {
      planKey,
      status: done.status,
    });
    return done;
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
  const ctx: RunContext = {
    manifest,
    location: item.location,
    keyArn: key.keyArn,
    region,
    now,
    planKey,
    split,
  };
  if (!split) {
    const set = new ManifestSet(s3, {
      bucket: settings.manifests.bucket,
      prefix,
      withVersions: manifest.allVersions,
      nativeUpdate: settings.nativeUpdateJob,
      columns: manifest.columns,
    });
    const stats = (await filterFiles(s3, manifest, manifest.files, selection, set)).toJSON();
    return finishRun(deps, settings, ctx, await set.finish(), stats);
  }

  logger.info('inventory is larger than one run filters in time; splitting by data file', {
    dataBytes,
    files: manifest.files.length,
    singleRunMaxBytes: settings.singleRunMaxBytes,
  });
  const tasks = fileTasks(
    manifest,
    { prefix, bucket: settings.manifests.bucket, keyArn: key.keyArn, region },
    selection,
    settings.nativeUpdateJob,
  );
  const fanOut =
    deps.fanOut ?? (settings.splitFanOut === 's3-tasks' ? s3TaskFanOut(s3) : inProcessFanOut(s3));
  const parts = await fanOut(tasks);
  if (!Array.isArray(parts)) return { status: 'split-dispatched', planKey, parts: tasks.length };
  return joinAndFinish(deps, settings, ctx, parts);
}

async function joinAndFinish(
  deps: TriggerDeps,
  settings: TriggerSettings,
  ctx: RunContext,
  parts: readonly PartResult[],
): Promise<InventoryOutcome> {
  const prefix = ctx.planKey.slice(0, -PLAN_FILE_NAME.length - 1);
  const { outputs, stats } = await joinParts(deps.s3, parts, { bucket: settings.manifests.bucket, prefix });
  const outcome = await finishRun(deps, settings, ctx, outputs, stats);
  await deleteParts(deps.s3, settings.manifests.bucket, parts);
  return outcome;
}

/**
 * One unit of a split run in its own invocation: filter the data file, then, if every unit has
 * reported, join the parts and create the jobs ("last one out joins"). Two units finishing together
 * may both join: their outputs are identical and the job tokens are the same, so one job results.
 */
export async function processPart(
  deps: TriggerDeps,
  settings: TriggerSettings,
  item: Extract<EventItem, { kind: 'part' }>,
): Promise<InventoryOutcome> {
  const { s3 } = deps;
  const task = await readJson<FileTask>(s3, item.bucket, item.key);
  const planKey = `${task.runPrefix}/${PLAN_FILE_NAME}`;
  const manifest = await readInventoryManifest(s3, task.manifest);
  const done = finishedOutcome(await previousPlan(deps, task.outputBucket, planKey), manifest.etag, planKey);
  if (done) return done;
  await processDataFile(s3, task);
  const written = await partResultKeys(s3, task.outputBucket, task.runPrefix);
  if (written.length < task.fileCount)
    return {
      status: 'part-done',
      planKey,
      fileIndex: task.fileIndex,
      partsDone: written.length,
      parts: task.fileCount,
    };
  const location = parseInventoryManifestKey(manifest.ref.key);
  if (!location) throw new TriggerError(`task ${item.key} names a manifest outside the inventory layout`);
  const parts = await Promise.all(written.map((k) => readJson<PartResult>(s3, task.outputBucket, k)));
  const ctx: RunContext = {
    manifest,
    location,
    keyArn: task.targetKeyArn,
    region: task.region,
    now: new Date(task.selection.now),
    planKey,
    split: true,
  };
  deps.logger.info('last part of a split run finished; joining', { planKey, parts: parts.length });
  return joinAndFinish(deps, settings, ctx, parts);
}
