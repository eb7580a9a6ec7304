import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { InventoryField } from './fields.js';
import {
  csvLine,
  DEFAULT_GENERATED_FIELDS,
  generatedColumns,
  type InventoryValues,
} from './inventory-values.js';

/** What a synthetic file contains, so a benchmark can check the filter against an independent count. */
export interface SyntheticCounts {
  rows: number;
  byEncryption: Record<string, number>;
  byStorageClass: Record<string, number>;
  deleteMarkers: number;
  noncurrent: number;
}

export interface SyntheticOptions {
  readonly rows: number;
  readonly seed?: number;
  /** Include VersionId/IsLatest/IsDeleteMarker columns with some noncurrent versions and delete markers. */
  readonly allVersions?: boolean;
  readonly bucket?: string;
}

/**
 * mulberry32, a small well-mixed 32-bit PRNG: the same seed gives the same file. Tests and the test proxy
 * use it too, wherever a run must be reproducible.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: number, table: readonly (readonly [number, T])[]): T => {
  let acc = 0;
  for (const [w, v] of table) {
    acc += w;
    if (r < acc) return v;
  }
  return table[table.length - 1]![1];
};

// A mix shaped like a bucket partway through a migration.
const ENCRYPTION = [
  [0.5, 'SSE-S3'],
  [0.2, 'NOT-SSE'],
  [0.26, 'SSE-KMS'],
  [0.03, 'SSE-C'],
  [0.01, 'DSSE-KMS'],
] as const;
const STORAGE = [
  [0.8, 'STANDARD'],
  [0.08, 'STANDARD_IA'],
  [0.05, 'INTELLIGENT_TIERING'],
  [0.04, 'GLACIER'],
  [0.02, 'DEEP_ARCHIVE'],
  [0.01, 'GLACIER_IR'],
] as const;
const NAMES = [
  'report final.pdf',
  'a+b=c.txt',
  'données/été.csv',
  'img (1).jpg',
  'logs/app.log.gz',
  'x',
] as const;

export const syntheticColumns = (allVersions: boolean): InventoryField[] =>
  generatedColumns(allVersions, DEFAULT_GENERATED_FIELDS);

/**
 * Writes a gzip-compressed CSV inventory data file of `rows` synthetic rows to `out`, fast enough for
 * the 5-million-row benchmark (no S3 listing involved). Keys include spaces, `+`, `=`, parentheses
 * and non-ASCII characters, URL-encoded as S3 does.
 */
export async function writeSyntheticCsvGz(out: Writable, o: SyntheticOptions): Promise<SyntheticCounts> {
  const random = mulberry32(o.seed ?? 42);
  const bucket = o.bucket ?? 'synthetic-bucket';
  const all = o.allVersions ?? false;
  const columns = syntheticColumns(all);
  const counts: SyntheticCounts = {
    rows: 0,
    byEncryption: {},
    byStorageClass: {},
    deleteMarkers: 0,
    noncurrent: 0,
  };
  const gzip = createGzip();
  const done = pipeline(gzip, out);
  const modified = new Date('2024-05-01T00:00:00.000Z');
  let chunk = '';
  for (let i = 0; i < o.rows; i++) {
    const key = `data/${(i % 9973).toString(36)}/${i}-${NAMES[i % NAMES.length]}`;
    const v: InventoryValues = { Bucket: bucket, Key: key };
    const deleteMarker = all && random() < 0.02;
    const noncurrent = all && !deleteMarker && random() < 0.1;
    if (all) {
      v.VersionId = `v${i.toString(36)}`;
      v.IsLatest = !noncurrent;
      v.IsDeleteMarker = deleteMarker;
    }
    counts.rows += 1;
    if (deleteMarker) {
      counts.deleteMarkers += 1;
    } else {
      if (noncurrent) counts.noncurrent += 1;
      const encryption = pick(random(), ENCRYPTION);
      const storageClass = pick(random(), STORAGE);
      counts.byEncryption[encryption] = (counts.byEncryption[encryption] ?? 0) + 1;
      counts.byStorageClass[storageClass] = (counts.byStorageClass[storageClass] ?? 0) + 1;
      const size = Math.floor(random() * random() * 64 * 1024 * 1024);
      Object.assign(v, {
        Size: size,
        LastModifiedDate: modified,
        ETag: (i * 2654435761).toString(16).padStart(32, '0').slice(-32),
        StorageClass: storageClass,
        IsMultipartUploaded: size > 16 * 1024 * 1024,
        EncryptionStatus: encryption,
        ObjectLockLegalHoldStatus: 'OFF',
        IntelligentTieringAccessTier:
          storageClass === 'INTELLIGENT_TIERING' ? (random() < 0.3 ? 'ARCHIVE' : 'FREQUENT') : undefined,
        BucketKeyStatus: encryption === 'SSE-KMS' && random() < 0.5 ? 'ENABLED' : 'DISABLED',
        ChecksumAlgorithm: i % 3 === 0 ? 'SHA-256' : undefined,
      });
    }
    chunk += csvLine(v, columns);
    if (chunk.length >= 64 * 1024) {
      if (!gzip.write(chunk)) await once(gzip, 'drain');
      chunk = '';
    }
  }
  gzip.end(chunk);
  await done;
  return counts;
}
