import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CsvError, parse } from 'csv-parse';
import { InventoryDataFileError, InventoryRowError } from './errors.js';
import type { InventoryField } from './fields.js';
import { buildRow } from './row.js';
import type { InventoryRow } from './types.js';

/**
 * Streams the rows of one gzip-compressed CSV inventory data file: bytes → gunzip → csv-parse →
 * normalised rows. Memory stays at a few stream buffers whatever the file size. There is no header
 * row; `columns` (from fileSchema) gives the order (aws-facts §4.3).
 */
export async function* csvGzRows(
  body: Readable,
  columns: readonly (InventoryField | null)[],
  file: string,
): AsyncGenerator<InventoryRow> {
  const index = new Map<InventoryField, number>();
  columns.forEach((c, i) => {
    if (c) index.set(c, i);
  });
  const options = { keyEncoded: true, hasVersions: index.has('VersionId') };
  const gunzip = createGunzip();
  // relax_column_count: the count is checked here so the error can name the row and the schema.
  const parser = parse({ relax_column_count: true, skip_empty_lines: true });
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
  parser.once('error', (cause) => {
    if (cause instanceof CsvError)
      failure ??= new InventoryRowError(
        `${file} is not valid CSV near line ${(cause as CsvError & { lines?: number }).lines ?? '?'}: ${cause.message}`,
        { file, ...(typeof cause.lines === 'number' ? { row: cause.lines } : {}) },
        { cause },
      );
  });
  pipeline(body, gunzip, parser, () => {});

  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row += 1;
      if (record.length !== columns.length)
        throw new InventoryRowError(
          `row ${row} of ${file} has ${record.length} columns but fileSchema lists ${columns.length}`,
          { file, row },
        );
      yield buildRow(
        (f) => {
          const i = index.get(f);
          return i === undefined ? undefined : record[i];
        },
        options,
        { file, row },
      );
    }
  } catch (e) {
    if (failure) throw failure;
    throw e;
  } finally {
    if (!parser.destroyed) parser.destroy();
    if (!body.destroyed) body.destroy();
  }
  if (failure) throw failure;
}
