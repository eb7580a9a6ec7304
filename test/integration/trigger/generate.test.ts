import { createHash } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateInventory } from '../../../src/inventory/generate.js';
import { parseInventoryManifestKey } from '../../../src/inventory/layout.js';
import { dataFileRows, readInventoryManifest } from '../../../src/inventory/s3-read.js';
import type { InventoryRow } from '../../../src/inventory/types.js';
import { motoClients, newBucket, newKmsKey } from '../../support/aws.js';

describe('generateInventory on moto', () => {
  const { s3, kms } = motoClients();
  let source: string;
  let destination: string;

  beforeAll(async () => {
    const keyArn = await newKmsKey(kms);
    [source, destination] = await Promise.all([
      newBucket(s3, { objectLock: true, prefix: 'locked' }),
      newBucket(s3, { prefix: 'inv' }),
    ]);
    const put = (Key: string, extra: Record<string, unknown> = {}) =>
      s3.send(new PutObjectCommand({ Bucket: source, Key, Body: 'data', ...extra }));
    await put('kms key.txt', {
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: keyArn,
      BucketKeyEnabled: true,
    });
    await put('held+.txt', { ObjectLockLegalHoldStatus: 'ON', ServerSideEncryption: 'AES256' });
    await put('retained.txt', {
      ObjectLockMode: 'GOVERNANCE',
      ObjectLockRetainUntilDate: new Date('2099-01-01T00:00:00Z'),
    });
    await put('cold.txt', { StorageClass: 'DEEP_ARCHIVE' });
    await put('gone.txt');
    await s3.send(new DeleteObjectCommand({ Bucket: source, Key: 'gone.txt' }));
  });

  async function rowsOf(format: 'CSV' | 'Parquet', rowsPerFile?: number) {
    const inv = await generateInventory(s3, {
      sourceBucket: source,
      destinationBucket: destination,
      versions: 'all',
      format,
      configId: `${format}-${rowsPerFile ?? 'all'}`,
      ...(rowsPerFile ? { rowsPerFile } : {}),
    });
    const manifest = await readInventoryManifest(s3, inv.ref);
    const rows: InventoryRow[] = [];
    for (const f of manifest.files) for await (const r of dataFileRows(s3, manifest, f)) rows.push(r);
    return {
      inv,
      manifest,
      rows: rows.sort(
        (a, b) => a.key.localeCompare(b.key) || Number(a.isDeleteMarker) - Number(b.isDeleteMarker),
      ),
    };
  }

  it.each(['CSV', 'Parquet'] as const)(
    'writes a %s report that reads back as the bucket lists',
    async (format) => {
      // Act
      const { inv, manifest, rows } = await rowsOf(format);
      // Assess: the AWS delivery layout, a verified checksum, and one row per version or delete marker
      expect(parseInventoryManifestKey(inv.ref.key)).toMatchObject({
        sourceBucket: source,
        configId: `${format}-all`,
      });
      expect(manifest).toMatchObject({
        fileFormat: format,
        checksumVerified: true,
        allVersions: true,
        sourceBucket: source,
      });
      expect(rows.map((r) => [r.key, r.isDeleteMarker, r.isLatest])).toEqual([
        ['cold.txt', false, true],
        ['gone.txt', false, false],
        ['gone.txt', true, true],
        ['held+.txt', false, true],
        ['kms key.txt', false, true],
        ['retained.txt', false, true],
      ]);
      const by = Object.fromEntries(rows.filter((r) => !r.isDeleteMarker).map((r) => [r.key, r]));
      expect(by['kms key.txt']).toMatchObject({ encryption: 'SSE-KMS', bucketKey: 'ENABLED', size: 4 });
      expect(by['held+.txt']).toMatchObject({ encryption: 'SSE-S3', legalHold: true });
      expect(by['retained.txt']).toMatchObject({
        objectLockMode: 'GOVERNANCE',
        objectLockRetainUntil: '2099-01-01T00:00:00.000Z',
      });
      expect(by['cold.txt']).toMatchObject({ storageClass: 'DEEP_ARCHIVE' });
      expect(rows.every((r) => r.versionId !== undefined && r.versionId !== '')).toBe(true);
    },
  );

  it('splits rows over data files and lists each with its size and MD5', async () => {
    // Act
    const { inv, rows } = await rowsOf('CSV', 2);
    // Assess
    expect(inv.files).toHaveLength(3);
    expect(rows).toHaveLength(6);
    const first = inv.files[0]!;
    const body = await s3.send(new GetObjectCommand({ Bucket: destination, Key: first.key }));
    const bytes = Buffer.from((await body.Body?.transformToByteArray()) ?? []);
    expect(bytes.length).toBe(first.size);
    expect(createHash('md5').update(bytes).digest('hex')).toBe(first.md5);
  });
});
