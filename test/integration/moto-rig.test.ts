import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { motoClients, newBucket, newKmsKey } from '../support/aws.js';

describe('moto rig', () => {
  const { s3, kms } = motoClients();

  it('stores an object under SSE-KMS with the key ARN over real HTTP', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    const keyArn = await newKmsKey(kms);
    // Act
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'a b',
        Body: 'hello',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: keyArn,
      }),
    );
    // Assess
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'a b' }));
    expect(head.ServerSideEncryption).toBe('aws:kms');
    expect(head.SSEKMSKeyId).toBe(keyArn);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'a b' }));
    expect(await got.Body?.transformToString()).toBe('hello');
  });
});
