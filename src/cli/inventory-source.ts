import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { AsyncBuffer } from 'hyparquet';
import { csvGzRows } from '../inventory/csv-rows.js';
import {
  InventoryChecksumError,
  InventoryDataFileError,
  InventoryManifestError,
} from '../inventory/errors.js';
import { parseInventoryManifest } from '../inventory/manifest-parse.js';
import { parquetRows } from '../inventory/parquet-rows.js';
import { checkDataFiles, checksumKeyFor, dataFileRows, readInventoryManifest } from '../inventory/s3-read.js';
import type { InventoryDataFile, InventoryManifest, InventoryRow } from '../inventory/types.js';
import type { InputFile } from './options.js';

/** An inventory delivery to read, from S3 or from a local copy of it. */
export interface InventorySource {
  readonly manifest: InventoryManifest;
  /** Where manifest.json was read from (`s3://…` or an absolute path). */
  readonly location: string;
  rows(file: InventoryDataFile): AsyncGenerator<InventoryRow>;
}

/** Reads and validates manifest.json and checks every data file exists before any row is read. */
export async function openInventory(input: InputFile, s3: () => S3Client): Promise<InventorySource> {
  if (input.kind === 's3') {
    const client = s3();
    const manifest = await readInventoryManifest(client, { bucket: input.bucket, key: input.key });
    await checkDataFiles(client, manifest);
    return { manifest, location: input.uri, rows: (file) => dataFileRows(client, manifest, file) };
  }
  return openLocalInventory(input.path);
}

const isMissing = (e: unknown) => (e as NodeJS.ErrnoException)?.code === 'ENOENT';

async function readLocal(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw new InventoryManifestError(
      `cannot read ${path}: ${(e as Error).message}`,
      { file: path },
      { cause: e },
    );
  }
}

/**
 * A delivery copied to disk (`aws s3 sync` or `aws s3 cp --recursive`). Data file keys name the
 * destination bucket's layout (`<prefix>/<source>/<config>/data/<file>`); the file is looked for under
 * the manifest's folder and its parents with the longest matching tail of that key, so both a copy of the
 * whole destination and a copy of one configuration's folder work.
 */
async function openLocalInventory(path: string): Promise<InventorySource> {
  const absolute = resolve(path);
  const bytes = await readLocal(absolute);
  if (!bytes)
    throw new InventoryManifestError(`manifest.json does not exist: ${absolute}`, { file: absolute });
  const checksum = await readLocal(checksumKeyFor(absolute));
  let checksumVerified = false;
  const etag = createHash('md5').update(bytes).digest('hex');
  if (checksum && absolute.endsWith('manifest.json')) {
    const expected = checksum.toString('utf8').trim().toLowerCase();
    if (expected !== etag) throw new InventoryChecksumError(absolute, expected, etag);
    checksumVerified = true;
  }
  const manifest = parseInventoryManifest(bytes.toString('utf8'), {
    ref: { bucket: '(local)', key: absolute },
    etag,
    checksumVerified,
  });
  const paths = new Map<string, string>();
  for (const file of manifest.files) paths.set(file.key, await locateDataFile(absolute, file));
  return {
    manifest,
    location: absolute,
    rows: (file) => localRows(manifest, file, paths.get(file.key) as string),
  };
}

/** How many folders above manifest.json to look in (delivery folder, configuration, source, prefix…). */
const PARENT_LEVELS = 5;

async function locateDataFile(manifestPath: string, file: InventoryDataFile): Promise<string> {
  const parts = file.key.split('/').filter(Boolean);
  const tried: string[] = [];
  let folder = dirname(manifestPath);
  for (let level = 0; level <= PARENT_LEVELS; level++) {
    for (let start = 0; start < parts.length; start++) {
      const candidate = join(folder, ...parts.slice(start));
      tried.push(candidate);
      const found = await stat(candidate).catch(() => undefined);
      if (!found?.isFile()) continue;
      if (found.size !== file.size)
        throw new InventoryDataFileError(
          `data file ${candidate} is ${found.size} bytes but manifest.json lists ${file.size}: it was replaced or is incomplete`,
          { file: candidate },
        );
      return candidate;
    }
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  throw new InventoryDataFileError(
    `data file ${file.key} listed in ${manifestPath} is not on disk (looked in ${tried.length} places, e.g. ${tried[0] ?? file.key}); copy the data/ folder beside the delivery folder`,
    { file: file.key },
  );
}

function fileAsyncBuffer(path: string, byteLength: number): AsyncBuffer {
  return {
    byteLength,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const stop = end ?? byteLength;
      const buffer = new ArrayBuffer(Math.max(0, stop - start));
      const handle = await open(path, 'r');
      try {
        await handle.read(new Uint8Array(buffer), 0, buffer.byteLength, start);
      } finally {
        await handle.close();
      }
      return buffer;
    },
  };
}

async function* localRows(
  manifest: InventoryManifest,
  file: InventoryDataFile,
  path: string,
): AsyncGenerator<InventoryRow> {
  if (manifest.fileFormat === 'Parquet') {
    yield* parquetRows(fileAsyncBuffer(path, file.size), path);
    return;
  }
  yield* csvGzRows(createReadStream(path), manifest.columns, path);
}
