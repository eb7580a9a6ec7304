import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type CreateMultipartUploadCommandInput,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { MiB, randomBody } from '../../helpers/multipart.js';
import { motoClients, newBucket, newKmsKey } from '../../support/aws.js';

/**
 * Where moto 5.2.5 differs from S3 for multipart copy (read in moto/s3/responses.py and models.py).
 * Each case asserts moto's current behaviour, so an upgrade that closes a gap fails here and the
 * product tests that work around it can be tightened. The copier does not rely on any of these
 * conditions alone: it re-reads the source before completing.
 */
describe('moto multipart gaps', () => {
  const { s3, kms } = motoClients();

  async function twoPartUpload(
    client: S3Client,
    bucket: string,
    extra: Partial<CreateMultipartUploadCommandInput> = {},
  ) {
    const put = await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: randomBody(6 * MiB) }),
    );
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'k', ...extra }),
    );
    const parts = [];
    for (const [n, range] of [
      [1, `bytes=0-${5 * MiB - 1}`],
      [2, `bytes=${5 * MiB}-${6 * MiB - 1}`],
    ] as const) {
      const out = await client.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: 'k',
          UploadId,
          PartNumber: n,
          CopySource: `${bucket}/k`,
          CopySourceRange: range,
        }),
      );
      parts.push({ PartNumber: n, ETag: out.CopyPartResult?.ETag });
    }
    return { sourceEtag: put.ETag ?? '', UploadId, parts };
  }

  it('ignores CopySourceIfMatch on UploadPartCopy (S3 answers 412 PreconditionFailed)', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: randomBody(6 * MiB) }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'k' }));
    // Act
    const out = await s3.send(
      new UploadPartCopyCommand({
        Bucket: bucket,
        Key: 'k',
        UploadId,
        PartNumber: 1,
        CopySource: `${bucket}/k`,
        CopySourceIfMatch: '"00000000000000000000000000000000"',
        CopySourceRange: `bytes=0-${5 * MiB - 1}`,
      }),
    );
    // Assess
    expect(out.CopyPartResult?.ETag).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it('ignores If-Match on CompleteMultipartUpload (S3 answers 412 PreconditionFailed)', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    const { UploadId, parts } = await twoPartUpload(s3, bucket);
    // Act
    const out = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'k',
        UploadId,
        IfMatch: '"00000000000000000000000000000000"',
        MultipartUpload: { Parts: parts },
      }),
    );
    // Assess
    expect(out.ETag).toMatch(/-2"$/);
  });

  it('drops Object Lock settings and the Bucket Key flag given at CreateMultipartUpload', async () => {
    // Prepare
    const bucket = await newBucket(s3, { objectLock: true });
    const keyArn = await newKmsKey(kms);
    const { UploadId, parts } = await twoPartUpload(s3, bucket, {
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: keyArn,
      BucketKeyEnabled: true,
      ObjectLockMode: 'GOVERNANCE',
      ObjectLockRetainUntilDate: new Date(Date.now() + 86_400_000),
      ObjectLockLegalHoldStatus: 'ON',
    });
    // Act
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'k',
        UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    // Assess
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect(head.SSEKMSKeyId).toBe(keyArn);
    expect(head.ObjectLockMode).toBeUndefined();
    expect(head.ObjectLockLegalHoldStatus).toBeUndefined();
    expect(head.BucketKeyEnabled).toBeUndefined();
  });

  it('enforces the 5 MiB minimum for every part but the last, as S3 does', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: randomBody(6 * MiB) }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'k' }));
    const parts = [];
    for (const [n, range] of [
      [1, `bytes=0-${5 * MiB - 2}`],
      [2, `bytes=${5 * MiB - 1}-${6 * MiB - 1}`],
    ] as const) {
      const out = await s3.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: 'k',
          UploadId,
          PartNumber: n,
          CopySource: `${bucket}/k`,
          CopySourceRange: range,
        }),
      );
      parts.push({ PartNumber: n, ETag: out.CopyPartResult?.ETag });
    }
    // Act
    const complete = s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'k',
        UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    // Assess
    await expect(complete).rejects.toMatchObject({ name: 'EntityTooSmall' });
  });
});
