import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AsyncBuffer } from 'hyparquet';
import pLimit from 'p-limit';
import { csvGzRowBatches } from './csv-rows.js';
import { InventoryChecksumError, InventoryDataFileError, InventoryManifestError } from './errors.js';
import { parseInventoryManifest, s3Url } from './manifest-parse.js';
import { parquetRows } from './parquet-rows.js';
import type { InventoryDataFile, InventoryManifest, InventoryManifestRef, InventoryRow } from './types.js';

export const isNotFound = (e: unknown): boolean => {
  const x = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return x?.name === 'NoSuchKey' || x?.name === 'NotFound' || x?.$metadata?.httpStatusCode === 404;
};

export const stripQuotes = (etag: string | undefined): string => (etag ?? '').replace(/"/g, '');

async function getBytes(
  s3: S3Client,
  bucket: string,
  key: string,
  versionId?: string,
): Promise<{ bytes: Uint8Array; etag: string; versionId?: string } | undefined> {
  try {
    const out = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
    );
    const bytes = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
    return { bytes, etag: stripQuotes(out.ETag), ...(out.VersionId ? { versionId: out.VersionId } : {}) };
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** `.../2024-01-01T00-00Z/manifest.json` → `.../2024-01-01T00-00Z/manifest.checksum`. */
export const checksumKeyFor = (manifestKey: string): string =>
  manifestKey.replace(/manifest\.json$/, 'manifest.checksum');

/**
 * Reads manifest.json (and manifest.checksum when present: the MD5 of manifest.json, aws-facts §4.1)
 * and validates it. The checksum is looked for beside the manifest; its absence is not an error
 * because the event for manifest.json can arrive before S3 writes the checksum.
 */
export async function readInventoryManifest(
  s3: S3Client,
  ref: InventoryManifestRef,
): Promise<InventoryManifest> {
  let found = await getBytes(s3, ref.bucket, ref.key, ref.versionId);
  let actualRef = ref;
  if (!found && ref.rawKey && ref.rawKey !== ref.key) {
    found = await getBytes(s3, ref.bucket, ref.rawKey, ref.versionId);
    if (found) actualRef = { ...ref, key: ref.rawKey };
  }
  const file = s3Url(ref.bucket, ref.key);
  if (!found) throw new InventoryManifestError(`manifest.json does not exist: ${file}`, { file });
  const checksum = await getBytes(s3, actualRef.bucket, checksumKeyFor(actualRef.key));
  let checksumVerified = false;
  if (checksum) {
    const expected = Buffer.from(checksum.bytes).toString('utf8').trim().toLowerCase();
    const actual = createHash('md5').update(found.bytes).digest('hex');
    if (expected !== actual) throw new InventoryChecksumError(file, expected, actual);
    checksumVerified = true;
  }
  const text = Buffer.from(found.bytes).toString('utf8');
  return parseInventoryManifest(text, {
    ref: { ...actualRef, ...(found.versionId ? { versionId: found.versionId } : {}) },
    etag: found.etag,
    checksumVerified,
  });
}

/**
 * HEADs every data file before anything is written, so a missing or replaced file stops the run
 * before a manifest exists (a file found missing half-way would otherwise waste the work done).
 */
export async function checkDataFiles(
  s3: S3Client,
  manifest: InventoryManifest,
  concurrency = 8,
): Promise<void> {
  const limit = pLimit(concurrency);
  await Promise.all(
    manifest.files.map((f) =>
      limit(async () => {
        const file = s3Url(manifest.destinationBucket, f.key);
        let size: number | undefined;
        try {
          const head = await s3.send(
            new HeadObjectCommand({ Bucket: manifest.destinationBucket, Key: f.key }),
          );
          size = head.ContentLength;
        } catch (cause) {
          if (isNotFound(cause))
            throw new InventoryDataFileError(`data file listed in manifest.json is missing: ${file}`, {
              file,
            });
          throw new InventoryDataFileError(
            `cannot read data file ${file}: ${(cause as Error).message}`,
            { file },
            { cause },
          );
        }
        if (size !== undefined && size !== f.size)
          throw new InventoryDataFileError(
            `data file ${file} is ${size} bytes but manifest.json lists ${f.size}: it was replaced or is incomplete`,
            { file },
          );
      }),
    ),
  );
}

/** Random access to an S3 object through ranged GETs, for the Parquet reader (footer first, then row groups). */
export function s3AsyncBuffer(s3: S3Client, bucket: string, key: string, byteLength: number): AsyncBuffer {
  return {
    byteLength,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const last = (end ?? byteLength) - 1;
      if (last < start) return new ArrayBuffer(0);
      const out = await s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${last}` }),
      );
      const bytes = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
}

/** Parquet rows are grouped into batches of this many, like the CSV reader's per-chunk batches. */
const PARQUET_BATCH = 1000;

/**
 * Rows of one data file, whatever its format, in batches (CSV: one per decompressed chunk). Loops over
 * millions of rows should take batches: an `await` per batch instead of one per row.
 */
export async function* dataFileRowBatches(
  s3: S3Client,
  manifest: InventoryManifest,
  dataFile: InventoryDataFile,
): AsyncGenerator<InventoryRow[]> {
  const bucket = manifest.destinationBucket;
  const file = s3Url(bucket, dataFile.key);
  if (manifest.fileFormat === 'Parquet') {
    let batch: InventoryRow[] = [];
    try {
      for await (const row of parquetRows(s3AsyncBuffer(s3, bucket, dataFile.key, dataFile.size), file)) {
        batch.push(row);
        if (batch.length === PARQUET_BATCH) {
          yield batch;
          batch = [];
        }
      }
    } catch (e) {
      // As with CSV: the rows before the failure are delivered, then the error.
      if (batch.length > 0) yield batch;
      throw e;
    }
    if (batch.length > 0) yield batch;
    return;
  }
  let body: Readable;
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: dataFile.key }));
    body = out.Body as Readable;
  } catch (cause) {
    if (isNotFound(cause))
      throw new InventoryDataFileError(`data file listed in manifest.json is missing: ${file}`, { file });
    throw new InventoryDataFileError(
      `cannot read data file ${file}: ${(cause as Error).message}`,
      { file },
      { cause },
    );
  }
  yield* csvGzRowBatches(body, manifest.columns, file);
}

/** Rows of one data file, whatever its format, one at a time (see `dataFileRowBatches`). */
export async function* dataFileRows(
  s3: S3Client,
  manifest: InventoryManifest,
  dataFile: InventoryDataFile,
): AsyncGenerator<InventoryRow> {
  for await (const batch of dataFileRowBatches(s3, manifest, dataFile)) yield* batch;
}
