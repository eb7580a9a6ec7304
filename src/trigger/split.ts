import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import type { SelectionOptions } from '../inventory/filter.js';
import { readInventoryManifest } from '../inventory/s3-read.js';
import { emptyStats, type InventoryStatsJson, mergeStats } from '../inventory/stats.js';
import type { InventoryManifest, InventoryManifestRef } from '../inventory/types.js';
import { joinObjects } from '../manifest/join.js';
import {
  ManifestSet,
  OUTPUT_FILE_NAMES,
  type OutputKind,
  type WrittenManifest,
} from '../manifest/manifest-set.js';
import { filterFiles } from './select.js';

/**
 * One data file of a split run: read it, filter it, write its part outputs under `partPrefix`.
 * Self-contained JSON, so it can travel to another invocation (see `s3TaskFanOut`).
 */
export interface FileTask {
  readonly manifest: InventoryManifestRef;
  readonly fileIndex: number;
  readonly fileCount: number;
  readonly outputBucket: string;
  /** The run's folder (`<prefix>/<source-bucket>/<config-id>/<timestamp>`). */
  readonly runPrefix: string;
  /** `<runPrefix>/parts/<index>`. */
  readonly partPrefix: string;
  readonly selection: Omit<SelectionOptions, 'now'> & { readonly now: string };
  readonly nativeUpdate: boolean;
  /** Checked by the run that split the work; the last part creates the jobs with it. */
  readonly targetKeyArn: string;
  readonly region: string;
}

export interface PartResult {
  readonly fileIndex: number;
  /** Where the unit stored this result (deleted after the join). */
  readonly resultKey: string;
  readonly stats: InventoryStatsJson;
  readonly outputs: readonly WrittenManifest[];
}

/**
 * Runs the per-file units. In process it returns their results; across invocations it only hands the
 * tasks out (`dispatched`) and the last unit to finish joins the parts.
 */
export type FanOut = (tasks: readonly FileTask[]) => Promise<PartResult[] | { readonly dispatched: number }>;

export const PART_RESULT = 'part.json';
export const PART_TASK = 'task.json';

/**
 * The per-file processing unit of a split run. Re-reads manifest.json (cheap) so it depends on
 * nothing but the task; writes its outputs and a `part.json` result beside them.
 */
export async function processDataFile(s3: S3Client, task: FileTask): Promise<PartResult> {
  const manifest = await readInventoryManifest(s3, task.manifest);
  const file = manifest.files[task.fileIndex];
  if (!file) throw new RangeError(`manifest.json has no data file #${task.fileIndex}`);
  const set = new ManifestSet(s3, {
    bucket: task.outputBucket,
    prefix: task.partPrefix,
    withVersions: manifest.allVersions,
    nativeUpdate: task.nativeUpdate,
    columns: manifest.columns,
  });
  const stats = await filterFiles(
    s3,
    manifest,
    [file],
    { ...task.selection, now: new Date(task.selection.now) },
    set,
  );
  const outputs = await set.finish();
  const resultKey = `${task.partPrefix}/${PART_RESULT}`;
  const result: PartResult = { fileIndex: task.fileIndex, resultKey, stats: stats.toJSON(), outputs };
  await s3.send(
    new PutObjectCommand({
      Bucket: task.outputBucket,
      Key: resultKey,
      Body: JSON.stringify(result),
      ContentType: 'application/json',
    }),
  );
  return result;
}

/** Runs every unit in this process with bounded concurrency (CLI, local engine, tests). */
export const inProcessFanOut =
  (s3: S3Client, concurrency = 2): FanOut =>
  async (tasks) => {
    const limit = pLimit(concurrency);
    return Promise.all(tasks.map((t) => limit(() => processDataFile(s3, t))));
  };

/**
 * Hands each unit to its own invocation by writing `<partPrefix>/task.json`: an S3 notification on
 * those keys invokes the trigger again with one task (`runTrigger` recognises them). Tasks that
 * already exist are not rewritten, so a redelivered inventory event does not start the work twice.
 */
export const s3TaskFanOut =
  (s3: S3Client): FanOut =>
  async (tasks) => {
    const limit = pLimit(8);
    let dispatched = 0;
    await Promise.all(
      tasks.map((t) =>
        limit(async () => {
          const Key = `${t.partPrefix}/${PART_TASK}`;
          try {
            await s3.send(new HeadObjectCommand({ Bucket: t.outputBucket, Key }));
            return;
          } catch (e) {
            if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) throw e;
          }
          await s3.send(
            new PutObjectCommand({
              Bucket: t.outputBucket,
              Key,
              Body: JSON.stringify(t),
              ContentType: 'application/json',
            }),
          );
          dispatched += 1;
        }),
      ),
    );
    return { dispatched };
  };

export async function readJson<T>(s3: S3Client, bucket: string, key: string): Promise<T> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse((await out.Body?.transformToString()) ?? '') as T;
}

/** Keys of the part results written so far for a run. */
export async function partResultKeys(s3: S3Client, bucket: string, runPrefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: `${runPrefix}/parts/`, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) if (o.Key?.endsWith(`/${PART_RESULT}`)) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

export function fileTasks(
  manifest: InventoryManifest,
  run: { readonly prefix: string; readonly bucket: string; readonly keyArn: string; readonly region: string },
  selection: SelectionOptions,
  nativeUpdate: boolean,
): FileTask[] {
  const width = String(manifest.files.length).length;
  return manifest.files.map((_, i) => ({
    manifest: manifest.ref,
    fileIndex: i,
    fileCount: manifest.files.length,
    outputBucket: run.bucket,
    runPrefix: run.prefix,
    partPrefix: `${run.prefix}/parts/${String(i).padStart(width, '0')}`,
    selection: { ...selection, now: selection.now.toISOString() },
    nativeUpdate,
    targetKeyArn: run.keyArn,
    region: run.region,
  }));
}

/**
 * Joins part results into the run's outputs: per kind, the parts' objects concatenated in file order
 * (server-side where parts are large enough), and the stats summed. Part objects are deleted after.
 */
export async function joinParts(
  s3: S3Client,
  parts: readonly PartResult[],
  target: { readonly bucket: string; readonly prefix: string },
): Promise<{ outputs: WrittenManifest[]; stats: InventoryStatsJson }> {
  const ordered = [...parts].sort((a, b) => a.fileIndex - b.fileIndex);
  const outputs: WrittenManifest[] = [];
  for (const kind of Object.keys(OUTPUT_FILE_NAMES) as OutputKind[]) {
    const sources = ordered.flatMap((p) => p.outputs.filter((o) => o.kind === kind));
    if (sources.length === 0) continue;
    const joined = await joinObjects(
      s3,
      sources.map((s) => ({
        bucket: s.bucket,
        key: s.key,
        size: s.bytes,
        ...(s.versionId ? { versionId: s.versionId } : {}),
      })),
      { bucket: target.bucket, key: `${target.prefix}/${OUTPUT_FILE_NAMES[kind]}` },
    );
    if (joined)
      outputs.push({
        ...joined,
        kind,
        rows: sources.reduce((a, s) => a + s.rows, 0),
        fields: sources[0]!.fields,
      });
  }
  const stats = ordered.reduce((acc, p) => mergeStats(acc, p.stats), emptyStats());
  return { outputs, stats };
}

/** Removes a run's part objects (outputs, results and tasks) once the joined outputs and plan exist. */
export async function deleteParts(s3: S3Client, bucket: string, parts: readonly PartResult[]): Promise<void> {
  const keys = parts.flatMap((p) => [
    ...p.outputs.map((o) => o.key),
    p.resultKey,
    p.resultKey.replace(new RegExp(`${PART_RESULT}$`), PART_TASK),
  ]);
  const limit = pLimit(8);
  await Promise.allSettled(
    keys.map((Key) => limit(() => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key })))),
  );
}
