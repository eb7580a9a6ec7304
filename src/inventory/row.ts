import { decodeKey } from '../batch/keys.js';
import { InventoryRowError } from './errors.js';
import {
  type BucketKeyStatus,
  type EncryptionStatus,
  EncryptionStatuses,
  type InventoryField,
  isEncryptionStatus,
} from './fields.js';
import type { InventoryRow } from './types.js';

/** Where a row came from, for error messages. */
export interface RowOrigin {
  readonly file: string;
  readonly row: number;
}

type Get = (field: InventoryField) => unknown;

export function bad(origin: RowOrigin, field: InventoryField, problem: string): never {
  throw new InventoryRowError(`${field} ${problem} in row ${origin.row} of ${origin.file}`, {
    file: origin.file,
    row: origin.row,
    field,
  });
}

const text = (v: unknown): string | undefined => {
  if (v === undefined || v === null) return undefined;
  const s = typeof v === 'string' ? v : String(v);
  return s === '' ? undefined : s;
};

function bool(v: unknown, field: InventoryField, origin: RowOrigin): boolean | undefined {
  if (typeof v === 'boolean') return v;
  const s = text(v);
  if (s === undefined) return undefined;
  // The docs say `True`, real files have been seen with `true` (aws-facts §4.4).
  const l = s.toLowerCase();
  if (l === 'true') return true;
  if (l === 'false') return false;
  return bad(origin, field, `is "${s}", expected true or false`);
}

function int(v: unknown, field: InventoryField, origin: RowOrigin): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : bad(origin, field, `is ${v}`);
  if (typeof v === 'bigint') return Number(v);
  const s = text(v);
  if (s === undefined) return undefined;
  if (!/^\d+$/.test(s)) return bad(origin, field, `is "${s}", expected a whole number`);
  return Number(s);
}

function date(v: unknown): string | undefined {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint' || typeof v === 'number') return new Date(Number(v)).toISOString();
  return text(v);
}

export const encryptionList = Object.values(EncryptionStatuses).join(', ');

function encryption(v: unknown, origin: RowOrigin, deleteMarker: boolean): EncryptionStatus | undefined {
  const s = text(v);
  if (s === undefined) {
    if (deleteMarker) return undefined;
    return bad(origin, 'EncryptionStatus', `is empty (expected one of ${encryptionList})`);
  }
  const u = s.toUpperCase();
  if (isEncryptionStatus(u)) return u;
  return bad(origin, 'EncryptionStatus', `is "${s}", not one of ${encryptionList}`);
}

function bucketKeyStatus(v: unknown, origin: RowOrigin): BucketKeyStatus | undefined {
  const s = text(v);
  if (s === undefined) return undefined;
  const u = s.toUpperCase();
  if (u === 'ENABLED' || u === 'DISABLED') return u;
  return bad(origin, 'BucketKeyStatus', `is "${s}", expected ENABLED or DISABLED`);
}

/** `SHA-256` (doc example) and `SHA256` (API enum) are the same algorithm. */
export const normaliseChecksumAlgorithm = (s: string): string => s.replace(/-/g, '').toUpperCase();

/**
 * Builds a normalised row from raw column values. `keyEncoded` is true for CSV inventories, whose
 * keys are URL-encoded (aws-facts §4.3); this is the one place they are decoded.
 */
export function buildRow(
  get: Get,
  options: { keyEncoded: boolean; hasVersions: boolean },
  origin: RowOrigin,
): InventoryRow {
  const bucket = text(get('Bucket'));
  if (bucket === undefined) bad(origin, 'Bucket', 'is empty');
  const rawKey = text(get('Key'));
  if (rawKey === undefined) bad(origin, 'Key', 'is empty');
  let key = rawKey;
  if (options.keyEncoded) {
    try {
      key = decodeKey(rawKey);
    } catch {
      bad(origin, 'Key', `"${rawKey.slice(0, 200)}" is not valid URL encoding`);
    }
  }
  const isDeleteMarker = bool(get('IsDeleteMarker'), 'IsDeleteMarker', origin) ?? false;
  const row: {
    -readonly [K in keyof InventoryRow]: InventoryRow[K];
  } = {
    bucket,
    key,
    isLatest: bool(get('IsLatest'), 'IsLatest', origin) ?? true,
    isDeleteMarker,
  };
  if (options.hasVersions) row.versionId = text(get('VersionId')) ?? 'null';
  const size = int(get('Size'), 'Size', origin);
  if (size !== undefined) row.size = size;
  const lastModified = date(get('LastModifiedDate'));
  if (lastModified !== undefined) row.lastModified = lastModified;
  const etag = text(get('ETag'));
  if (etag !== undefined) row.etag = etag.replace(/"/g, '');
  const storageClass = text(get('StorageClass'));
  if (storageClass !== undefined) row.storageClass = storageClass.toUpperCase();
  const enc = encryption(get('EncryptionStatus'), origin, isDeleteMarker);
  if (enc !== undefined) row.encryption = enc;
  const bk = bucketKeyStatus(get('BucketKeyStatus'), origin);
  if (bk !== undefined) row.bucketKey = bk;
  const mode = text(get('ObjectLockMode'));
  if (mode !== undefined) row.objectLockMode = mode.toUpperCase();
  const until = date(get('ObjectLockRetainUntilDate'));
  if (until !== undefined) row.objectLockRetainUntil = until;
  const hold = text(get('ObjectLockLegalHoldStatus'));
  if (hold !== undefined) row.legalHold = hold.toUpperCase() === 'ON';
  const tier = text(get('IntelligentTieringAccessTier'));
  if (tier !== undefined) row.accessTier = tier.toUpperCase();
  const checksum = text(get('ChecksumAlgorithm'));
  if (checksum !== undefined) row.checksumAlgorithm = normaliseChecksumAlgorithm(checksum);
  const mpu = bool(get('IsMultipartUploaded'), 'IsMultipartUploaded', origin);
  if (mpu !== undefined) row.isMultipartUploaded = mpu;
  return row;
}
