import type { InventoryField } from './fields.js';
import { parquetColumnName } from './fields.js';
import type { InventoryValues } from './inventory-values.js';

type Kind = 'text' | 'bool' | 'int' | 'time';
const kindOf = (f: InventoryField): Kind =>
  f === 'IsLatest' || f === 'IsDeleteMarker' || f === 'IsMultipartUploaded'
    ? 'bool'
    : f === 'Size'
      ? 'int'
      : f === 'LastModifiedDate' || f === 'ObjectLockRetainUntilDate' || f === 'LifecycleExpirationDate'
        ? 'time'
        : 'text';

/** `message s3.inventory { ... }` as AWS writes it into manifest.json for Parquet inventories. */
export function parquetFileSchema(columns: readonly InventoryField[]): string {
  const decls = columns.map((f) => {
    const name = parquetColumnName(f);
    const rep = f === 'Bucket' || f === 'Key' ? 'required' : 'optional';
    switch (kindOf(f)) {
      case 'bool':
        return `${rep} boolean ${name};`;
      case 'int':
        return `${rep} int64 ${name};`;
      case 'time':
        return `${rep} int64 ${name} (TIMESTAMP_MILLIS);`;
      default:
        return `${rep} binary ${name} (UTF8);`;
    }
  });
  return `message s3.inventory { ${decls.join(' ')} }`;
}

/**
 * One Parquet data file (Snappy, AWS's column names and types) from buffered rows. Uses
 * hyparquet-writer, loaded only when a Parquet inventory is generated.
 */
export async function parquetFile(
  rows: readonly InventoryValues[],
  columns: readonly InventoryField[],
): Promise<Uint8Array> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const schema = [
    { name: 'root', num_children: columns.length },
    ...columns.map((f) => {
      const name = parquetColumnName(f);
      const repetition_type = f === 'Bucket' || f === 'Key' ? ('REQUIRED' as const) : ('OPTIONAL' as const);
      switch (kindOf(f)) {
        case 'bool':
          return { name, type: 'BOOLEAN' as const, repetition_type };
        case 'int':
          return { name, type: 'INT64' as const, repetition_type };
        case 'time':
          return {
            name,
            type: 'INT64' as const,
            converted_type: 'TIMESTAMP_MILLIS' as const,
            repetition_type,
          };
        default:
          return { name, type: 'BYTE_ARRAY' as const, converted_type: 'UTF8' as const, repetition_type };
      }
    }),
  ];
  const columnData = columns.map((f) => {
    const k = kindOf(f);
    const data = rows.map((r) => {
      const v = r[f];
      if (v === undefined || v === '') return null;
      if (k === 'int') return BigInt(v as number);
      if (k === 'time') return v instanceof Date ? v : new Date(String(v));
      if (k === 'bool') return typeof v === 'boolean' ? v : String(v).toLowerCase() === 'true';
      return v instanceof Date ? v.toISOString() : String(v);
    });
    return { name: parquetColumnName(f), data, nullable: f !== 'Bucket' && f !== 'Key' };
  });
  return new Uint8Array(parquetWriteBuffer({ columnData, schema, rowGroupSize: 10_000 }));
}
