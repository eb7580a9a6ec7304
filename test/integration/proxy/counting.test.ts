import { createHash, randomBytes } from 'node:crypto';
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
import { Upload } from '@aws-sdk/lib-storage';
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

  it('streams large bodies both ways unchanged and counts each multipart step', async () => {
    // Prepare: 6 MiB, above the SDK's 100-continue threshold, and two 5 MiB parts for the multipart upload.
    const { s3 } = clients;
    const bucket = await newBucket(s3);
    const big = randomBytes(6 * 1024 * 1024);
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    proxy.resetCounts();
    // Act
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'big', Body: big }));
    await new Upload({
      client: s3,
      params: { Bucket: bucket, Key: 'multi', Body: Buffer.concat([big, big]).subarray(0, 10 * 1024 * 1024) },
      partSize: 5 * 1024 * 1024,
      queueSize: 2,
    }).done();
    const gotBig = await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'big' }))
    ).Body?.transformToByteArray();
    const gotMulti = await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'multi' }))
    ).Body?.transformToByteArray();
    // Assess
    expect(sha(gotBig ?? new Uint8Array())).toBe(sha(big));
    expect(sha(gotMulti ?? new Uint8Array())).toBe(
      sha(Buffer.concat([big, big]).subarray(0, 10 * 1024 * 1024)),
    );
    expect(proxy.counts().byOperation).toEqual({
      PutObject: 1,
      CreateMultipartUpload: 1,
      UploadPart: 2,
      CompleteMultipartUpload: 1,
      GetObject: 2,
    });
  });

  it('does not count the look-ups it makes itself to check preconditions', async () => {
    // Prepare
    const { s3 } = clients;
    const bucket = await newBucket(s3);
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    proxy.resetCounts();
    // Act
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'k',
        CopySource: `${bucket}/k`,
        CopySourceIfMatch: put.ETag,
        IfMatch: put.ETag,
        StorageClass: 'STANDARD_IA',
      }),
    );
    // Assess: one client request; two HEADs (source and destination) made by the proxy.
    expect(proxy.stats()).toMatchObject({
      requests: { total: 1, byOperation: { CopyObject: 1 } },
      internalRequests: 2,
    });
  });
});
