import { describe, expect, it } from 'vitest';
import { InventoryDataFileError } from '../../../src/inventory/errors.js';
import { parquetFile, parquetFileSchema } from '../../../src/inventory/generate-parquet.js';
import { generatedColumns } from '../../../src/inventory/inventory-values.js';
import { parseFileSchema } from '../../../src/inventory/manifest-parse.js';
import { parquetRows } from '../../../src/inventory/parquet-rows.js';
import type { InventoryRow } from '../../../src/inventory/types.js';
import { recordingBuffer } from '../../helpers/inventory.js';

const columns = generatedColumns(true, [
  'Size',
  'LastModifiedDate',
  'ETag',
  'StorageClass',
  'EncryptionStatus',
  'BucketKeyStatus',
  'ChecksumAlgorithm',
  'ObjectLockRetainUntilDate',
  'ObjectLockLegalHoldStatus',
]);

async function readAll(bytes: Uint8Array): Promise<InventoryRow[]> {
  const rows: InventoryRow[] = [];
  for await (const r of parquetRows(recordingBuffer(bytes), 's3://inv/data/1.parquet')) rows.push(r);
  return rows;
}

describe('parquetRows', () => {
  it('reads AWS column names and types into normalised rows, keys as stored', async () => {
    // Prepare: Parquet inventories do not URL-encode keys, so "%20" is part of the name
    const bytes = await parquetFile(
      [
        {
          Bucket: 'b',
          Key: 'a%20b c+d',
          VersionId: 'v1',
          IsLatest: true,
          IsDeleteMarker: false,
          Size: 5 * 1024 ** 3 + 1,
          LastModifiedDate: new Date('2024-05-01T10:00:00.000Z'),
          ETag: 'abc-2',
          StorageClass: 'GLACIER',
          EncryptionStatus: 'SSE-KMS',
          BucketKeyStatus: 'DISABLED',
          ChecksumAlgorithm: 'SHA-256',
          ObjectLockRetainUntilDate: new Date('2030-01-01T00:00:00.000Z'),
          ObjectLockLegalHoldStatus: 'ON',
        },
        { Bucket: 'b', Key: 'gone', VersionId: '', IsLatest: true, IsDeleteMarker: true },
      ],
      columns,
    );
    // Act
    const rows = await readAll(bytes);
    // Assess
    expect(rows).toEqual([
      {
        bucket: 'b',
        key: 'a%20b c+d',
        versionId: 'v1',
        isLatest: true,
        isDeleteMarker: false,
        size: 5 * 1024 ** 3 + 1,
        lastModified: '2024-05-01T10:00:00.000Z',
        etag: 'abc-2',
        storageClass: 'GLACIER',
        encryption: 'SSE-KMS',
        bucketKey: 'DISABLED',
        checksumAlgorithm: 'SHA256',
        objectLockRetainUntil: '2030-01-01T00:00:00.000Z',
        legalHold: true,
      },
      { bucket: 'b', key: 'gone', versionId: 'null', isLatest: true, isDeleteMarker: true },
    ]);
  });

  it('reads one row group at a time, never the whole file in one request', async () => {
    // Prepare: 25,000 rows in row groups of 10,000
    const n = 25_000;
    const bytes = await parquetFile(
      Array.from({ length: n }, (_, i) => ({
        Bucket: 'b',
        Key: `k/${i}`,
        VersionId: `v${i}`,
        IsLatest: true,
        IsDeleteMarker: false,
        Size: i,
        EncryptionStatus: i % 2 ? 'SSE-S3' : 'NOT-SSE',
      })),
      columns,
    );
    const buffer = recordingBuffer(bytes);
    // Act
    let count = 0;
    let last: InventoryRow | undefined;
    for await (const r of parquetRows(buffer, 'mem', { initialFetchSize: 16 * 1024 })) {
      count += 1;
      last = r;
    }
    // Assess
    expect(count).toBe(n);
    expect(last).toMatchObject({ key: 'k/24999', size: 24999, encryption: 'SSE-S3' });
    const largest = Math.max(...buffer.slices.map(([s, e]) => e - s));
    expect(buffer.slices.length).toBeGreaterThanOrEqual(4);
    expect(largest).toBeLessThan(bytes.byteLength / 2);
    // Writing and reading 25,000 rows takes seconds on a busy shared machine; the test asserts no speed.
  }, 30_000);

  it('produces a fileSchema the manifest parser reads back to the same columns', () => {
    expect(parseFileSchema('Parquet', parquetFileSchema(columns), 'f')).toEqual(columns);
  });

  it('fails clearly on a file that is not Parquet', async () => {
    await expect(readAll(new TextEncoder().encode('not parquet at all, just text'))).rejects.toThrow(
      InventoryDataFileError,
    );
  });

  it('fails clearly on a Parquet file cut short', async () => {
    // Prepare
    const bytes = await parquetFile([{ Bucket: 'b', Key: 'k', EncryptionStatus: 'SSE-S3' }], columns);
    // Act / Assess
    await expect(readAll(bytes.subarray(0, bytes.length - 10))).rejects.toThrow(
      /not a readable Parquet file/,
    );
  });
});
