import { DescribeKeyCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetBucketOwnershipControlsCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketOwnershipControlsCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { motoClients, newBucket, newKmsKey } from '../../support/aws.js';
import { type S3Proxy, startS3Proxy } from '../../support/s3-proxy.js';

describe('s3-proxy request counting', () => {
  let proxy: S3Proxy;
  let clients: ReturnType<typeof motoClients>;

  beforeAll(async () => {
    proxy = await startS3Proxy({ target: inject('motoEndpoint') });
    clients = motoClients(proxy.endpoint);
  });
  afterAll(async () => {
    await proxy.stop();
  });
  beforeEach(() => proxy.resetCounts());

  it('counts every request of a scripted sequence by operation, exactly', async () => {
    // Prepare
    const { s3, kms } = clients;
    const bucket = await newBucket(s3, { versioned: true });
    const keyArn = await newKmsKey(kms);
    proxy.resetCounts();
    // Act
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a b/ü.txt', Body: 'one' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k2', Body: 'two' }));
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'a b/ü.txt' }));
    await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k2' }))).Body?.transformToString();
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'a b/ü.txt',
        CopySource: `${bucket}/${encodeURIComponent('a b/ü.txt')}`,
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: keyArn,
      }),
    );
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket: bucket,
        Key: 'k2',
        Tagging: { TagSet: [{ Key: 't', Value: 'v' }] },
      }),
    );
    await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'k2' }));
    await s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'k2' }));
    await s3.send(
      new PutBucketOwnershipControlsCommand({
        Bucket: bucket,
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      }),
    );
    await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }));
    await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k2' }));
    await kms.send(new DescribeKeyCommand({ KeyId: keyArn }));
    await kms.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256' }));
    // Assess
    const counts = proxy.counts();
    expect(counts.byOperation).toEqual({
      PutObject: 2,
      HeadObject: 1,
      GetObject: 1,
      CopyObject: 1,
      PutObjectTagging: 1,
      GetObjectTagging: 1,
      GetObjectAcl: 1,
      PutBucketOwnershipControls: 1,
      GetBucketOwnershipControls: 1,
      ListObjectsV2: 1,
      ListObjectVersions: 1,
      DeleteObject: 1,
      'kms:DescribeKey': 1,
      'kms:GenerateDataKey': 1,
    });
    expect(counts.total).toBe(15);
    expect(counts.byService).toEqual({ s3: 13, kms: 2, s3control: 0, other: 0 });
    expect(proxy.log().map((e) => e.status)).toEqual([
      200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 204, 200, 200,
    ]);
  });
});
