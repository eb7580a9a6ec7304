import { decodeKey } from '../batch/keys.js';
import {
  type BucketKeyStatus,
  type EncryptionStatus,
  type InventoryField,
  isEncryptionStatus,
} from './fields.js';
import { bad, encryptionList, normaliseChecksumAlgorithm } from './row.js';
import type { InventoryRow } from './types.js';

type MutableRow = { -readonly [K in keyof InventoryRow]: InventoryRow[K] };

/** The columns `csvRowBuilder` reads; a CSV reader need not cut the others out of a line. */
export const CSV_ROW_FIELDS: ReadonlySet<InventoryField> = new Set<InventoryField>([
  'Bucket',
  'Key',
  'VersionId',
  'IsLatest',
  'IsDeleteMarker',
  'Size',
  'LastModifiedDate',
  'ETag',
  'StorageClass',
  'EncryptionStatus',
  'BucketKeyStatus',
  'ObjectLockMode',
  'ObjectLockRetainUntilDate',
  'ObjectLockLegalHoldStatus',
  'IntelligentTieringAccessTier',
  'ChecksumAlgorithm',
  'IsMultipartUploaded',
]);

/** Builds a normalised row from one CSV record's cells; `row` is the record number for error messages. */
export type CsvRowBuilder = (cells: readonly string[], row: number) => InventoryRow;

const fail = (file: string, row: number, field: InventoryField, problem: string): never =>
  bad({ file, row }, field, problem);

/**
 * `buildRow` specialised for CSV cells, with the column positions looked up once per file: the same
 * values, the same property order and the same errors (row.test.ts compares the two), at a fraction of
 * the per-row cost. Common spellings are matched first and the constants returned, so later string
 * comparisons (classification, stats) compare identical strings.
 */
export function csvRowBuilder(columns: readonly (InventoryField | null)[], file: string): CsvRowBuilder {
  const at = (f: InventoryField) => {
    if (!CSV_ROW_FIELDS.has(f))
      throw new Error(`csvRowBuilder reads ${f} but CSV_ROW_FIELDS does not list it`);
    return columns.indexOf(f);
  };
  const iBucket = at('Bucket');
  const iKey = at('Key');
  const iVersion = at('VersionId');
  const iLatest = at('IsLatest');
  const iDelete = at('IsDeleteMarker');
  const iSize = at('Size');
  const iModified = at('LastModifiedDate');
  const iEtag = at('ETag');
  const iClass = at('StorageClass');
  const iEncryption = at('EncryptionStatus');
  const iBucketKey = at('BucketKeyStatus');
  const iMode = at('ObjectLockMode');
  const iUntil = at('ObjectLockRetainUntilDate');
  const iHold = at('ObjectLockLegalHoldStatus');
  const iTier = at('IntelligentTieringAccessTier');
  const iChecksum = at('ChecksumAlgorithm');
  const iMultipart = at('IsMultipartUploaded');

  const bool = (s: string, field: InventoryField, row: number): boolean | undefined => {
    if (s === 'true') return true;
    if (s === 'false') return false;
    if (s === '') return undefined;
    // The docs say `True`, real files have been seen with `true` (aws-facts §4.4).
    const l = s.toLowerCase();
    if (l === 'true') return true;
    if (l === 'false') return false;
    return fail(file, row, field, `is "${s}", expected true or false`);
  };

  return (cells, row) => {
    const bucket = iBucket < 0 ? '' : cells[iBucket]!;
    if (bucket === '') fail(file, row, 'Bucket', 'is empty');
    const rawKey = iKey < 0 ? '' : cells[iKey]!;
    if (rawKey === '') fail(file, row, 'Key', 'is empty');
    let key = rawKey;
    // Keys are URL-encoded (aws-facts §4.3); many have nothing to decode. (Decoding escapes by hand was
    // tried: it builds the key from pieces, and every later use of the key paid more than was saved.)
    if (rawKey.indexOf('%') >= 0 || rawKey.indexOf('+') >= 0) {
      try {
        key = rawKey.indexOf('+') < 0 ? decodeURIComponent(rawKey) : decodeKey(rawKey);
      } catch {
        fail(file, row, 'Key', `"${rawKey.slice(0, 200)}" is not valid URL encoding`);
      }
    }
    const isDeleteMarker = (iDelete < 0 ? undefined : bool(cells[iDelete]!, 'IsDeleteMarker', row)) ?? false;
    const r: MutableRow = {
      bucket,
      key,
      isLatest: (iLatest < 0 ? undefined : bool(cells[iLatest]!, 'IsLatest', row)) ?? true,
      isDeleteMarker,
    };
    if (iVersion >= 0) r.versionId = cells[iVersion] || 'null';
    if (iSize >= 0) {
      const s = cells[iSize]!;
      if (s !== '') r.size = wholeNumber(s, file, row);
    }
    if (iModified >= 0 && cells[iModified] !== '') r.lastModified = cells[iModified];
    if (iEtag >= 0) {
      const s = cells[iEtag]!;
      if (s !== '') r.etag = s.indexOf('"') < 0 ? s : s.replace(/"/g, '');
    }
    if (iClass >= 0) {
      const s = cells[iClass]!;
      if (s !== '') r.storageClass = s === 'STANDARD' ? 'STANDARD' : s.toUpperCase();
    }
    const enc = encryption(iEncryption < 0 ? '' : cells[iEncryption]!, file, row, isDeleteMarker);
    if (enc !== undefined) r.encryption = enc;
    if (iBucketKey >= 0) {
      const s = cells[iBucketKey]!;
      if (s !== '') r.bucketKey = bucketKeyStatus(s, file, row);
    }
    if (iMode >= 0 && cells[iMode] !== '') r.objectLockMode = cells[iMode]!.toUpperCase();
    if (iUntil >= 0 && cells[iUntil] !== '') r.objectLockRetainUntil = cells[iUntil];
    if (iHold >= 0) {
      const s = cells[iHold]!;
      if (s !== '') r.legalHold = s === 'OFF' ? false : s === 'ON' ? true : s.toUpperCase() === 'ON';
    }
    if (iTier >= 0 && cells[iTier] !== '') r.accessTier = cells[iTier]!.toUpperCase();
    if (iChecksum >= 0) {
      const s = cells[iChecksum]!;
      if (s !== '') r.checksumAlgorithm = s === 'SHA-256' ? 'SHA256' : normaliseChecksumAlgorithm(s);
    }
    if (iMultipart >= 0) {
      const mpu = bool(cells[iMultipart]!, 'IsMultipartUploaded', row);
      if (mpu !== undefined) r.isMultipartUploaded = mpu;
    }
    return r;
  };
}

function wholeNumber(s: string, file: string, row: number): number {
  // Up to 15 digits is exact in a double; longer values take the general path, as buildRow does.
  if (s.length <= 15) {
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return fail(file, row, 'Size', `is "${s}", expected a whole number`);
      n = n * 10 + d;
    }
    return n;
  }
  if (!/^\d+$/.test(s)) return fail(file, row, 'Size', `is "${s}", expected a whole number`);
  return Number(s);
}

function encryption(
  s: string,
  file: string,
  row: number,
  deleteMarker: boolean,
): EncryptionStatus | undefined {
  switch (s) {
    case 'SSE-S3':
      return 'SSE-S3';
    case 'SSE-KMS':
      return 'SSE-KMS';
    case 'NOT-SSE':
      return 'NOT-SSE';
    case 'DSSE-KMS':
      return 'DSSE-KMS';
    case 'SSE-C':
      return 'SSE-C';
    case '':
      if (deleteMarker) return undefined;
      return fail(file, row, 'EncryptionStatus', `is empty (expected one of ${encryptionList})`);
  }
  const u = s.toUpperCase();
  if (isEncryptionStatus(u)) return u;
  return fail(file, row, 'EncryptionStatus', `is "${s}", not one of ${encryptionList}`);
}

function bucketKeyStatus(s: string, file: string, row: number): BucketKeyStatus {
  if (s === 'ENABLED' || s === 'DISABLED') return s;
  const u = s.toUpperCase();
  if (u === 'ENABLED' || u === 'DISABLED') return u;
  return fail(file, row, 'BucketKeyStatus', `is "${s}", expected ENABLED or DISABLED`);
}
