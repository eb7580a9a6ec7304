/**
 * Malformed input for the manifest trigger: events that are not S3 / EventBridge notifications or point at
 * nothing, and S3 Inventory deliveries whose manifest.json or data files are wrong (aws-facts §4, §7).
 * Every error case must stop the trigger before it writes a Batch manifest, plan.json or a job.
 */
import { gzipSync } from 'node:zlib';
import {
  InventoryChecksumError,
  InventoryDataFileError,
  InventoryManifestError,
  InventoryRowError,
  UnsupportedInventoryFormatError,
} from '../../../src/inventory/errors.js';
import { UnsupportedEventError } from '../../../src/trigger/errors.js';
import type { BadInputCase, ErrorClass } from './types.js';

/** Where a trigger event may point. */
export interface TriggerWorld {
  readonly inventoryBucket: string;
  /** A manifest.json key in the inventory layout that holds nothing. */
  readonly missingManifestKey: string;
}

export type TriggerEventInput =
  | { readonly event: (w: TriggerWorld) => unknown; readonly error: ErrorClass }
  /** Not an error: the trigger ignores the event and says why (S3 sends such events too). */
  | { readonly event: (w: TriggerWorld) => unknown; readonly ignored: true };

const s3Record = (bucket: string, key: string, eventName = 'ObjectCreated:Put') => ({
  eventSource: 'aws:s3',
  eventName,
  awsRegion: 'us-east-1',
  s3: { bucket: { name: bucket }, object: { key, size: 512 } },
});

const eventBridge = (bucket: string, key: string) => ({
  'detail-type': 'Object Created',
  source: 'aws.s3',
  region: 'us-east-1',
  detail: { bucket: { name: bucket }, object: { key, size: 512 } },
});

export const TRIGGER_EVENT_CASES: readonly BadInputCase<TriggerEventInput>[] = [
  {
    name: 'an event that is not a JSON object',
    input: { event: () => 'manifest.json', error: UnsupportedEventError },
    names: /trigger event is not a JSON object/,
  },
  {
    name: 'an event of no known shape',
    input: { event: () => ({ detail: {} }), error: UnsupportedEventError },
    names: /neither an S3 notification \(Records\[\]\) nor an EventBridge "Object Created" event/,
  },
  {
    name: 'an S3 notification for a manifest.json that does not exist',
    input: {
      event: (w) => ({ Records: [s3Record(w.inventoryBucket, w.missingManifestKey)] }),
      error: InventoryManifestError,
    },
    names: /manifest\.json does not exist: s3:\/\/inv-[^/]+\/inventory\/.*\/manifest\.json/,
  },
  {
    name: 'an EventBridge event for a bucket that does not exist',
    input: {
      event: (w) => eventBridge('no-such-inventory-bucket', w.missingManifestKey),
      error: InventoryManifestError,
    },
    names: /manifest\.json does not exist: s3:\/\/no-such-inventory-bucket\//,
  },
  {
    name: 'an SQS message whose body is not JSON',
    input: { event: () => ({ Records: [{ eventSource: 'aws:sqs', body: '{"Records": [' }] }), ignored: true },
    names: /wrapped message is not JSON/,
  },
  {
    name: 'an object-removed notification for a manifest.json',
    input: {
      event: (w) => ({
        Records: [s3Record(w.inventoryBucket, w.missingManifestKey, 'ObjectRemoved:Delete')],
      }),
      ignored: true,
    },
    names: /event ObjectRemoved:Delete is not an object creation/,
  },
];

/** One inventory delivery; `files` of the manifest document are filled in for the data files written. */
export interface InventoryDelivery {
  /** manifest.json as text, or a document built from the valid one the test passes in. */
  readonly manifest: (valid: Record<string, unknown>) => string | Record<string, unknown>;
  /** Data file bodies (default: one good CSV.gz); `suffix` names the file (default `.csv.gz`). */
  readonly dataFiles?: (rows: DataRows) => readonly { readonly bytes: Buffer; readonly suffix?: string }[];
  /** manifest.checksum content (default: the MD5 of manifest.json). */
  readonly checksum?: string;
  readonly error: ErrorClass;
}

/** Rows of the data bucket's objects as CSV lines (`Bucket, Key, Size, EncryptionStatus`). */
export interface DataRows {
  readonly lines: readonly string[];
  readonly gz: (lines: readonly string[]) => Buffer;
}

export const CSV_SCHEMA = 'Bucket, Key, Size, EncryptionStatus';
const PARQUET_SCHEMA =
  'message s3.inventory { required binary bucket (UTF8); required binary key (UTF8); optional int64 size; optional binary encryption_status (UTF8); }';

export const gz = (lines: readonly string[]): Buffer => gzipSync(Buffer.from(lines.join('')));
const replace = (doc: Record<string, unknown>, field: string, value: unknown) => {
  const copy = { ...doc };
  if (value === undefined) delete copy[field];
  else copy[field] = value;
  return copy;
};

export const INVENTORY_CASES: readonly BadInputCase<InventoryDelivery>[] = [
  {
    name: 'manifest.json that is not JSON',
    input: { manifest: () => '{"sourceBucket": "data",', error: InventoryManifestError },
    names: /manifest\.json is not valid JSON \(s3:\/\/.*\/manifest\.json\)/,
  },
  {
    name: 'manifest.json that is a JSON array',
    input: { manifest: () => '[]', error: InventoryManifestError },
    names: /manifest\.json is not a JSON object \(s3:\/\/.*\/manifest\.json\)/,
  },
  {
    name: 'no sourceBucket',
    input: { manifest: (d) => replace(d, 'sourceBucket', undefined), error: InventoryManifestError },
    names: /manifest\.json field "sourceBucket" is missing/,
  },
  {
    name: 'a destinationBucket that is not a bucket ARN',
    input: {
      manifest: (d) => replace(d, 'destinationBucket', 'inventory-bucket'),
      error: InventoryManifestError,
    },
    names: /field "destinationBucket" must be a bucket ARN like arn:aws:s3:::name, got "inventory-bucket"/,
  },
  {
    name: 'an unknown manifest version',
    input: { manifest: (d) => replace(d, 'version', '2020-01-01'), error: InventoryManifestError },
    names: /field "version" is "2020-01-01"; only 2016-11-30 is known/,
  },
  {
    name: 'a creationTimestamp that is not epoch milliseconds',
    input: { manifest: (d) => replace(d, 'creationTimestamp', 'yesterday'), error: InventoryManifestError },
    names: /field "creationTimestamp" must be epoch milliseconds/,
  },
  {
    name: 'an unknown fileFormat',
    input: { manifest: (d) => replace(d, 'fileFormat', 'Avro'), error: UnsupportedInventoryFormatError },
    names: /field "fileFormat" is "Avro"; expected CSV or Parquet/,
  },
  {
    name: 'a fileSchema without the Key column',
    input: {
      manifest: (d) => replace(d, 'fileSchema', 'Bucket, Size, EncryptionStatus'),
      error: InventoryManifestError,
    },
    names: /fileSchema has no Key column/,
  },
  {
    name: 'a fileSchema without EncryptionStatus',
    input: { manifest: (d) => replace(d, 'fileSchema', 'Bucket, Key, Size'), error: InventoryManifestError },
    names: /fileSchema has no EncryptionStatus column; add the "Encryption" \(EncryptionStatus\) field/,
  },
  {
    name: 'files that are not a list',
    input: { manifest: (d) => replace(d, 'files', { key: 'data/0.csv.gz' }), error: InventoryManifestError },
    names: /field "files" must be an array/,
  },
  {
    name: 'a data file MD5checksum that is not hex',
    input: {
      manifest: (d) => replace(d, 'files', [{ ...(d.files as object[])[0], MD5checksum: 'not-an-md5' }]),
      error: InventoryManifestError,
    },
    names: /field "files\[0\]\.MD5checksum" must be 32 hex characters, got "not-an-md5"/,
  },
  {
    name: 'a manifest.checksum that does not match manifest.json',
    input: {
      manifest: (d) => d,
      checksum: '0123456789abcdef0123456789abcdef',
      error: InventoryChecksumError,
    },
    names: /MD5 of manifest\.json/,
  },
  {
    name: 'a data file whose size differs from the listed one',
    input: {
      manifest: (d) => replace(d, 'files', [{ ...(d.files as object[])[0], size: 7 }]),
      error: InventoryDataFileError,
    },
    names: /data file s3:\/\/.*\/0\.csv\.gz is \d+ bytes but manifest\.json lists 7/,
  },
  {
    name: 'a data file that is not gzip',
    input: {
      manifest: (d) => d,
      dataFiles: (r) => [{ bytes: Buffer.from(r.lines.join('')) }],
      error: InventoryDataFileError,
    },
    names: /s3:\/\/.*\/0\.csv\.gz is not a complete gzip stream/,
  },
  {
    name: 'a row with a column missing',
    input: {
      manifest: (d) => d,
      dataFiles: (r) => [{ bytes: r.gz([...r.lines, '"data","short-row","1"\n']) }],
      error: InventoryRowError,
    },
    names: /row \d+ of s3:\/\/.*\/0\.csv\.gz has 3 columns but fileSchema lists 4/,
  },
  {
    name: 'a Size that is not a number',
    input: {
      manifest: (d) => d,
      dataFiles: (r) => [{ bytes: r.gz(['"data","big-object","12 GB","NOT-SSE"\n']) }],
      error: InventoryRowError,
    },
    names: /Size is "12 GB", expected a whole number in row 1 of s3:\/\/.*\/0\.csv\.gz/,
  },
  {
    name: 'a key that is not valid URL encoding',
    input: {
      manifest: (d) => d,
      dataFiles: (r) => [{ bytes: r.gz([...r.lines, '"data","bad%E0%A4%A","1","NOT-SSE"\n']) }],
      error: InventoryRowError,
    },
    names: /Key "bad%E0%A4%A" is not valid URL encoding in row \d+ of s3:\/\/.*\/0\.csv\.gz/,
  },
  {
    name: 'an unknown EncryptionStatus',
    input: {
      manifest: (d) => d,
      dataFiles: (r) => [{ bytes: r.gz([...r.lines, '"data","odd","1","SSE-QUANTUM"\n']) }],
      error: InventoryRowError,
    },
    names: /EncryptionStatus is "SSE-QUANTUM", not one of .* in row \d+ of s3:\/\/.*\/0\.csv\.gz/,
  },
  {
    name: 'a Parquet inventory whose data file is not Parquet',
    input: {
      manifest: (d) => ({ ...d, fileFormat: 'Parquet', fileSchema: PARQUET_SCHEMA }),
      dataFiles: (r) => [{ bytes: r.gz(r.lines), suffix: '.parquet' }],
      error: InventoryDataFileError,
    },
    names: /s3:\/\/.*\/0\.parquet is not a readable Parquet file/,
  },
];
