import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, pipeline, Transform } from 'node:stream';
import { createGzip } from 'node:zlib';
import {
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import pLimit from 'p-limit';
import type { EncryptionStatus, InventoryField } from './fields.js';
import {
  csvLine,
  DEFAULT_GENERATED_FIELDS,
  generatedColumns,
  type InventoryValues,
} from './inventory-values.js';
import { type InventoryLocation, inventoryManifestKey, inventoryTimestamp } from './layout.js';
import { MANIFEST_VERSION } from './manifest-parse.js';
import type { InventoryDataFile, InventoryFormat, InventoryManifestRef } from './types.js';

export interface GenerateInventoryOptions {
  readonly sourceBucket: string;
  readonly destinationBucket: string;
  /** Destination prefix of the inventory configuration (default `inventory`). */
  readonly destinationPrefix?: string;
  readonly configId?: string;
  readonly format?: InventoryFormat;
  /** `all`: every version and delete marker (IncludedObjectVersions=All). */
  readonly versions?: 'current' | 'all';
  /** Optional fields; Bucket, Key and (for all versions) the version columns are always included. */
  readonly fields?: readonly InventoryField[];
  readonly rowsPerFile?: number;
  /** Scan start time: names the delivery folder and `creationTimestamp`. */
  readonly now?: Date;
  /** Parallel HEAD requests (listing gives no encryption or lock fields). */
  readonly concurrency?: number;
  /** Write manifest.checksum (S3 always does; off only to test its absence). */
  readonly writeChecksum?: boolean;
}

export interface GeneratedInventory {
  readonly ref: InventoryManifestRef;
  readonly location: InventoryLocation;
  readonly manifestEtag: string;
  readonly files: readonly InventoryDataFile[];
  readonly rows: number;
  readonly columns: readonly InventoryField[];
}

interface Listed {
  readonly key: string;
  readonly versionId?: string;
  readonly isLatest: boolean;
  readonly deleteMarker: boolean;
  readonly size?: number;
  readonly lastModified?: Date;
  readonly etag?: string;
  readonly storageClass?: string;
  readonly checksumAlgorithm?: string;
}

async function* listObjects(s3: S3Client, bucket: string, all: boolean): AsyncGenerator<Listed[]> {
  if (!all) {
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      yield (page.Contents ?? []).map((o) => ({
        key: o.Key!,
        isLatest: true,
        deleteMarker: false,
        size: o.Size ?? 0,
        ...(o.LastModified ? { lastModified: o.LastModified } : {}),
        ...(o.ETag ? { etag: o.ETag.replace(/"/g, '') } : {}),
        storageClass: o.StorageClass ?? 'STANDARD',
        ...(o.ChecksumAlgorithm?.[0] ? { checksumAlgorithm: o.ChecksumAlgorithm[0] } : {}),
      }));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return;
  }
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionMarker }),
    );
    yield [
      ...(page.Versions ?? []).map((v) => ({
        key: v.Key!,
        ...(v.VersionId ? { versionId: v.VersionId } : {}),
        isLatest: v.IsLatest ?? true,
        deleteMarker: false,
        size: v.Size ?? 0,
        ...(v.LastModified ? { lastModified: v.LastModified } : {}),
        ...(v.ETag ? { etag: v.ETag.replace(/"/g, '') } : {}),
        storageClass: v.StorageClass ?? 'STANDARD',
        ...(v.ChecksumAlgorithm?.[0] ? { checksumAlgorithm: v.ChecksumAlgorithm[0] } : {}),
      })),
      ...(page.DeleteMarkers ?? []).map((d) => ({
        key: d.Key!,
        ...(d.VersionId ? { versionId: d.VersionId } : {}),
        isLatest: d.IsLatest ?? false,
        deleteMarker: true,
        ...(d.LastModified ? { lastModified: d.LastModified } : {}),
      })),
    ];
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
}

function encryptionOf(head: HeadObjectCommandOutput | undefined): EncryptionStatus {
  // A HEAD that needs the customer's key fails with 400: that is an SSE-C object.
  if (!head) return 'SSE-C';
  if (head.SSECustomerAlgorithm) return 'SSE-C';
  switch (head.ServerSideEncryption) {
    case 'AES256':
      return 'SSE-S3';
    case 'aws:kms':
      return 'SSE-KMS';
    case 'aws:kms:dsse':
      return 'DSSE-KMS';
    default:
      return 'NOT-SSE';
  }
}

async function headOf(s3: S3Client, bucket: string, o: Listed): Promise<HeadObjectCommandOutput | undefined> {
  try {
    return await s3.send(
      new HeadObjectCommand({
        Bucket: bucket,
        Key: o.key,
        ...(o.versionId ? { VersionId: o.versionId } : {}),
      }),
    );
  } catch (e) {
    if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 400)
      return undefined;
    throw e;
  }
}

function valuesOf(
  bucket: string,
  o: Listed,
  head: HeadObjectCommandOutput | undefined,
  all: boolean,
): InventoryValues {
  const v: InventoryValues = { Bucket: bucket, Key: o.key };
  if (all) {
    v.VersionId = o.versionId === 'null' ? '' : o.versionId;
    v.IsLatest = o.isLatest;
    v.IsDeleteMarker = o.deleteMarker;
  }
  if (o.deleteMarker) {
    v.LastModifiedDate = o.lastModified;
    return v;
  }
  const encryption = encryptionOf(head);
  const storageClass = head?.StorageClass ?? o.storageClass ?? 'STANDARD';
  Object.assign(v, {
    Size: o.size,
    LastModifiedDate: o.lastModified,
    ETag: o.etag,
    StorageClass: storageClass,
    IsMultipartUploaded: (o.etag ?? '').includes('-'),
    EncryptionStatus: encryption,
    ObjectLockRetainUntilDate: head?.ObjectLockRetainUntilDate,
    ObjectLockMode: head?.ObjectLockMode,
    ObjectLockLegalHoldStatus: head?.ObjectLockLegalHoldStatus,
    IntelligentTieringAccessTier:
      storageClass !== 'INTELLIGENT_TIERING'
        ? undefined
        : head?.ArchiveStatus === 'DEEP_ARCHIVE_ACCESS'
          ? 'DEEP_ARCHIVE'
          : head?.ArchiveStatus === 'ARCHIVE_ACCESS'
            ? 'ARCHIVE'
            : 'FREQUENT',
    BucketKeyStatus: encryption === 'SSE-KMS' && head?.BucketKeyEnabled ? 'ENABLED' : 'DISABLED',
    ChecksumAlgorithm: o.checksumAlgorithm,
  });
  return v;
}

/** Streams CSV lines through gzip into one S3 object, hashing the compressed bytes for manifest.json. */
class CsvGzDataFile {
  private readonly gzip = createGzip();
  private readonly md5 = createHash('md5');
  private size = 0;
  private readonly done: Promise<unknown>;
  rows = 0;
  constructor(
    s3: S3Client,
    readonly bucket: string,
    readonly key: string,
  ) {
    const tap = new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        this.md5.update(chunk);
        this.size += chunk.length;
        cb(null, chunk);
      },
    });
    const body = new PassThrough();
    // pipeline, not pipe: destroying gzip must reach the upload's body so a failed file is aborted.
    pipeline(this.gzip, tap, body, () => {});
    this.done = new Upload({
      client: s3,
      params: { Bucket: bucket, Key: key, Body: body, ContentType: 'application/gzip' },
      queueSize: 2,
    }).done();
    this.done.catch(() => {});
  }
  async write(line: string): Promise<void> {
    this.rows += 1;
    if (!this.gzip.write(line)) await Promise.race([once(this.gzip, 'drain'), this.done]);
  }
  async abort(): Promise<void> {
    this.gzip.destroy(new Error('inventory generation failed'));
    await this.done.catch(() => {});
  }
  async close(): Promise<InventoryDataFile> {
    this.gzip.end();
    await this.done;
    return { key: this.key, size: this.size, md5: this.md5.digest('hex') };
  }
}

/**
 * Lists a bucket and writes a real S3 Inventory report of it in the AWS delivery layout (aws-facts
 * §4.1): data files, manifest.json and manifest.checksum. moto does not deliver inventories; the
 * demo, the end-to-end tests and the benchmarks use this instead. Memory: one listing page plus
 * one data file's buffer (Parquet files are built in memory, `rowsPerFile` rows at a time).
 */
export async function generateInventory(
  s3: S3Client,
  o: GenerateInventoryOptions,
): Promise<GeneratedInventory> {
  const format = o.format ?? 'CSV';
  const all = o.versions === 'all';
  const now = o.now ?? new Date();
  const location: InventoryLocation = {
    destinationPrefix: (o.destinationPrefix ?? 'inventory').replace(/\/+$/, ''),
    sourceBucket: o.sourceBucket,
    configId: o.configId ?? 's3-reencrypt',
    timestamp: inventoryTimestamp(now),
  };
  const columns = generatedColumns(all, o.fields ?? DEFAULT_GENERATED_FIELDS);
  const rowsPerFile = o.rowsPerFile ?? (format === 'CSV' ? 1_000_000 : 100_000);
  const dataPrefix = `${location.destinationPrefix ? `${location.destinationPrefix}/` : ''}${o.sourceBucket}/${location.configId}/data`;
  const limit = pLimit(o.concurrency ?? 16);
  const files: InventoryDataFile[] = [];
  let rows = 0;

  let csv: CsvGzDataFile | undefined;
  let parquetRows: InventoryValues[] = [];
  const flushParquet = async () => {
    if (parquetRows.length === 0) return;
    const { parquetFile } = await import('./generate-parquet.js');
    const body = await parquetFile(parquetRows, columns);
    const key = `${dataPrefix}/${randomUUID()}.parquet`;
    await s3.send(new PutObjectCommand({ Bucket: o.destinationBucket, Key: key, Body: body }));
    files.push({ key, size: body.length, md5: createHash('md5').update(body).digest('hex') });
    parquetRows = [];
  };

  try {
    for await (const page of listObjects(s3, o.sourceBucket, all)) {
      const heads = await Promise.all(
        page.map((obj) => (obj.deleteMarker ? undefined : limit(() => headOf(s3, o.sourceBucket, obj)))),
      );
      for (const [i, obj] of page.entries()) {
        const values = valuesOf(o.sourceBucket, obj, heads[i], all);
        rows += 1;
        if (format === 'Parquet') {
          parquetRows.push(values);
          if (parquetRows.length >= rowsPerFile) await flushParquet();
          continue;
        }
        csv ??= new CsvGzDataFile(s3, o.destinationBucket, `${dataPrefix}/${randomUUID()}.csv.gz`);
        await csv.write(csvLine(values, columns));
        if (csv.rows >= rowsPerFile) {
          files.push(await csv.close());
          csv = undefined;
        }
      }
    }
    if (csv) files.push(await csv.close());
    await flushParquet();
  } catch (e) {
    await csv?.abort();
    throw e;
  }

  const manifest = {
    sourceBucket: o.sourceBucket,
    destinationBucket: `arn:aws:s3:::${o.destinationBucket}`,
    version: MANIFEST_VERSION,
    creationTimestamp: String(now.getTime()),
    fileFormat: format,
    fileSchema:
      format === 'CSV'
        ? columns.join(', ')
        : (await import('./generate-parquet.js')).parquetFileSchema(columns),
    files: files.map((f) => ({ key: f.key, size: f.size, MD5checksum: f.md5 })),
  };
  const text = JSON.stringify(manifest, null, 2);
  const key = inventoryManifestKey(location);
  const put = await s3.send(
    new PutObjectCommand({
      Bucket: o.destinationBucket,
      Key: key,
      Body: text,
      ContentType: 'application/json',
    }),
  );
  if (o.writeChecksum ?? true)
    await s3.send(
      new PutObjectCommand({
        Bucket: o.destinationBucket,
        Key: key.replace(/manifest\.json$/, 'manifest.checksum'),
        Body: `${createHash('md5').update(text).digest('hex')}\n`,
      }),
    );
  return {
    ref: { bucket: o.destinationBucket, key, ...(put.ETag ? { etag: put.ETag.replace(/"/g, '') } : {}) },
    location,
    manifestEtag: (put.ETag ?? '').replace(/"/g, ''),
    files,
    rows,
    columns,
  };
}
