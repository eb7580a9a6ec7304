import { pipeline, Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse';
import { ManifestError } from '../errors.js';
import type { CsvManifestSpec, ManifestTask, TaskSource } from './task-source.js';

const BOM = [0xef, 0xbb, 0xbf];

interface ParsedRow {
  readonly record: string[];
  readonly info: { readonly lines: number };
}
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Where a spec points, for messages. */
export const manifestUri = (spec: { bucket: string; key: string }): string =>
  `s3://${spec.bucket}/${spec.key}`;

function startsWithBom(chunk: Uint8Array): boolean {
  return BOM.every((b, i) => chunk[i] === b);
}

/**
 * Rejects a BOM at the start of the stream (Batch wants UTF-8 without BOM, aws-facts §2.2) and
 * passes every chunk through unchanged.
 */
async function* refuseBom(body: AsyncIterable<Uint8Array>, uri: string): AsyncGenerator<Uint8Array> {
  let first = true;
  for await (const chunk of body) {
    if (first && chunk.length > 0) {
      if (startsWithBom(chunk))
        throw new ManifestError(
          'ManifestInvalid',
          `${uri} starts with a UTF-8 byte order mark; save it without BOM`,
          {
            line: 1,
          },
        );
      first = false;
    }
    yield chunk;
  }
}

/** Checks one parsed row against the spec's Fields and turns it into a task. */
function toTask(record: string[], line: number, spec: CsvManifestSpec, uri: string): ManifestTask {
  const fields = spec.fields;
  const where = `line ${line} of ${uri}`;
  if (record.length === 1 && record[0] === '')
    throw new ManifestError(
      'ManifestInvalid',
      `${where} is empty; a Batch CSV manifest allows no empty lines`,
      {
        line,
      },
    );
  if (record.length !== fields.length) {
    const hasVersion = fields.includes('VersionId');
    const hint =
      record.length === fields.length + 1 && !hasVersion
        ? ' (a version id column appears although Fields has no VersionId: every row must have a version id or none)'
        : record.length === fields.length - 1 && hasVersion
          ? ' (the version id column is missing: every row must have a version id or none)'
          : '';
    throw new ManifestError(
      'ManifestInvalid',
      `${where} has ${record.length} columns but Fields [${fields.join(',')}] has ${fields.length}${hint}`,
      { line },
    );
  }
  const column = (name: 'Bucket' | 'Key' | 'VersionId') => {
    const i = fields.indexOf(name);
    return i < 0 ? undefined : record[i];
  };
  const bucket = column('Bucket') ?? '';
  if (!BUCKET.test(bucket))
    throw new ManifestError('ManifestInvalid', `${where}: "${bucket.slice(0, 80)}" is not a bucket name`, {
      line,
    });
  const keyField = column('Key') ?? '';
  if (keyField === '')
    throw new ManifestError('ManifestInvalid', `${where}: the key column is empty`, { line });
  const versionId = column('VersionId');
  return { bucket, keyField, versionId: versionId ?? null, line };
}

/**
 * An S3BatchOperations_CSV_20180820 manifest read from S3 row by row. Every read is pinned to the
 * ETag (and version) the job was created with, so a manifest replaced mid-job fails the job
 * instead of silently running a different task list.
 */
export function csvManifestSource(spec: CsvManifestSpec, s3: S3Client): TaskSource {
  const uri = manifestUri(spec);
  return {
    async *tasks(signal?: AbortSignal): AsyncGenerator<ManifestTask> {
      let body: Readable;
      try {
        const out = await s3.send(
          new GetObjectCommand({
            Bucket: spec.bucket,
            Key: spec.key,
            IfMatch: `"${spec.etag.replace(/"/g, '')}"`,
            ...(spec.versionId ? { VersionId: spec.versionId } : {}),
          }),
          signal ? { abortSignal: signal } : {},
        );
        body = out.Body as Readable;
      } catch (cause) {
        throw readError(cause, uri);
      }
      const source = Readable.from(refuseBom(body, uri));
      const parser = parse({ relax_column_count: true, skip_empty_lines: false, info: true });
      // pipeline destroys the parser with any source error, so it surfaces in the loop below.
      pipeline(source, parser, () => {});
      try {
        for await (const { record, info } of parser as AsyncIterable<ParsedRow>)
          yield toTask(record, info.lines, spec, uri);
      } catch (e) {
        if (e instanceof ManifestError) throw e;
        throw new ManifestError(
          'ManifestInvalid',
          `${uri} is not valid CSV: ${(e as Error).message}`,
          {},
          { cause: e },
        );
      } finally {
        source.destroy();
        parser.destroy();
        body.destroy();
      }
    },
  };
}

/** S3 read failures → the FailureReasons Batch would show for the manifest. */
export function readError(cause: unknown, uri: string): ManifestError {
  const e = cause as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  if (e.name === 'NoSuchKey' || e.name === 'NotFound' || e.name === 'NoSuchVersion' || status === 404)
    return new ManifestError('ManifestNotFound', `manifest ${uri} does not exist`, {}, { cause });
  if (e.name === 'PreconditionFailed' || status === 412)
    return new ManifestError(
      'ManifestETagMismatch',
      `manifest ${uri} changed since the job was created (its ETag no longer matches)`,
      {},
      { cause },
    );
  if (e.name === 'AccessDenied' || status === 403)
    return new ManifestError(
      'ManifestAccessDenied',
      `reading manifest ${uri} is forbidden: ${e.message}`,
      {},
      { cause },
    );
  return new ManifestError(
    'ManifestReadFailed',
    `reading manifest ${uri} failed: ${e.message ?? String(cause)}`,
    {},
    {
      cause,
    },
  );
}
