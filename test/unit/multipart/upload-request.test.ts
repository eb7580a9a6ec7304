import { describe, expect, it } from 'vitest';
import {
  completedParts,
  createUploadInput,
  encodeCopySource,
  encodeTagging,
  partChecksum,
  uploadPartCopyInput,
} from '../../../src/reencrypt/multipart/upload-request.js';
import { aSnapshot, MiB, TARGET } from '../../helpers/multipart.js';

const NOW = new Date('2026-03-01T00:00:00Z');

describe('createUploadInput', () => {
  it('carries every attribute a copy keeps, with SSE-KMS under the target key and Bucket Key', () => {
    // Prepare
    const expires = new Date('2030-01-01T00:00:00Z');
    const retainUntil = new Date('2027-01-01T00:00:00Z');
    const snapshot = aSnapshot({
      contentType: 'application/x-parquet',
      contentEncoding: 'gzip',
      contentDisposition: 'attachment; filename="a b.parquet"',
      contentLanguage: 'de-CH',
      cacheControl: 'max-age=60',
      expires,
      metadata: { owner: 'team a', 'x-trace': '42' },
      websiteRedirectLocation: '/elsewhere',
      storageClass: 'STANDARD_IA',
      checksumAlgorithm: 'SHA256',
      objectLock: { mode: 'GOVERNANCE', retainUntil, legalHold: 'ON' },
      tags: [
        { Key: 'project', Value: 'blue sky' },
        { Key: 'a&b', Value: 'x=y+z' },
      ],
    });
    // Act
    const input = createUploadInput(snapshot, TARGET, NOW);
    // Assess
    expect(input).toEqual({
      Bucket: 'data-bucket',
      Key: 'big/object.bin',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: TARGET.keyArn,
      BucketKeyEnabled: true,
      StorageClass: 'STANDARD_IA',
      Metadata: { owner: 'team a', 'x-trace': '42' },
      ContentType: 'application/x-parquet',
      ContentEncoding: 'gzip',
      ContentDisposition: 'attachment; filename="a b.parquet"',
      ContentLanguage: 'de-CH',
      CacheControl: 'max-age=60',
      Expires: expires,
      WebsiteRedirectLocation: '/elsewhere',
      Tagging: 'project=blue%20sky&a%26b=x%3Dy%2Bz',
      ChecksumAlgorithm: 'SHA256',
      ObjectLockMode: 'GOVERNANCE',
      ObjectLockRetainUntilDate: retainUntil,
      ObjectLockLegalHoldStatus: 'ON',
    });
  });

  it('sends only what the object has', () => {
    // Act
    const input = createUploadInput(aSnapshot(), { keyArn: TARGET.keyArn, bucketKey: false }, NOW);
    // Assess
    expect(input).toEqual({
      Bucket: 'data-bucket',
      Key: 'big/object.bin',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: TARGET.keyArn,
      BucketKeyEnabled: false,
      StorageClass: 'STANDARD',
      Metadata: {},
    });
  });

  it('drops a retention whose date has passed but keeps the legal hold', () => {
    // Act
    const input = createUploadInput(
      aSnapshot({
        objectLock: { mode: 'COMPLIANCE', retainUntil: new Date('2020-01-01Z'), legalHold: 'ON' },
      }),
      TARGET,
      NOW,
    );
    // Assess
    expect(input.ObjectLockMode).toBeUndefined();
    expect(input.ObjectLockRetainUntilDate).toBeUndefined();
    expect(input.ObjectLockLegalHoldStatus).toBe('ON');
  });

  it.each([
    { algorithm: 'CRC64NVME' as const, type: 'FULL_OBJECT' },
    { algorithm: 'CRC32' as const, type: undefined },
    { algorithm: 'SHA1' as const, type: undefined },
  ])('asks for a $algorithm checksum of type $type', ({ algorithm, type }) => {
    const input = createUploadInput(aSnapshot({ checksumAlgorithm: algorithm }), TARGET, NOW);
    expect(input.ChecksumAlgorithm).toBe(algorithm);
    expect(input.ChecksumType).toBe(type);
  });
});

describe('encoding', () => {
  it.each([
    { tags: [{ Key: 'k', Value: 'v' }], expected: 'k=v' },
    { tags: [{ Key: 'k', Value: '' }], expected: 'k=' },
    { tags: [{ Key: 'ü n', Value: "it's (1)*" }], expected: '%C3%BC%20n=it%27s%20%281%29%2A' },
  ])('encodes tags $expected', ({ tags, expected }) => {
    expect(encodeTagging(tags)).toBe(expected);
  });

  it.each([
    { key: 'a/b c.bin', versionId: undefined, expected: 'data-bucket/a/b%20c.bin' },
    { key: 'x+y?z#1', versionId: undefined, expected: 'data-bucket/x%2By%3Fz%231' },
    { key: 'k', versionId: '3/L4kqtJl+cg', expected: 'data-bucket/k?versionId=3%2FL4kqtJl%2Bcg' },
  ])('encodes the copy source of $key', ({ key, versionId, expected }) => {
    expect(encodeCopySource({ bucket: 'data-bucket', key, ...(versionId ? { versionId } : {}) })).toBe(
      expected,
    );
  });
});

describe('uploadPartCopyInput', () => {
  it('copies a byte range conditional on the source ETag', () => {
    // Act
    const input = uploadPartCopyInput(
      aSnapshot({ versionId: 'v1' }),
      'upload-1',
      { partNumber: 2, first: 5 * MiB, last: 10 * MiB - 1 },
      false,
    );
    // Assess
    expect(input).toEqual({
      Bucket: 'data-bucket',
      Key: 'big/object.bin',
      UploadId: 'upload-1',
      PartNumber: 2,
      CopySource: 'data-bucket/big/object.bin?versionId=v1',
      CopySourceIfMatch: '"0123456789abcdef0123456789abcdef"',
      CopySourceRange: `bytes=${5 * MiB}-${10 * MiB - 1}`,
    });
  });

  it('sends no range for a one-part copy (S3 ranges need sources over 5 MB)', () => {
    const input = uploadPartCopyInput(
      aSnapshot({ size: 0 }),
      'u',
      { partNumber: 1, first: 0, last: -1 },
      true,
    );
    expect(input.CopySourceRange).toBeUndefined();
  });
});

describe('completedParts', () => {
  it('lists parts in order with the checksum each reported', () => {
    // Act
    const parts = completedParts([
      { partNumber: 3, etag: '"c"' },
      { partNumber: 1, etag: '"a"', checksum: { algorithm: 'CRC32', value: 'AAAAAA==' } },
      { partNumber: 2, etag: '"b"' },
    ]);
    // Assess
    expect(parts).toEqual([
      { PartNumber: 1, ETag: '"a"', ChecksumCRC32: 'AAAAAA==' },
      { PartNumber: 2, ETag: '"b"' },
      { PartNumber: 3, ETag: '"c"' },
    ]);
  });

  it('reads the checksum field S3 filled in', () => {
    expect(partChecksum({ ChecksumSHA256: 'abc=' })).toEqual({ algorithm: 'SHA256', value: 'abc=' });
    expect(partChecksum({})).toBeUndefined();
  });
});
