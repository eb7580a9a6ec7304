import { describe, expect, it } from 'vitest';
import { csvRowBuilder } from '../../../src/inventory/csv-row.js';
import type { InventoryField } from '../../../src/inventory/fields.js';
import { buildRow } from '../../../src/inventory/row.js';
import type { InventoryRow } from '../../../src/inventory/types.js';
import { AWS_CSV_COLUMNS } from '../../helpers/inventory.js';

const FILE = 's3://inv/data/1.csv.gz';
const ROW = 7;

type Cells = Partial<Record<InventoryField, string>>;

const TYPICAL: Cells = {
  Bucket: 'data-bucket',
  Key: 'photos/a%20b.jpg',
  VersionId: 'v1',
  IsLatest: 'true',
  IsDeleteMarker: 'false',
  Size: '1024',
  LastModifiedDate: '2024-05-01T10:00:00.000Z',
  ETag: 'd41d8cd98f00b204e9800998ecf8427e',
  StorageClass: 'STANDARD',
  IsMultipartUploaded: 'false',
  EncryptionStatus: 'SSE-KMS',
  ObjectLockRetainUntilDate: '',
  ObjectLockMode: '',
  ObjectLockLegalHoldStatus: 'OFF',
  BucketKeyStatus: 'ENABLED',
  ChecksumAlgorithm: 'SHA-256',
};

/** Both builders on the same cells: the general one (Parquet's) through a getter, the CSV one by position. */
function both(overrides: Cells, columns: readonly (InventoryField | null)[] = AWS_CSV_COLUMNS) {
  const values: Cells = { ...TYPICAL, ...overrides };
  const cells = columns.map((c) => (c ? (values[c] ?? '') : 'ignored'));
  const general = (): InventoryRow =>
    buildRow(
      (f) => {
        const i = columns.indexOf(f);
        return i < 0 ? undefined : cells[i];
      },
      { keyEncoded: true, hasVersions: columns.includes('VersionId') },
      { file: FILE, row: ROW },
    );
  const csv = (): InventoryRow => csvRowBuilder(columns, FILE)(cells, ROW);
  return { general, csv };
}

describe('csvRowBuilder', () => {
  it.each<[string, Cells]>([
    ['a typical row', {}],
    ['upper-case booleans', { IsLatest: 'TRUE', IsDeleteMarker: 'False', IsMultipartUploaded: 'True' }],
    [
      'lower-case values',
      {
        StorageClass: 'standard_ia',
        EncryptionStatus: 'sse-s3',
        BucketKeyStatus: 'disabled',
        ObjectLockMode: 'governance',
        ObjectLockLegalHoldStatus: 'on',
        IntelligentTieringAccessTier: 'archive',
        ChecksumAlgorithm: 'crc64nvme',
      },
    ],
    ['legal hold on', { ObjectLockLegalHoldStatus: 'ON', ObjectLockRetainUntilDate: '2030-01-01T00:00:00Z' }],
    [
      'every optional value empty',
      {
        VersionId: '',
        IsLatest: '',
        IsDeleteMarker: '',
        Size: '',
        LastModifiedDate: '',
        ETag: '',
        StorageClass: '',
        IsMultipartUploaded: '',
        ObjectLockLegalHoldStatus: '',
        BucketKeyStatus: '',
        ChecksumAlgorithm: '',
      },
    ],
    ['a delete marker', { IsDeleteMarker: 'true', IsLatest: 'false', EncryptionStatus: '', Size: '' }],
    ['a key with plus signs', { Key: 'a+b%2Bc' }],
    ['a key with nothing to decode', { Key: 'plain/key.txt' }],
    ['a key with non-ASCII escapes', { Key: 'd%C3%A9j%C3%A0/%F0%9F%98%80' }],
    ['a size of 16 digits and more', { Size: '12345678901234567' }],
    ['a size with leading zeros', { Size: '007' }],
    ['a zero size', { Size: '0' }],
    ['a quoted ETag', { ETag: '"abc-2"' }],
    ['other storage classes', { StorageClass: 'DEEP_ARCHIVE', IntelligentTieringAccessTier: 'DEEP_ARCHIVE' }],
    ['each encryption status', { EncryptionStatus: 'DSSE-KMS' }],
    ['NOT-SSE', { EncryptionStatus: 'NOT-SSE', BucketKeyStatus: '' }],
    ['SSE-C', { EncryptionStatus: 'SSE-C' }],
    ['another checksum spelling', { ChecksumAlgorithm: 'SHA256' }],
  ])('builds the same row as buildRow for %s', (_name, overrides) => {
    // Prepare
    const { general, csv } = both(overrides);
    // Act
    const expected = general();
    const row = csv();
    // Assess: same values and the same property order
    expect(row).toStrictEqual(expected);
    expect(Object.keys(row)).toEqual(Object.keys(expected));
  });

  it.each<[string, readonly (InventoryField | null)[]]>([
    ['the minimum columns', ['Bucket', 'Key', 'EncryptionStatus']],
    ['no version columns', ['Bucket', 'Key', 'Size', 'EncryptionStatus', 'StorageClass']],
    ['an unknown column and another order', ['EncryptionStatus', null, 'Key', 'Size', 'Bucket', 'VersionId']],
  ])('builds the same row as buildRow with %s', (_name, columns) => {
    // Prepare
    const { general, csv } = both({}, columns);
    // Act
    const row = csv();
    // Assess
    expect(row).toStrictEqual(general());
    expect(Object.keys(row)).toEqual(Object.keys(general()));
  });

  it.each<[string, Cells]>([
    ['an empty bucket', { Bucket: '' }],
    ['an empty key', { Key: '' }],
    ['a key that is not URL encoding', { Key: '%E0%A4%A' }],
    ['a size that is not a number', { Size: 'ten' }],
    ['a negative size', { Size: '-1' }],
    ['a fractional size', { Size: '1.5' }],
    ['a long size with a letter', { Size: '1234567890123456x' }],
    ['a boolean that is not one', { IsLatest: 'yes' }],
    ['a multipart flag that is not a boolean', { IsMultipartUploaded: '1' }],
    ['an unknown encryption status', { EncryptionStatus: 'SSE-FOO' }],
    ['an unknown lower-case encryption status', { EncryptionStatus: 'sse-foo' }],
    ['an empty encryption status', { EncryptionStatus: '' }],
    ['an unknown Bucket Key status', { BucketKeyStatus: 'ON' }],
    ['two bad values (the first one is named)', { IsDeleteMarker: 'maybe', Size: 'ten' }],
  ])('fails with the same error as buildRow on %s', (_name, overrides) => {
    // Prepare
    const { general, csv } = both(overrides);
    const expected = (() => {
      try {
        general();
      } catch (e) {
        return e as Error;
      }
      throw new Error('buildRow accepted the row');
    })();
    // Act
    const act = csv;
    // Assess
    expect(act).toThrow(expected);
    expect(act).toThrow(`in row ${ROW} of ${FILE}`);
  });
});
