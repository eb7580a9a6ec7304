import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CsvRecordReader } from './csv-records.js';
import { CSV_ROW_FIELDS, csvRowBuilder } from './csv-row.js';
import { InventoryDataFileError, InventoryRowError } from './errors.js';
import type { InventoryField } from './fields.js';
import type { InventoryRow } from './types.js';

// Larger than zlib's 16 KiB default: each chunk costs a stream round trip on the main thread (while zlib
// inflates the next one on the thread pool). 64 KiB measured a little faster than 256 KiB or 1 MiB.
const GUNZIP_CHUNK = 64 * 1024;

/**
 * Streams the rows of one gzip-compressed CSV inventory data file in batches (one per decompressed
 * chunk of 64 KiB, a few hundred rows): bytes → gunzip → records (csv-records.ts) → normalised rows.
 * Memory stays at a few chunks whatever the file size. There is no header row; `columns` (from
 * fileSchema) gives the order (aws-facts §4.3). Rows before a bad row are delivered before its error.
 */
export async function* csvGzRowBatches(
  body: Readable,
  columns: readonly (InventoryField | null)[],
  file: string,
): AsyncGenerator<InventoryRow[]> {
  const build = csvRowBuilder(columns, file);
  let batch: InventoryRow[] = [];
  const reader = new CsvRecordReader(
    columns.length,
    file,
    (cells, row) => {
      if (cells.length !== columns.length)
        throw new InventoryRowError(
          `row ${row} of ${file} has ${cells.length} columns but fileSchema lists ${columns.length}`,
          { file, row },
        );
      batch.push(build(cells, row));
    },
    { wanted: columns.map((c) => c !== null && CSV_ROW_FIELDS.has(c)) },
  );
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK });
  let failure: Error | undefined;
  body.once('error', (cause) => {
    failure ??= new InventoryDataFileError(`reading ${file} failed: ${cause.message}`, { file }, { cause });
  });
  gunzip.once('error', (cause) => {
    failure ??= new InventoryDataFileError(
      `${file} is not a complete gzip stream (${cause.message}): the data file is truncated or corrupt`,
      { file },
      { cause },
    );
  });
  pipeline(body, gunzip, () => {});

  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      const bad = feed(() => reader.write(chunk));
      if (batch.length > 0) {
        const out = batch;
        batch = [];
        yield out;
      }
      if (bad) throw bad;
    }
    const bad = feed(() => reader.end());
    if (batch.length > 0) yield batch;
    if (bad) throw bad;
  } catch (e) {
    if (failure) throw failure;
    throw e;
  } finally {
    if (!gunzip.destroyed) gunzip.destroy();
    if (!body.destroyed) body.destroy();
  }
  if (failure) throw failure;
}

/** The error a step threw, so the rows it built before failing can be delivered first. */
function feed(step: () => void): unknown {
  try {
    step();
    return undefined;
  } catch (e) {
    return e;
  }
}

/** The rows of one gzip-compressed CSV inventory data file, one at a time (see `csvGzRowBatches`). */
export async function* csvGzRows(
  body: Readable,
  columns: readonly (InventoryField | null)[],
  file: string,
): AsyncGenerator<InventoryRow> {
  for await (const batch of csvGzRowBatches(body, columns, file)) yield* batch;
}
