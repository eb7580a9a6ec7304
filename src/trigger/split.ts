import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
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

/** One data file of a split run: read it, filter it, write its part outputs under `partPrefix`. */
export interface FileTask {
  readonly manifest: InventoryManifestRef;
  readonly fileIndex: number;
  readonly outputBucket: string;
  /** `<run prefix>/parts/<index>`. */
  readonly partPrefix: string;
  readonly selection: Omit<SelectionOptions, 'now'> & { readonly now: string };
  readonly nativeUpdate: boolean;
}

export interface PartResult {
  readonly fileIndex: number;
  /** Where the unit stored this result (deleted after the join). */
  readonly resultKey: string;
  readonly stats: InventoryStatsJson;
  readonly outputs: readonly WrittenManifest[];
}

/** Runs the per-file units (in this process, or one Lambda invocation each) and returns their results. */
export type FanOut = (tasks: readonly FileTask[]) => Promise<PartResult[]>;

const PART_RESULT = 'part.json';

/**
 * The per-file processing unit of a split run. Self-contained (re-reads manifest.json), so it can
 * run in another invocation; writes its outputs and a `part.json` result beside them.
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

/** Reads the result a unit left behind (for a fan-out whose workers only report completion). */
export async function readPartResult(s3: S3Client, bucket: string, partPrefix: string): Promise<PartResult> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${partPrefix}/${PART_RESULT}` }));
  return JSON.parse((await out.Body?.transformToString()) ?? '') as PartResult;
}

/** Runs every unit in this process with bounded concurrency (CLI, local engine, tests). */
export const inProcessFanOut =
  (s3: S3Client, concurrency = 2): FanOut =>
  async (tasks) => {
    const limit = pLimit(concurrency);
    return Promise.all(tasks.map((t) => limit(() => processDataFile(s3, t))));
  };

export function fileTasks(
  manifest: InventoryManifest,
  runPrefix: string,
  outputBucket: string,
  selection: SelectionOptions,
  nativeUpdate: boolean,
): FileTask[] {
  const width = String(manifest.files.length).length;
  return manifest.files.map((_, i) => ({
    manifest: manifest.ref,
    fileIndex: i,
    outputBucket,
    partPrefix: `${runPrefix}/parts/${String(i).padStart(width, '0')}`,
    selection: { ...selection, now: selection.now.toISOString() },
    nativeUpdate,
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
  await Promise.allSettled(
    ordered.flatMap((p) => [
      ...p.outputs.map((o) => s3.send(new DeleteObjectCommand({ Bucket: o.bucket, Key: o.key }))),
      s3.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: p.resultKey })),
    ]),
  );
  return { outputs, stats };
}
