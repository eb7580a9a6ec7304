import {
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  UpdateObjectEncryptionCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { makeS3Client } from '../../../src/aws/clients.js';
import { motoClients, motoSettings, newBucket, newKmsKey } from '../../support/aws.js';
import { type S3Proxy, startS3Proxy } from '../../support/s3-proxy.js';

const update = (s3: S3Client, Bucket: string, Key: string, KMSKeyArn: string, BucketKeyEnabled = true) =>
  s3.send(
    new UpdateObjectEncryptionCommand({
      Bucket,
      Key,
      ObjectEncryption: { SSEKMS: { KMSKeyArn, BucketKeyEnabled } },
    }),
  );

const text = async (s3: S3Client, Bucket: string, Key: string) =>
  (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body?.transformToString();

describe('UpdateObjectEncryption (PUT /key?encryption)', () => {
  const direct = motoClients();
  let proxy: S3Proxy;
  let s3: S3Client;
  let keyArn: string;

  beforeAll(async () => {
    proxy = await startS3Proxy({ target: inject('motoEndpoint') });
    s3 = motoClients(proxy.endpoint).s3;
    keyArn = await newKmsKey(direct.kms);
  });
  afterAll(async () => {
    await proxy.stop();
  });
  beforeEach(() => proxy.reset());

  it('is treated by moto alone as a PutObject that replaces the bytes with the request body (never send it there)', async () => {
    // Prepare
    const bucket = await newBucket(direct.s3);
    await direct.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'precious bytes' }));
    // Act
    await update(direct.s3, bucket, 'k', keyArn);
    // Assess
    expect(await text(direct.s3, bucket, 'k')).toContain('<KMSKeyArn>');
  });

  it('answers 501 NotImplemented through the proxy by default and leaves the object untouched', async () => {
    // Prepare
    const bucket = await newBucket(direct.s3);
    const put = await direct.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'k',
        Body: 'precious bytes',
        ServerSideEncryption: 'AES256',
      }),
    );
    // Act
    const act = update(s3, bucket, 'k', keyArn);
    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'NotImplemented',
      $metadata: { httpStatusCode: 501, attempts: 1 },
    });
    const head = await direct.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect(head).toMatchObject({ ETag: put.ETag, ServerSideEncryption: 'AES256' });
    expect(await text(direct.s3, bucket, 'k')).toBe('precious bytes');
    expect(proxy.stats()).toMatchObject({
      requests: { byOperation: { UpdateObjectEncryption: 1 } },
      updateObjectEncryption: { notImplemented: 1, emulated: 0 },
      internalRequests: 0,
    });
  });

  describe('in emulate mode', () => {
    beforeEach(() => proxy.setUpdateObjectEncryption('emulate'));

    it('re-encrypts in place keeping bytes, ETag, metadata, tags, storage class and ACL', async () => {
      // Prepare
      const bucket = await newBucket(direct.s3);
      const put = await direct.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'dir/k é',
          Body: 'precious bytes',
          ServerSideEncryption: 'AES256',
          ContentType: 'text/x-test',
          CacheControl: 'max-age=60',
          Metadata: { owner: 'team-a' },
          Tagging: 'class=secret',
          StorageClass: 'STANDARD_IA',
          ACL: 'public-read',
        }),
      );
      const aclBefore = await direct.s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'dir/k é' }));
      // Act
      await update(s3, bucket, 'dir/k é', keyArn, true);
      // Assess
      const head = await direct.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dir/k é' }));
      expect(head).toMatchObject({
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: keyArn,
        BucketKeyEnabled: true,
        ETag: put.ETag,
        ContentType: 'text/x-test',
        CacheControl: 'max-age=60',
        Metadata: { owner: 'team-a' },
        StorageClass: 'STANDARD_IA',
      });
      expect(await text(direct.s3, bucket, 'dir/k é')).toBe('precious bytes');
      const tags = await direct.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'dir/k é' }));
      expect(tags.TagSet).toEqual([{ Key: 'class', Value: 'secret' }]);
      const aclAfter = await direct.s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'dir/k é' }));
      expect(aclAfter.Grants).toEqual(aclBefore.Grants);
      expect(proxy.stats().updateObjectEncryption).toEqual({ notImplemented: 0, emulated: 1, refused: 0 });
    });

    // `alias` undefined: the test's own key ARN is the target.
    it.each<{ case: string; sse: 'AES256' | undefined; alias?: string; name: string; status: number }>([
      { case: 'an unencrypted object', sse: undefined, name: 'InvalidRequest', status: 400 },
      {
        case: 'an alias ARN as target',
        sse: 'AES256',
        alias: 'arn:aws:kms:us-east-1:123456789012:alias/target',
        name: 'InvalidRequest',
        status: 400,
      },
    ])(
      'refuses $case with $status $name, leaving the object as it was',
      async ({ sse, alias, name, status }) => {
        // Prepare
        const bucket = await newBucket(direct.s3);
        await direct.s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'bytes', ServerSideEncryption: sse }),
        );
        // Act
        const act = update(s3, bucket, 'k', alias ?? keyArn);
        // Assess
        await expect(act).rejects.toMatchObject({ name, $metadata: { httpStatusCode: status } });
        const head = await direct.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
        expect(head.ServerSideEncryption).toBe(sse);
        expect(proxy.stats().updateObjectEncryption.refused).toBe(1);
      },
    );

    it('answers 501 in a versioned bucket, where a copy would make a new version instead of updating one', async () => {
      // Prepare
      const bucket = await newBucket(direct.s3, { versioned: true });
      await direct.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'bytes', ServerSideEncryption: 'AES256' }),
      );
      // Act
      const act = update(s3, bucket, 'k', keyArn);
      // Assess
      await expect(act).rejects.toMatchObject({ name: 'NotImplemented', $metadata: { httpStatusCode: 501 } });
      const head = await direct.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
      expect(head.ServerSideEncryption).toBe('AES256');
    });

    it('applies the update but loses the answer with an after-mode fault', async () => {
      // Prepare
      const bucket = await newBucket(direct.s3);
      await direct.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'bytes', ServerSideEncryption: 'AES256' }),
      );
      proxy.setFaults([
        { kind: 'internalError', rate: 1, when: 'after', operations: ['UpdateObjectEncryption'] },
      ]);
      const once = makeS3Client({ ...motoSettings(proxy.endpoint), maxAttempts: 1 });
      // Act
      const act = update(once, bucket, 'k', keyArn);
      // Assess
      await expect(act).rejects.toMatchObject({ name: 'InternalError', $metadata: { httpStatusCode: 500 } });
      const head = await direct.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
      expect(head).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn });
    });

    it('answers NoSuchKey for a missing object', async () => {
      // Prepare
      const bucket = await newBucket(direct.s3);
      // Act
      const act = update(s3, bucket, 'absent', keyArn);
      // Assess
      await expect(act).rejects.toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    });
  });
});
