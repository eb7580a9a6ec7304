import { type AsyncBuffer, type FileMetaData, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { InventoryDataFileError, InventoryError } from './errors.js';
import { fieldFromParquetColumn, type InventoryField, REQUIRED_FIELDS } from './fields.js';
import { buildRow } from './row.js';
import type { InventoryRow } from './types.js';

const wrap = (file: string, what: string, cause: unknown): InventoryDataFileError =>
  new InventoryDataFileError(
    `${file} is not a readable Parquet file (${what}: ${(cause as Error)?.message ?? cause})`,
    { file },
    { cause },
  );

/**
 * Streams the rows of one Parquet inventory data file one row group at a time, so memory is
 * bounded by the largest row group, not the file. `file` is any AsyncBuffer (S3 range GETs in
 * production). Parquet inventories carry plain keys: only CSV keys are URL-encoded (aws-facts §4.3).
 */
export async function* parquetRows(
  file: AsyncBuffer,
  label: string,
  options: { readonly initialFetchSize?: number } = {},
): AsyncGenerator<InventoryRow> {
  let metadata: FileMetaData;
  try {
    // The first request reads the file's tail (footer) in one go; 512 KiB unless told otherwise.
    metadata = await parquetMetadataAsync(file, { initialFetchSize: options.initialFetchSize ?? 512 * 1024 });
  } catch (cause) {
    throw wrap(label, 'footer', cause);
  }
  const leaves = metadata.schema.slice(1).filter((s) => s.num_children === undefined || s.num_children === 0);
  const byField = new Map<InventoryField, string>();
  for (const leaf of leaves) {
    const field = fieldFromParquetColumn(leaf.name);
    if (field) byField.set(field, leaf.name);
  }
  for (const required of REQUIRED_FIELDS)
    if (!byField.has(required))
      throw new InventoryDataFileError(`${label} has no ${required} column`, {
        file: label,
        field: required,
      });
  const columns = [...byField.values()];
  const rowOptions = { keyEncoded: false, hasVersions: byField.has('VersionId') };

  let start = 0;
  let row = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    let objects: Record<string, unknown>[];
    try {
      objects = await parquetReadObjects({ file, metadata, rowStart: start, rowEnd: end, columns });
    } catch (cause) {
      if (cause instanceof InventoryError) throw cause;
      throw wrap(label, `row group at row ${start + 1}`, cause);
    }
    for (const o of objects) {
      row += 1;
      yield buildRow(
        (f) => {
          const c = byField.get(f);
          return c === undefined ? undefined : o[c];
        },
        rowOptions,
        { file: label, row },
      );
    }
    start = end;
  }
}
