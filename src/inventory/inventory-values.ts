import { encodeKey } from '../batch/keys.js';
import type { InventoryField } from './fields.js';

/**
 * One inventory row as S3 would write it, before format encoding: strings for text columns,
 * booleans, byte counts and dates. `undefined` is an empty CSV cell / Parquet null.
 */
export type InventoryValues = Partial<Record<InventoryField, string | number | boolean | Date | undefined>>;

/** Default optional fields of generated inventories, in AWS's column order: everything the filter reads. */
export const DEFAULT_GENERATED_FIELDS: readonly InventoryField[] = [
  'Size',
  'LastModifiedDate',
  'ETag',
  'StorageClass',
  'IsMultipartUploaded',
  'EncryptionStatus',
  'ObjectLockRetainUntilDate',
  'ObjectLockMode',
  'ObjectLockLegalHoldStatus',
  'IntelligentTieringAccessTier',
  'BucketKeyStatus',
  'ChecksumAlgorithm',
];

/** Column order of a generated inventory: Bucket, Key, the version columns when listing all versions, then fields. */
export function generatedColumns(allVersions: boolean, fields: readonly InventoryField[]): InventoryField[] {
  const base: InventoryField[] = ['Bucket', 'Key'];
  if (allVersions) base.push('VersionId', 'IsLatest', 'IsDeleteMarker');
  return [...base, ...fields.filter((f) => !base.includes(f))];
}

const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** A CSV line the way S3 Inventory writes it: every value quoted, the key URL-encoded (aws-facts §4.3). */
export function csvLine(values: InventoryValues, columns: readonly InventoryField[]): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    const v = values[c];
    let s: string;
    if (v === undefined) s = '';
    else if (v instanceof Date) s = v.toISOString();
    else if (c === 'Key') s = encodeKey(String(v));
    else s = String(v);
    line += i === 0 ? quote(s) : `,${quote(s)}`;
  }
  return `${line}\n`;
}
