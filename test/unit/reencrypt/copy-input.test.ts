import { describe, expect, it } from 'vitest';
import { copyInPlaceInput, copySource } from '../../../src/reencrypt/copy.js';
import { updateEncryptionInput } from '../../../src/reencrypt/update.js';
import { objectSnapshot } from '../../helpers/objects.js';
import { TARGET_KEY_ARN } from './support/events.js';

const target = { keyArn: TARGET_KEY_ARN, bucketKey: true };

describe('copyInPlaceInput', () => {
  it('sends every attribute the COPY directives drop, and the target encryption explicitly', () => {
    // Prepare
    const until = new Date('2030-01-01T00:00:00Z');
    const s = objectSnapshot({
      bucket: 'data',
      key: 'a b/c+d.txt',
      versionId: 'v 1',
      etag: '"abc"',
      storageClass: 'STANDARD_IA',
      websiteRedirectLocation: '/elsewhere',
      checksumAlgorithm: 'SHA256',
      objectLock: { mode: 'GOVERNANCE', retainUntil: until, legalHold: 'ON' },
      metadata: { a: '1' },
      contentType: 'text/plain',
    });
    // Act
    const input = copyInPlaceInput(s, target);
    // Assess
    expect(input).toEqual({
      Bucket: 'data',
      Key: 'a b/c+d.txt',
      CopySource: 'data/a%20b/c%2Bd.txt?versionId=v%201',
      CopySourceIfMatch: '"abc"',
      IfMatch: '"abc"',
      MetadataDirective: 'COPY',
      TaggingDirective: 'COPY',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: TARGET_KEY_ARN,
      BucketKeyEnabled: true,
      StorageClass: 'STANDARD_IA',
      WebsiteRedirectLocation: '/elsewhere',
      ChecksumAlgorithm: 'SHA256',
      ObjectLockMode: 'GOVERNANCE',
      ObjectLockRetainUntilDate: until,
      ObjectLockLegalHoldStatus: 'ON',
    });
  });

  it('resends STANDARD, which HEAD leaves out', () => {
    expect(copyInPlaceInput(objectSnapshot(), target).StorageClass).toBe('STANDARD');
  });

  it('sends Bucket Key false explicitly when the job does not want it', () => {
    expect(copyInPlaceInput(objectSnapshot(), { ...target, bucketKey: false }).BucketKeyEnabled).toBe(false);
  });

  it('recreates ACL grants as x-amz-grant-* headers, one header per permission', () => {
    // Prepare
    const s = objectSnapshot({
      grants: [
        { permission: 'FULL_CONTROL', grantee: { type: 'CanonicalUser', id: 'owner' } },
        {
          permission: 'READ',
          grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' },
        },
        { permission: 'READ', grantee: { type: 'CanonicalUser', id: 'friend' } },
        { permission: 'READ_ACP', grantee: { type: 'AmazonCustomerByEmail', email: 'a@example.com' } },
        { permission: 'WRITE_ACP', grantee: { type: 'CanonicalUser', id: 'friend' } },
      ],
    });
    // Act
    const input = copyInPlaceInput(s, target);
    // Assess
    expect(input).toMatchObject({
      GrantFullControl: 'id="owner"',
      GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AllUsers", id="friend"',
      GrantReadACP: 'emailAddress="a@example.com"',
      GrantWriteACP: 'id="friend"',
    });
  });

  it('leaves grants to PutObjectAcl when one is WRITE (CopyObject has no x-amz-grant-write)', () => {
    const s = objectSnapshot({
      grants: [
        { permission: 'FULL_CONTROL', grantee: { type: 'CanonicalUser', id: 'owner' } },
        { permission: 'WRITE', grantee: { type: 'CanonicalUser', id: 'friend' } },
      ],
    });
    expect(copyInPlaceInput(s, target)).not.toHaveProperty('GrantFullControl');
  });
});

describe('copySource', () => {
  it.each([
    ['plain/key.txt', undefined, 'b/plain/key.txt'],
    ['/leading', undefined, 'b//leading'],
    ['q?x#y', undefined, 'b/q%3Fx%23y'],
    ['100%', 'null', 'b/100%25?versionId=null'],
    ['é', undefined, 'b/%C3%A9'],
  ])('encodes %s (version %s) as %s', (key, versionId, expected) => {
    expect(copySource(objectSnapshot({ bucket: 'b', key, ...(versionId ? { versionId } : {}) }))).toBe(
      expected,
    );
  });
});

describe('updateEncryptionInput', () => {
  it('names the exact version and the full key ARN', () => {
    expect(updateEncryptionInput({ bucket: 'b', key: 'k', versionId: 'v1' }, target)).toEqual({
      Bucket: 'b',
      Key: 'k',
      VersionId: 'v1',
      ObjectEncryption: { SSEKMS: { KMSKeyArn: TARGET_KEY_ARN, BucketKeyEnabled: true } },
    });
  });
});
