import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { AsyncBuffer } from 'hyparquet';
import type { InventoryField } from '../../src/inventory/fields.js';
import type { SelectionOptions } from '../../src/inventory/filter.js';
import { csvLine, type InventoryValues } from '../../src/inventory/inventory-values.js';
import type { InventoryRow } from '../../src/inventory/types.js';
import type { TriggerSettings } from '../../src/trigger/types.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A sample event from `events/<path>`, optionally reshaped by `edit` (tests never edit the files). */
export function loadEvent<T = Record<string, unknown>>(path: string, edit?: (e: T) => void): T {
  const e = JSON.parse(readFileSync(join(root, 'events', path), 'utf8')) as T;
  edit?.(e);
  return e;
}

/** A normalised inventory row: a current SSE-S3 STANDARD object unless overridden. */
export function anInventoryRow(overrides: Partial<InventoryRow> = {}): InventoryRow {
  return {
    bucket: 'data-bucket',
    key: 'photos/cat.jpg',
    isLatest: true,
    isDeleteMarker: false,
    size: 1024,
    etag: 'd41d8cd98f00b204e9800998ecf8427e',
    storageClass: 'STANDARD',
    encryption: 'SSE-S3',
    bucketKey: 'DISABLED',
    ...overrides,
  };
}

/** Selection with AWS behaviour (update route available), Bucket Key wanted, nothing filtered out. */
export function selectionOptions(overrides: Partial<SelectionOptions> = {}): SelectionOptions {
  return {
    includePrefixes: [],
    excludePrefixes: [],
    versions: 'all',
    reencryptAllSseKms: false,
    bucketKey: true,
    strategy: 'auto',
    updateAvailable: true,
    multipartThresholdBytes: 5 * 1024 ** 3,
    now: new Date('2024-05-06T00:00:00Z'),
    ...overrides,
  };
}

/** The AWS documentation's CSV column order (aws-facts §4.3). */
export const AWS_CSV_COLUMNS: readonly InventoryField[] = [
  'Bucket',
  'Key',
  'VersionId',
  'IsLatest',
  'IsDeleteMarker',
  'Size',
  'LastModifiedDate',
  'ETag',
  'StorageClass',
  'IsMultipartUploaded',
  'ReplicationStatus',
  'EncryptionStatus',
  'ObjectLockRetainUntilDate',
  'ObjectLockMode',
  'ObjectLockLegalHoldStatus',
  'IntelligentTieringAccessTier',
  'BucketKeyStatus',
  'ChecksumAlgorithm',
];

/** A gzip CSV data file from raw lines (already quoted/encoded as the test wants). */
export const gzipLines = (lines: readonly string[]): Buffer => gzipSync(Buffer.from(lines.join('')));

/** A gzip CSV data file written the way S3 writes it. */
export const csvGz = (rows: readonly InventoryValues[], columns: readonly InventoryField[]): Buffer =>
  gzipLines(rows.map((r) => csvLine(r, columns)));

/** manifest.json content with valid defaults; `overrides` replace top-level fields (undefined removes one). */
export function manifestDocument(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    sourceBucket: 'data-bucket',
    destinationBucket: 'arn:aws:s3:::inventory-bucket',
    version: '2016-11-30',
    creationTimestamp: '1714953600000',
    fileFormat: 'CSV',
    fileSchema: AWS_CSV_COLUMNS.join(', '),
    files: [
      {
        key: 'inventory/data-bucket/daily/data/0b1c2d3e.csv.gz',
        size: 1234,
        MD5checksum: 'f11166069f1990abeb9c97ace9cdfabc',
      },
    ],
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete doc[k];
    else doc[k] = v;
  }
  return doc;
}

/** An AsyncBuffer over bytes in memory that records every slice asked for. */
export function recordingBuffer(bytes: Uint8Array): AsyncBuffer & { slices: [number, number][] } {
  const slices: [number, number][] = [];
  return {
    byteLength: bytes.byteLength,
    slices,
    slice(start: number, end?: number) {
      const e = end ?? bytes.byteLength;
      slices.push([start, e]);
      return bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + e) as ArrayBuffer;
    },
  };
}

export const TEST_ACCOUNT = '123456789012';

/** Trigger settings for tests: everything required filled in, moto-like endpoint (no update route). */
export function triggerSettings(overrides: Partial<TriggerSettings> = {}): TriggerSettings {
  return {
    accountId: TEST_ACCOUNT,
    region: 'us-east-1',
    roleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/s3-reencrypt-batch`,
    functionArn: `arn:aws:lambda:us-east-1:${TEST_ACCOUNT}:function:s3-reencrypt-object:live`,
    targetKey: `arn:aws:kms:us-east-1:${TEST_ACCOUNT}:key/00000000-0000-0000-0000-000000000000`,
    bucketKey: true,
    strategy: 'auto',
    multipartThresholdBytes: 5 * 1024 ** 3,
    deletePriorVersion: false,
    selection: { includePrefixes: [], excludePrefixes: [], versions: 'current', reencryptAllSseKms: false },
    updateAvailable: false,
    nativeUpdateJob: false,
    manifests: { bucket: 'manifests-bucket', prefix: 'reencrypt/manifests' },
    reports: { bucket: 'reports-bucket', prefix: 'reencrypt/reports', scope: 'AllTasks' },
    priority: 10,
    confirmationRequired: false,
    managedBuckets: [],
    singleRunMaxBytes: 1024 ** 3,
    splitFanOut: 'in-process',
    ...overrides,
  };
}
