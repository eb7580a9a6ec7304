import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { encodeKey } from '../../src/batch/keys.js';
import { encodeResultString, type FailureCause, type TaskResult } from '../../src/batch/result-string.js';
import { encodeHintedKey, type TaskHints } from '../../src/batch/task-hints.js';
import { reportManifestKey } from '../../src/jobs/port.js';

/** One task row of a completion report, as a test wants it. */
export interface ReportTask {
  readonly bucket: string;
  /** The key field exactly as written to the CSV (URL-encoded, hinted, or raw). */
  readonly keyField: string;
  readonly versionId?: string;
  readonly status: 'succeeded' | 'failed';
  readonly errorCode?: string;
  readonly httpStatus?: number;
  /** The ResultMessage column (the resultString, or an error text). */
  readonly message: string;
}

export const DATA_BUCKET = 'data-bucket';

/** A succeeded task with the re-encrypt function's resultString. */
export function succeededTask(
  key: string,
  result: Partial<TaskResult> & Pick<TaskResult, 'route'>,
  options: { bucket?: string; versionId?: string; keyField?: string } = {},
): ReportTask {
  return {
    bucket: options.bucket ?? DATA_BUCKET,
    keyField: options.keyField ?? encodeKey(key),
    ...(options.versionId ? { versionId: options.versionId } : {}),
    status: 'succeeded',
    httpStatus: 200,
    message: encodeResultString({ bytes: 0, source: 'AES256', ms: 10, ...result }),
  };
}

/** A failed task answered by the function (PermanentFailure or, after the last redrive, TemporaryFailure). */
export function failedTask(
  key: string,
  cause: FailureCause,
  options: {
    route?: TaskResult['route'];
    bytes?: number;
    reason?: string;
    errorCode?: 'PermanentFailure' | 'TemporaryFailure';
    bucket?: string;
    versionId?: string;
    keyField?: string;
  } = {},
): ReportTask {
  return {
    bucket: options.bucket ?? DATA_BUCKET,
    keyField: options.keyField ?? encodeKey(key),
    ...(options.versionId ? { versionId: options.versionId } : {}),
    status: 'failed',
    httpStatus: 200,
    errorCode: options.errorCode ?? 'PermanentFailure',
    message: encodeResultString({
      route: options.route ?? 'copy',
      bytes: options.bytes ?? 0,
      source: 'AES256',
      ms: 5,
      cause,
      ...(options.reason ? { reason: options.reason } : {}),
    }),
  };
}

/** A failed task whose message is Batch's text for a Lambda error or timeout (aws-facts §1.6). */
export function lambdaErrorTask(key: string, options: { bucket?: string } = {}): ReportTask {
  return {
    bucket: options.bucket ?? DATA_BUCKET,
    keyField: encodeKey(key),
    status: 'failed',
    httpStatus: 200,
    errorCode: 'PermanentFailure',
    message:
      'Lambda returned function error: {"errorMessage":"2019-04-05T17:35:21.155Z 2845ca0d Task timed out after 3.00 seconds"}',
  };
}

export const hintedKeyField = (hints: TaskHints): string => {
  const f = encodeHintedKey(hints);
  if (!f) throw new Error('hints too long for a key field');
  return f;
};

const needsQuotes = (s: string) => /[",\r\n]/.test(s);
export const csvField = (s: string, always = false) =>
  always || needsQuotes(s) ? `"${s.replace(/"/g, '""')}"` : s;

/**
 * One CSV row. `example` is the column order of AWS's example rows (HTTP status fifth), `documented` the
 * order of ReportSchema (error code fifth). ResultMessage is always quoted, as in AWS's examples.
 */
export function reportRow(t: ReportTask, order: 'example' | 'documented' = 'example'): string {
  const http = t.httpStatus === undefined ? '' : String(t.httpStatus);
  const err = t.errorCode ?? '';
  const [c5, c6] = order === 'example' ? [http, err] : [err, http];
  return [
    csvField(t.bucket),
    csvField(t.keyField),
    csvField(t.versionId ?? ''),
    t.status,
    c5,
    c6,
    csvField(t.message, true),
  ].join(',');
}

export interface ReportLayoutOptions {
  readonly reportBucket: string;
  readonly prefix?: string;
  readonly jobId: string;
  readonly tasks: readonly ReportTask[];
  readonly order?: 'example' | 'documented';
  /** Manifest `Key`s include the report prefix (default) or start at `job-<id>/` as in AWS's example. */
  readonly resultKeysIncludePrefix?: boolean;
  /** Split each status over this many files (default 1). */
  readonly filesPerStatus?: number;
  readonly lineEnding?: '\n' | '\r\n';
  readonly creationDate?: string;
}

export interface ReportLayout {
  readonly manifestKey: string;
  readonly manifest: Record<string, unknown>;
  readonly files: readonly { key: string; body: string; status: 'succeeded' | 'failed' }[];
}

/** The objects AWS writes for a completion report (aws-facts §3): result CSVs per status and manifest.json. */
export function reportLayout(o: ReportLayoutOptions): ReportLayout {
  const prefix = (o.prefix ?? '').replace(/\/+$/, '');
  const manifestKey = reportManifestKey(prefix, o.jobId);
  const eol = o.lineEnding ?? '\n';
  const files: { key: string; body: string; status: 'succeeded' | 'failed' }[] = [];
  const results: Record<string, unknown>[] = [];
  for (const status of ['succeeded', 'failed'] as const) {
    const rows = o.tasks.filter((t) => t.status === status);
    if (rows.length === 0) continue;
    const n = Math.min(o.filesPerStatus ?? 1, rows.length);
    for (let i = 0; i < n; i++) {
      const part = rows.filter((_, j) => j % n === i);
      const body = part.map((t) => reportRow(t, o.order) + eol).join('');
      const name = createHash('sha1').update(`${o.jobId}/${status}/${i}/${body}`).digest('hex');
      const rel = `job-${o.jobId}/results/${name}.csv`;
      const key = prefix ? `${prefix}/${rel}` : rel;
      files.push({ key, body, status });
      results.push({
        TaskExecutionStatus: status,
        Bucket: o.reportBucket,
        MD5Checksum: createHash('md5').update(body).digest('hex'),
        Key: (o.resultKeysIncludePrefix ?? true) ? key : rel,
      });
    }
  }
  const manifest = {
    Format: 'Report_CSV_20180820',
    ReportCreationDate: o.creationDate ?? '2026-05-01T12:00:00.000Z',
    Results: results,
    ReportSchema: 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage',
  };
  return { manifestKey, manifest, files };
}

/** Writes a report layout into `<root>/<bucket>/<key>` files (for FileReportSource). */
export async function writeReportToDir(root: string, layout: ReportLayout, bucket: string): Promise<void> {
  const put = async (key: string, body: string) => {
    const path = join(root, bucket, key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
  };
  for (const f of layout.files) await put(f.key, f.body);
  await put(layout.manifestKey, JSON.stringify(layout.manifest, null, 2));
}

/** Writes a report layout to S3 (moto), result files first and manifest.json last, as Batch does. */
export async function writeReportToS3(
  s3: S3Client,
  layout: ReportLayout,
  bucket: string,
  options: { withManifest?: boolean } = {},
): Promise<void> {
  for (const f of layout.files)
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: f.key, Body: f.body, ContentType: 'text/csv' }),
    );
  if (options.withManifest === false) return;
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: layout.manifestKey,
      Body: JSON.stringify(layout.manifest, null, 2),
      ContentType: 'application/json',
    }),
  );
}

/** A sample event from `events/report/<name>.json`, with top-level fields replaced by `overrides`. */
export async function loadReportEvent(
  name: string,
  overrides: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const { readFile } = await import('node:fs/promises');
  const path = new URL(`../../events/report/${name}.json`, import.meta.url);
  return { ...(JSON.parse(await readFile(path, 'utf-8')) as Record<string, unknown>), ...overrides };
}
