import { describe, expect, it } from 'vitest';
import { InventoryManifestError, UnsupportedInventoryFormatError } from '../../../src/inventory/errors.js';
import { parseFileSchema, parseInventoryManifest } from '../../../src/inventory/manifest-parse.js';
import { manifestDocument } from '../../helpers/inventory.js';

const ref = {
  bucket: 'inventory-bucket',
  key: 'inventory/data-bucket/daily/2024-05-06T00-00Z/manifest.json',
};
const parse = (doc: unknown) =>
  parseInventoryManifest(typeof doc === 'string' ? doc : JSON.stringify(doc), {
    ref,
    etag: 'abc',
    checksumVerified: true,
  });

const PARQUET_SCHEMA =
  'message s3.inventory { required binary bucket (UTF8); required binary key (UTF8); optional binary version_id (UTF8); ' +
  'optional boolean is_latest; optional boolean is_delete_marker;  optional int64 size;  optional int64 last_modified_date ' +
  '(TIMESTAMP_MILLIS);  optional binary e_tag (UTF8);  optional binary storage_class (UTF8);  optional boolean ' +
  'is_multipart_uploaded;  optional binary replication_status (UTF8);  optional binary encryption_status (UTF8);}';

describe('parseInventoryManifest', () => {
  it('reads a CSV manifest with the column order from fileSchema', () => {
    // Act
    const m = parse(manifestDocument());
    // Assess
    expect(m).toMatchObject({
      sourceBucket: 'data-bucket',
      destinationBucket: 'inventory-bucket',
      fileFormat: 'CSV',
      allVersions: true,
      etag: 'abc',
      checksumVerified: true,
      creationTimestamp: new Date(1714953600000),
    });
    expect(m.columns.slice(0, 3)).toEqual(['Bucket', 'Key', 'VersionId']);
    expect(m.files).toEqual([
      {
        key: 'inventory/data-bucket/daily/data/0b1c2d3e.csv.gz',
        size: 1234,
        md5: 'f11166069f1990abeb9c97ace9cdfabc',
      },
    ]);
  });

  it('reads the Parquet schema of the AWS documentation example', () => {
    // Act
    const m = parse(manifestDocument({ fileFormat: 'Parquet', fileSchema: PARQUET_SCHEMA }));
    // Assess
    expect(m.fileFormat).toBe('Parquet');
    expect(m.columns).toEqual([
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
    ]);
  });

  it('accepts an inventory of an empty bucket (no data files)', () => {
    expect(parse(manifestDocument({ files: [] })).files).toEqual([]);
  });

  it('keeps unknown CSV columns as placeholders so later columns still line up', () => {
    // Act
    const cols = parseFileSchema('CSV', 'Bucket, Key, SomeFutureField, EncryptionStatus', 'f');
    // Assess
    expect(cols).toEqual(['Bucket', 'Key', null, 'EncryptionStatus']);
  });

  it.each([
    ['bad JSON', '{"sourceBucket": ', /not valid JSON/, undefined],
    ['a JSON array', '[]', /not a JSON object/, undefined],
    [
      'missing sourceBucket',
      manifestDocument({ sourceBucket: undefined }),
      /"sourceBucket" is missing/,
      'sourceBucket',
    ],
    ['missing files', manifestDocument({ files: undefined }), /"files" is missing/, 'files'],
    [
      'missing fileSchema',
      manifestDocument({ fileSchema: undefined }),
      /"fileSchema" is missing/,
      'fileSchema',
    ],
    [
      'a destinationBucket that is not an ARN',
      manifestDocument({ destinationBucket: 'inventory-bucket' }),
      /must be a bucket ARN/,
      'destinationBucket',
    ],
    [
      'an unknown version',
      manifestDocument({ version: '2099-01-01' }),
      /only 2016-11-30 is known/,
      'version',
    ],
    [
      'a non-numeric creationTimestamp',
      manifestDocument({ creationTimestamp: 'yesterday' }),
      /epoch milliseconds/,
      'creationTimestamp',
    ],
    [
      'a file without MD5checksum',
      manifestDocument({ files: [{ key: 'a.csv.gz', size: 1 }] }),
      /files\[0\]\.MD5checksum/,
      'files[0].MD5checksum',
    ],
    [
      'a negative file size',
      manifestDocument({
        files: [{ key: 'a.csv.gz', size: -1, MD5checksum: 'f11166069f1990abeb9c97ace9cdfabc' }],
      }),
      /files\[0\]\.size/,
      'files[0].size',
    ],
    [
      'no EncryptionStatus column',
      manifestDocument({ fileSchema: 'Bucket, Key, Size' }),
      /no EncryptionStatus column; add the "Encryption"/,
      'fileSchema',
    ],
    [
      'a column named twice',
      manifestDocument({ fileSchema: 'Bucket, Key, EncryptionStatus, Key' }),
      /names column Key twice/,
      'fileSchema',
    ],
    [
      'a Parquet schema that is not a message',
      manifestDocument({ fileFormat: 'Parquet', fileSchema: 'Bucket, Key' }),
      /not a Parquet message schema/,
      'fileSchema',
    ],
  ])('rejects %s with an error naming the problem', (_name, doc, message, field) => {
    // Act
    const act = () => parse(doc);
    // Assess
    expect(act).toThrow(InventoryManifestError);
    expect(act).toThrow(message);
    try {
      act();
    } catch (e) {
      expect((e as InventoryManifestError).field).toBe(field);
      expect((e as InventoryManifestError).file).toBe(`s3://${ref.bucket}/${ref.key}`);
    }
  });

  it('refuses ORC and tells the user to configure CSV or Parquet', () => {
    // Act
    const act = () =>
      parse(manifestDocument({ fileFormat: 'ORC', fileSchema: 'struct<bucket:string,key:string>' }));
    // Assess
    expect(act).toThrow(UnsupportedInventoryFormatError);
    expect(act).toThrow(
      /ORC format.*set the inventory configuration's output format to CSV .* or Apache Parquet/,
    );
  });

  it('refuses an unknown fileFormat', () => {
    expect(() => parse(manifestDocument({ fileFormat: 'JSONL' }))).toThrow(
      /"fileFormat" is "JSONL"; expected CSV or Parquet/,
    );
  });
});
