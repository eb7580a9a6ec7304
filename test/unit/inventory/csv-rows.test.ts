import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { csvGzRows } from '../../../src/inventory/csv-rows.js';
import { InventoryDataFileError, InventoryRowError } from '../../../src/inventory/errors.js';
import type { InventoryField } from '../../../src/inventory/fields.js';
import type { InventoryRow } from '../../../src/inventory/types.js';
import { AWS_CSV_COLUMNS, csvGz, gzipLines } from '../../helpers/inventory.js';

const COLS: readonly InventoryField[] = ['Bucket', 'Key', 'Size', 'EncryptionStatus'];

async function readAll(bytes: Buffer, columns: readonly InventoryField[] = COLS): Promise<InventoryRow[]> {
  const rows: InventoryRow[] = [];
  for await (const r of csvGzRows(Readable.from([bytes]), columns, 's3://inv/data/1.csv.gz')) rows.push(r);
  return rows;
}

describe('csvGzRows', () => {
  it('maps columns by fileSchema order, AWS quoting included', async () => {
    // Prepare: the documentation's full column order, every value quoted like S3 writes them
    const line =
      '"data-bucket","photos/cat.jpg","3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY","true","false","1024",' +
      '"2024-05-01T10:00:00.000Z","d41d8cd98f00b204e9800998ecf8427e","STANDARD","false","","SSE-KMS",' +
      '"2030-01-01T00:00:00.000Z","COMPLIANCE","Off","","ENABLED","SHA-256"\n';
    // Act
    const [row] = await readAll(gzipLines([line]), AWS_CSV_COLUMNS);
    // Assess
    expect(row).toEqual({
      bucket: 'data-bucket',
      key: 'photos/cat.jpg',
      versionId: '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY',
      isLatest: true,
      isDeleteMarker: false,
      size: 1024,
      lastModified: '2024-05-01T10:00:00.000Z',
      etag: 'd41d8cd98f00b204e9800998ecf8427e',
      storageClass: 'STANDARD',
      isMultipartUploaded: false,
      encryption: 'SSE-KMS',
      objectLockRetainUntil: '2030-01-01T00:00:00.000Z',
      objectLockMode: 'COMPLIANCE',
      legalHold: false,
      bucketKey: 'ENABLED',
      checksumAlgorithm: 'SHA256',
    });
  });

  it.each([
    ['a%20b', 'a b'],
    ['a+b', 'a b'],
    ['a%2Bb', 'a+b'],
    ['100%25', '100%'],
    ['%2520', '%20'],
    ['d%C3%A9j%C3%A0/vu.txt', 'déjà/vu.txt'],
    ['dir%2Fsub/x', 'dir/sub/x'],
    ['comma%2Cquote%22', 'comma,quote"'],
  ])('decodes the key %s exactly once to %s', async (encoded, decoded) => {
    // Act
    const [row] = await readAll(gzipLines([`"b","${encoded}","1","SSE-S3"\n`]));
    // Assess
    expect(row?.key).toBe(decoded);
  });

  it.each([
    ['True', true],
    ['true', true],
    ['TRUE', true],
    ['False', false],
    ['false', false],
  ])('reads the boolean %s case-insensitively', async (text, value) => {
    // Act
    const [row] = await readAll(gzipLines([`"b","k","${text}","false","SSE-S3"\n`]), [
      'Bucket',
      'Key',
      'IsLatest',
      'IsDeleteMarker',
      'EncryptionStatus',
    ]);
    // Assess
    expect(row?.isLatest).toBe(value);
  });

  it.each([
    ['SHA-256', 'SHA256'],
    ['SHA256', 'SHA256'],
    ['crc64nvme', 'CRC64NVME'],
    ['CRC32C', 'CRC32C'],
  ])('normalises ChecksumAlgorithm %s to %s', async (text, value) => {
    const [row] = await readAll(gzipLines([`"b","k","SSE-S3","${text}"\n`]), [
      'Bucket',
      'Key',
      'EncryptionStatus',
      'ChecksumAlgorithm',
    ]);
    expect(row?.checksumAlgorithm).toBe(value);
  });

  it('writes the null version as "null" and leaves a delete marker without encryption', async () => {
    // Act
    const rows = await readAll(gzipLines(['"b","k","","false","true","",""\n']), [
      'Bucket',
      'Key',
      'VersionId',
      'IsLatest',
      'IsDeleteMarker',
      'Size',
      'EncryptionStatus',
    ]);
    // Assess
    expect(rows).toEqual([
      { bucket: 'b', key: 'k', versionId: 'null', isLatest: false, isDeleteMarker: true },
    ]);
  });

  it('reads unquoted values and values containing commas', async () => {
    const rows = await readAll(gzipLines(['b,plain,5,NOT-SSE\n', '"b","x","7","SSE-S3"\n']));
    expect(rows.map((r) => [r.key, r.size, r.encryption])).toEqual([
      ['plain', 5, 'NOT-SSE'],
      ['x', 7, 'SSE-S3'],
    ]);
  });

  it('streams a file of many gzip members and rows', async () => {
    // Prepare: S3 may concatenate gzip members; 20,000 rows across two members
    const half = Array.from({ length: 10_000 }, (_, i) => ({
      Bucket: 'b',
      Key: `k${i}`,
      Size: i,
      EncryptionStatus: 'SSE-S3',
    }));
    const bytes = Buffer.concat([csvGz(half, COLS), csvGz(half, COLS)]);
    // Act
    const rows = await readAll(bytes);
    // Assess
    expect(rows).toHaveLength(20_000);
    expect(rows[19_999]?.key).toBe('k9999');
  });

  it('fails clearly on a truncated gzip file', async () => {
    // Prepare
    const full = csvGz(
      Array.from({ length: 2000 }, (_, i) => ({
        Bucket: 'b',
        Key: `k${i}`,
        Size: i,
        EncryptionStatus: 'SSE-S3',
      })),
      COLS,
    );
    // Act
    const act = readAll(full.subarray(0, full.length - 40));
    // Assess
    await expect(act).rejects.toThrow(InventoryDataFileError);
    await expect(readAll(full.subarray(0, full.length - 40))).rejects.toThrow(
      /s3:\/\/inv\/data\/1\.csv\.gz is not a complete gzip stream.*truncated or corrupt/,
    );
  });

  it('fails clearly on bytes that are not gzip at all', async () => {
    await expect(readAll(Buffer.from('"b","k","1","SSE-S3"\n'))).rejects.toThrow(InventoryDataFileError);
  });

  it('names the row and both counts when a row has the wrong number of columns', async () => {
    // Act
    const act = readAll(gzipLines(['"b","k1","1","SSE-S3"\n', '"b","k2","1"\n']));
    // Assess
    await expect(act).rejects.toThrow(InventoryRowError);
    await expect(readAll(gzipLines(['"b","k1","1","SSE-S3"\n', '"b","k2","1"\n']))).rejects.toThrow(
      'row 2 of s3://inv/data/1.csv.gz has 3 columns but fileSchema lists 4',
    );
  });

  it.each([
    [
      'SSE-FOO',
      /EncryptionStatus is "SSE-FOO", not one of SSE-S3, SSE-KMS, DSSE-KMS, SSE-C, NOT-SSE in row 1/,
    ],
    ['', /EncryptionStatus is empty/],
  ])('rejects the encryption status "%s"', async (status, message) => {
    // Act
    const act = readAll(gzipLines([`"b","k","1","${status}"\n`]));
    // Assess
    await expect(act).rejects.toThrow(message);
  });

  it.each([
    ['Size', '"b","k","ten","SSE-S3"\n', COLS, /Size is "ten", expected a whole number in row 1/],
    ['Key', '"b","%E0%A4%A","1","SSE-S3"\n', COLS, /Key "%E0%A4%A" is not valid URL encoding/],
  ])('rejects a bad %s value with the row number', async (_f, line, cols, message) => {
    await expect(readAll(gzipLines([line]), cols)).rejects.toThrow(message);
  });

  it('delivers the rows before a bad row, then its error', async () => {
    // Prepare
    const bytes = gzipLines([
      '"b","k1","1","SSE-S3"\n',
      '"b","k2","1","SSE-S3"\n',
      '"b","k3","x","SSE-S3"\n',
    ]);
    const keys: string[] = [];
    // Act
    const act = (async () => {
      for await (const r of csvGzRows(Readable.from([bytes]), COLS, 's3://inv/data/1.csv.gz'))
        keys.push(r.key);
    })();
    // Assess
    await expect(act).rejects.toThrow('Size is "x", expected a whole number in row 3');
    expect(keys).toEqual(['k1', 'k2']);
  });

  it('reads a quoted line break and doubled quotes among S3-quoted rows', async () => {
    // Act
    const rows = await readAll(
      gzipLines([
        '"b","k1","1","SSE-S3"\r\n',
        '"b","two\r\nlines ""q""","2","NOT-SSE"\r\n',
        '"b","k3","3","SSE-KMS"',
      ]),
    );
    // Assess
    expect(rows.map((r) => [r.key, r.size])).toEqual([
      ['k1', 1],
      ['two\r\nlines "q"', 2],
      ['k3', 3],
    ]);
  });

  it('reads files with columns the filter does not use, known or not', async () => {
    // Prepare: ReplicationStatus, an ACL document and a column fileSchema names but this code does not know
    const columns: (InventoryField | null)[] = [
      'Bucket',
      'Key',
      'ReplicationStatus',
      'Size',
      'ObjectAccessControlList',
      null,
      'EncryptionStatus',
    ];
    const line = `"b","k%201","COMPLETED","5","${'eyJ2ZXJzaW9uIjoiMjAyMi0xMS0xMCJ9'.repeat(20)}","x","SSE-KMS"\n`;
    // Act
    const rows: InventoryRow[] = [];
    for await (const r of csvGzRows(Readable.from([gzipLines([line, line])]), columns, 'f')) rows.push(r);
    // Assess
    expect(rows).toEqual([
      { bucket: 'b', key: 'k 1', isLatest: true, isDeleteMarker: false, size: 5, encryption: 'SSE-KMS' },
      { bucket: 'b', key: 'k 1', isLatest: true, isDeleteMarker: false, size: 5, encryption: 'SSE-KMS' },
    ]);
  });

  it('reads an empty data file as no rows', async () => {
    expect(await readAll(gzipSync(Buffer.alloc(0)))).toEqual([]);
  });
});
