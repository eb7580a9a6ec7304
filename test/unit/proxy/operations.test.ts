import { describe, expect, it } from 'vitest';
import { classifyRequest, type ProxyOperation } from '../../support/proxy/operations.js';

type Case = {
  method: string;
  url: string;
  headers?: Record<string, string>;
  operation: ProxyOperation;
};

const copy = { 'x-amz-copy-source': 'src-bucket/a%20b' };

describe('classifyRequest', () => {
  it.each<Case>([
    // Objects
    { method: 'GET', url: '/b/k', operation: 'GetObject' },
    { method: 'GET', url: '/b/k?x-id=GetObject', operation: 'GetObject' },
    { method: 'GET', url: '/b/k?versionId=v1&partNumber=2', operation: 'GetObject' },
    { method: 'HEAD', url: '/b/dir/k', operation: 'HeadObject' },
    { method: 'PUT', url: '/b/k?x-id=PutObject', operation: 'PutObject' },
    { method: 'PUT', url: '/b/k?x-id=CopyObject', headers: copy, operation: 'CopyObject' },
    { method: 'PUT', url: '/b/k', headers: copy, operation: 'CopyObject' },
    { method: 'PUT', url: '/b/k?partNumber=1&uploadId=u', operation: 'UploadPart' },
    {
      method: 'PUT',
      url: '/b/k?partNumber=1&uploadId=u&x-id=UploadPartCopy',
      headers: copy,
      operation: 'UploadPartCopy',
    },
    { method: 'POST', url: '/b/k?uploads', operation: 'CreateMultipartUpload' },
    { method: 'POST', url: '/b/k?uploads=', operation: 'CreateMultipartUpload' },
    { method: 'POST', url: '/b/k?uploadId=u', operation: 'CompleteMultipartUpload' },
    { method: 'DELETE', url: '/b/k?uploadId=u&x-id=AbortMultipartUpload', operation: 'AbortMultipartUpload' },
    { method: 'GET', url: '/b/k?uploadId=u&x-id=ListParts', operation: 'ListParts' },
    { method: 'DELETE', url: '/b/k?x-id=DeleteObject', operation: 'DeleteObject' },
    { method: 'DELETE', url: '/b/k?versionId=v1', operation: 'DeleteObject' },
    { method: 'GET', url: '/b/k?tagging', operation: 'GetObjectTagging' },
    { method: 'PUT', url: '/b/k?tagging', operation: 'PutObjectTagging' },
    { method: 'DELETE', url: '/b/k?tagging', operation: 'DeleteObjectTagging' },
    { method: 'GET', url: '/b/k?acl', operation: 'GetObjectAcl' },
    { method: 'PUT', url: '/b/k?acl', operation: 'PutObjectAcl' },
    { method: 'GET', url: '/b/k?attributes', operation: 'GetObjectAttributes' },
    { method: 'GET', url: '/b/k?retention', operation: 'GetObjectRetention' },
    { method: 'PUT', url: '/b/k?legal-hold', operation: 'PutObjectLegalHold' },
    { method: 'POST', url: '/b/k?restore', operation: 'RestoreObject' },
    { method: 'PUT', url: '/b/k?encryption', operation: 'UpdateObjectEncryption' },
    { method: 'PUT', url: '/b/k?encryption&versionId=v1', operation: 'UpdateObjectEncryption' },
    { method: 'GET', url: '/b/k?encryption', operation: 'Other' },
    // Buckets
    { method: 'GET', url: '/', operation: 'ListBuckets' },
    { method: 'PUT', url: '/b', operation: 'CreateBucket' },
    { method: 'PUT', url: '/b/', operation: 'CreateBucket' },
    { method: 'HEAD', url: '/b', operation: 'HeadBucket' },
    { method: 'DELETE', url: '/b', operation: 'DeleteBucket' },
    { method: 'GET', url: '/b?list-type=2&prefix=a%2F', operation: 'ListObjectsV2' },
    { method: 'GET', url: '/b?prefix=a', operation: 'ListObjects' },
    { method: 'GET', url: '/b?versions&prefix=k', operation: 'ListObjectVersions' },
    { method: 'GET', url: '/b?uploads', operation: 'ListMultipartUploads' },
    { method: 'POST', url: '/b?delete', operation: 'DeleteObjects' },
    { method: 'GET', url: '/b?ownershipControls', operation: 'GetBucketOwnershipControls' },
    { method: 'PUT', url: '/b?ownershipControls', operation: 'PutBucketOwnershipControls' },
    { method: 'PUT', url: '/b?versioning', operation: 'PutBucketVersioning' },
    { method: 'GET', url: '/b?versioning', operation: 'GetBucketVersioning' },
    { method: 'PUT', url: '/b?encryption', operation: 'PutBucketEncryption' },
    { method: 'GET', url: '/b?encryption', operation: 'GetBucketEncryption' },
    { method: 'PUT', url: '/b?policy', operation: 'PutBucketPolicy' },
    { method: 'PUT', url: '/b?tagging', operation: 'PutBucketTagging' },
    { method: 'GET', url: '/b?location', operation: 'GetBucketLocation' },
    { method: 'GET', url: '/b?object-lock', operation: 'GetObjectLockConfiguration' },
    { method: 'PUT', url: '/b?inventory&id=daily', operation: 'PutBucketInventoryConfiguration' },
    { method: 'GET', url: '/b?inventory&id=daily', operation: 'GetBucketInventoryConfiguration' },
    { method: 'GET', url: '/b?inventory', operation: 'ListBucketInventoryConfigurations' },
    { method: 'PUT', url: '/b?notification', operation: 'PutBucketNotificationConfiguration' },
    { method: 'PUT', url: '/b?publicAccessBlock', operation: 'PutPublicAccessBlock' },
    { method: 'PUT', url: '/b?lifecycle', operation: 'PutBucketLifecycleConfiguration' },
    { method: 'POST', url: '/b', operation: 'Other' },
    // KMS and others
    {
      method: 'POST',
      url: '/',
      headers: { 'x-amz-target': 'TrentService.DescribeKey' },
      operation: 'kms:DescribeKey',
    },
    {
      method: 'POST',
      url: '/',
      headers: { 'x-amz-target': 'TrentService.GenerateDataKey' },
      operation: 'kms:GenerateDataKey',
    },
    {
      method: 'POST',
      url: '/',
      headers: { 'x-amz-target': 'AmazonSSM.GetParameter' },
      operation: 'other:AmazonSSM.GetParameter',
    },
    { method: 'POST', url: '/', operation: 'other:Unknown' },
    { method: 'POST', url: '/v20180820/jobs', operation: 's3control:Other' },
  ])('classifies $method $url as $operation', ({ method, url, headers = {}, operation }) => {
    // Act
    const classified = classifyRequest({ method, url, headers });
    // Assess
    expect(classified.operation).toBe(operation);
  });

  it.each([
    {
      url: '/b/a%20b/%C3%BC.txt?x-id=GetObject',
      bucket: 'b',
      key: 'a b/ü.txt',
      rawPath: '/b/a%20b/%C3%BC.txt',
    },
    { url: '/b//leading-slash', bucket: 'b', key: '/leading-slash', rawPath: '/b//leading-slash' },
    { url: '/b/trailing/', bucket: 'b', key: 'trailing/', rawPath: '/b/trailing/' },
    { url: '/b/100%25', bucket: 'b', key: '100%', rawPath: '/b/100%25' },
  ])('decodes bucket and key of $url', ({ url, bucket, key, rawPath }) => {
    // Act
    const classified = classifyRequest({ method: 'GET', url, headers: {} });
    // Assess
    expect(classified).toMatchObject({ service: 's3', bucket, key, rawPath });
  });

  it('names the service of KMS requests and leaves bucket and key unset', () => {
    // Act
    const classified = classifyRequest({
      method: 'POST',
      url: '/',
      headers: { 'x-amz-target': 'TrentService.Decrypt' },
    });
    // Assess
    expect(classified.service).toBe('kms');
    expect(classified.bucket).toBeUndefined();
    expect(classified.key).toBeUndefined();
  });

  it('keeps a malformed percent-encoding as received instead of throwing', () => {
    // Act
    const classified = classifyRequest({ method: 'GET', url: '/b/bad%E0%A4%A', headers: {} });
    // Assess
    expect(classified).toMatchObject({ operation: 'GetObject', key: 'bad%E0%A4%A' });
  });
});
