import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { parse } from 'csv-parse/sync';
import { decodeKey } from '../batch/keys.js';
import { parseHints } from '../batch/task-hints.js';
import type { JobManifestSpec } from '../jobs/port.js';
import { PipelineInputError } from './errors.js';

type CsvSpec = Extract<JobManifestSpec, { format: 'S3BatchOperations_CSV_20180820' }>;

/** A Batch CSV manifest ready for CreateJob, and whether its key fields carry task hints. */
export interface CsvManifest {
  readonly spec: CsvSpec;
  readonly hints: boolean;
}

/** `s3://bucket/key` → its parts; PipelineInputError for anything else. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) throw new PipelineInputError(`expected s3://<bucket>/<key>, got "${uri}"`, uri);
  return { bucket: m[1] as string, key: m[2] as string };
}

// A row is at most bucket (63) + key field (1,024) + version id (1,024) + separators; 8 KiB is plenty.
const PEEK_BYTES = 8192;

async function uploadFile(
  s3: S3Client,
  path: string,
  where: { bucket: string; prefix: string },
): Promise<{ bucket: string; key: string }> {
  const hash = createHash('sha256');
  try {
    await pipeline(createReadStream(path), hash);
  } catch (cause) {
    throw new PipelineInputError(`cannot read manifest file ${path}: ${(cause as Error).message}`, path, {
      cause,
    });
  }
  // Content-addressed: uploading the same file again names the same object (and gives the same job token).
  const key = `${where.prefix ? `${where.prefix}/` : ''}uploads/${hash.digest('hex').slice(0, 16)}/${basename(path)}`;
  await new Upload({
    client: s3,
    params: { Bucket: where.bucket, Key: key, Body: createReadStream(path), ContentType: 'text/csv' },
  }).done();
  return { bucket: where.bucket, key };
}

async function firstLine(s3: S3Client, bucket: string, key: string, uri: string): Promise<string> {
  const out = await s3.send(
    new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${PEEK_BYTES - 1}` }),
  );
  const text = (await out.Body?.transformToString('utf-8')) ?? '';
  const end = text.indexOf('\n');
  if (end >= 0) return text.slice(0, end).replace(/\r$/, '');
  if (text.length >= PEEK_BYTES)
    throw new PipelineInputError(
      `the first line of ${uri} is longer than ${PEEK_BYTES} bytes: not a Batch CSV manifest`,
      uri,
    );
  return text;
}

function isHintedField(field: string): boolean {
  let text: string;
  try {
    text = decodeKey(field);
  } catch {
    return false;
  }
  if (!text.startsWith('{"k":')) return false;
  try {
    parseHints(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the CSV manifest in S3 (uploading a local file first), reads its ETag for CreateJob, and tells its
 * columns and key-field form from the first row: every row must have the same shape (aws-facts §2.2).
 */
export async function prepareCsvManifest(
  s3: S3Client,
  source: { kind: 'csv'; uri: string } | { kind: 'csv-file'; path: string },
  manifests: { bucket: string; prefix: string },
): Promise<CsvManifest> {
  const { bucket, key } =
    source.kind === 'csv' ? parseS3Uri(source.uri) : await uploadFile(s3, source.path, manifests);
  const uri = `s3://${bucket}/${key}`;
  let etag: string;
  let size: number;
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    etag = (head.ETag ?? '').replace(/"/g, '');
    size = head.ContentLength ?? 0;
  } catch (cause) {
    const status = (cause as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404) throw new PipelineInputError(`manifest ${uri} does not exist`, uri, { cause });
    throw cause;
  }
  if (size === 0) throw new PipelineInputError(`manifest ${uri} is empty: it lists no objects`, uri);
  const line = await firstLine(s3, bucket, key, uri);
  let record: string[];
  try {
    [record = []] = parse(line, { relax_quotes: false }) as string[][];
  } catch (cause) {
    throw new PipelineInputError(
      `the first line of ${uri} is not valid CSV: ${(cause as Error).message}`,
      uri,
      {
        cause,
      },
    );
  }
  if (record.length !== 2 && record.length !== 3)
    throw new PipelineInputError(
      `the first line of ${uri} has ${record.length} columns; a Batch CSV manifest has Bucket,Key or Bucket,Key,VersionId`,
      uri,
    );
  return {
    spec: {
      format: 'S3BatchOperations_CSV_20180820',
      bucket,
      key,
      etag,
      fields: record.length === 3 ? ['Bucket', 'Key', 'VersionId'] : ['Bucket', 'Key'],
    },
    hints: isHintedField(record[1] ?? ''),
  };
}
