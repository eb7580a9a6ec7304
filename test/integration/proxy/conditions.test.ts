import { setTimeout as sleep } from 'node:timers/promises';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { motoClients, newBucket, newKmsKey } from '../../support/aws.js';
import { type S3Proxy, startS3Proxy } from '../../support/s3-proxy.js';

const body = async (s3: S3Client, Bucket: string, Key: string, VersionId?: string) =>
  (await s3.send(new GetObjectCommand({ Bucket, Key, VersionId }))).Body?.transformToString();

/** Puts `v1` then `v2` under one key; returns both ETags (v1's is now stale). */
async function overwritten(s3: S3Client, Bucket: string, Key: string) {
  const v1 = await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'v1 bytes' }));
  const v2 = await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'v2 bytes, newer' }));
  return {
    stale: v1.ETag as string,
    current: v2.ETag as string,
    v1Version: v1.VersionId,
    v2Version: v2.VersionId,
  };
}

async function multipartCopyOfOnePart(s3: S3Client, Bucket: string, Key: string, CopySourceIfMatch: string) {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
  const part = await s3.send(
    new UploadPartCopyCommand({
      Bucket,
      Key,
      UploadId,
      PartNumber: 1,
      CopySource: `${Bucket}/${Key}`,
      CopySourceIfMatch,
    }),
  );
  return { UploadId, parts: [{ PartNumber: 1, ETag: part.CopyPartResult?.ETag }] };
}

describe('moto alone ignores these preconditions (if one of these fails, moto now enforces it: revisit the proxy)', () => {
  const { s3 } = motoClients();

  it('copies despite a stale CopySourceIfMatch on CopyObject', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    const { stale } = await overwritten(s3, bucket, 'k');
    // Act
    const out = await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'copy',
        CopySource: `${bucket}/k`,
        CopySourceIfMatch: stale,
      }),
    );
    // Assess
    expect(out.CopyObjectResult?.ETag).toBeDefined();
    expect(await body(s3, bucket, 'copy')).toBe('v2 bytes, newer');
  });

  it('overwrites despite a stale destination IfMatch on CopyObject', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    const { stale } = await overwritten(s3, bucket, 'dest');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src', Body: 'source bytes' }));
    // Act
    await s3.send(
      new CopyObjectCommand({ Bucket: bucket, Key: 'dest', CopySource: `${bucket}/src`, IfMatch: stale }),
    );
    // Assess
    expect(await body(s3, bucket, 'dest')).toBe('source bytes');
  });

  it('copies a part despite a stale CopySourceIfMatch on UploadPartCopy', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    const { stale } = await overwritten(s3, bucket, 'k');
    // Act
    const { parts } = await multipartCopyOfOnePart(s3, bucket, 'k', stale);
    // Assess
    expect(parts[0]?.ETag).toBeDefined();
  });

  it('completes despite a stale IfMatch on CompleteMultipartUpload', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    const first = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v1 bytes' }));
    const { UploadId, parts } = await multipartCopyOfOnePart(s3, bucket, 'k', first.ETag as string);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'newer bytes' }));
    // Act
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'k',
        UploadId,
        MultipartUpload: { Parts: parts },
        IfMatch: first.ETag,
      }),
    );
    // Assess: the stale bytes replaced the newer ones.
    expect(await body(s3, bucket, 'k')).toBe('v1 bytes');
  });
});

describe('through the proxy, S3 preconditions hold (the proxy supplies S3 behaviour moto lacks)', () => {
  let proxy: S3Proxy;
  let s3: S3Client;
  let keyArn: string;

  beforeAll(async () => {
    proxy = await startS3Proxy({ target: inject('motoEndpoint') });
    const clients = motoClients(proxy.endpoint);
    s3 = clients.s3;
    keyArn = await newKmsKey(clients.kms);
  });
  afterAll(async () => {
    await proxy.stop();
  });
  beforeEach(() => proxy.resetCounts());

  const reencrypt = (
    Bucket: string,
    Key: string,
    extra: { CopySourceIfMatch?: string; IfMatch?: string; CopySource?: string },
  ) =>
    s3.send(
      new CopyObjectCommand({
        Bucket,
        Key,
        CopySource: `${Bucket}/${Key}`,
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: keyArn,
        ...extra,
      }),
    );

  it('refuses a CopyObject whose CopySourceIfMatch is stale with 412 and leaves the object alone', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    const { stale } = await overwritten(s3, bucket, 'k');
    // Act
    const act = reencrypt(bucket, 'k', { CopySourceIfMatch: stale });
    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'PreconditionFailed',
      $metadata: { httpStatusCode: 412 },
    });
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect(head.ServerSideEncryption).toBeUndefined();
    expect(await body(s3, bucket, 'k')).toBe('v2 bytes, newer');
    expect(proxy.stats().conditions).toMatchObject({
      failed: 1,
      byCondition: { 'x-amz-copy-source-If-Match': 1 },
    });
  });

  it('applies a CopyObject whose source and destination ETags are current', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    const { current } = await overwritten(s3, bucket, 'k');
    // Act
    await reencrypt(bucket, 'k', { CopySourceIfMatch: current, IfMatch: current });
    // Assess
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect(head.SSEKMSKeyId).toBe(keyArn);
    expect(await body(s3, bucket, 'k')).toBe('v2 bytes, newer');
    expect(proxy.stats().conditions).toMatchObject({ checked: 1, failed: 0 });
  });

  it('refuses a CopyObject whose destination IfMatch is stale', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    const { stale } = await overwritten(s3, bucket, 'dest');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src', Body: 'source bytes' }));
    // Act
    const act = s3.send(
      new CopyObjectCommand({ Bucket: bucket, Key: 'dest', CopySource: `${bucket}/src`, IfMatch: stale }),
    );
    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'PreconditionFailed',
      $metadata: { httpStatusCode: 412 },
    });
    expect(await body(s3, bucket, 'dest')).toBe('v2 bytes, newer');
  });

  it('answers NoSuchKey to a destination IfMatch on a key that does not exist', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    const src = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src', Body: 'source bytes' }));
    // Act
    const act = s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'absent',
        CopySource: `${bucket}/src`,
        IfMatch: src.ETag,
      }),
    );
    // Assess
    await expect(act).rejects.toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
  });

  it('refuses a CopyObject with IfNoneMatch * onto an existing key', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    await overwritten(s3, bucket, 'k');
    // Act
    const act = s3.send(
      new CopyObjectCommand({ Bucket: bucket, Key: 'k', CopySource: `${bucket}/k`, IfNoneMatch: '*' }),
    );
    // Assess
    await expect(act).rejects.toMatchObject({ name: 'PreconditionFailed' });
  });

  it('checks CopySourceIfMatch against the named source version, not the current one', async () => {
    // Prepare
    const bucket = await newBucket(s3, { versioned: true });
    const { stale, current, v1Version } = await overwritten(s3, bucket, 'k');
    const fromV1 = (CopySourceIfMatch: string) =>
      s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: 'restored',
          CopySource: `${bucket}/k?versionId=${v1Version}`,
          CopySourceIfMatch,
        }),
      );
    // Act
    const wrong = await fromV1(current).catch((e: unknown) => e);
    const right = await fromV1(stale);
    // Assess
    expect(wrong).toMatchObject({ name: 'PreconditionFailed' });
    expect(right.CopySourceVersionId).toBe(v1Version);
    expect(await body(s3, bucket, 'restored')).toBe('v1 bytes');
  });

  it('refuses an UploadPartCopy whose CopySourceIfMatch is stale', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    const { stale, current } = await overwritten(s3, bucket, 'k');
    // Act
    const refused = await multipartCopyOfOnePart(s3, bucket, 'k', stale).catch((e: unknown) => e);
    const fresh = await multipartCopyOfOnePart(s3, bucket, 'k', current);
    // Assess
    expect(refused).toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
    expect(fresh.parts[0]?.ETag).toBeDefined();
  });

  it('refuses a CompleteMultipartUpload whose IfMatch went stale while the parts were copied', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    const first = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v1 bytes' }));
    const { UploadId, parts } = await multipartCopyOfOnePart(s3, bucket, 'k', first.ETag as string);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'newer bytes' }));
    // Act
    const act = s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'k',
        UploadId,
        MultipartUpload: { Parts: parts },
        IfMatch: first.ETag,
      }),
    );
    // Assess: the stale multipart copy never replaces the newer bytes.
    await expect(act).rejects.toMatchObject({
      name: 'PreconditionFailed',
      $metadata: { httpStatusCode: 412 },
    });
    expect(await body(s3, bucket, 'k')).toBe('newer bytes');
  });

  it('serialises conditional copies with concurrent overwrites: no copy lands after an overwrite', async () => {
    // Prepare: a versioned key; every copy is conditional on the ETag of the first version.
    const bucket = await newBucket(s3, { versioned: true });
    const first = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'original' }));
    const etag = first.ETag as string;
    // Act: 30 conditional re-encrypting copies race 30 overwrites, all through the proxy, each started after a
    // small staggered pause so that copies and overwrites interleave at the server (a few copies go first).
    const later = <T>(ms: number, send: () => Promise<T>) => sleep(ms).then(send);
    const ops = Array.from({ length: 30 }, (_, i) => [
      later(15 + ((i * 7) % 23), () =>
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: `overwrite ${i}` })),
      ),
      later((i * 11) % 29, () => reencrypt(bucket, 'k', { CopySourceIfMatch: etag, IfMatch: etag })),
    ]);
    const results = await Promise.allSettled(ops.flat());
    // Assess: a copy applied after an overwrite would hold the overwrite's bytes under SSE-KMS. Every
    // copy-made version must hold the original bytes, and the current object is an overwrite.
    const versions =
      (await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'k' }))).Versions ?? [];
    const copied: string[] = [];
    let current: { sse?: string; bytes?: string } = {};
    for (const v of versions) {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', VersionId: v.VersionId }));
      const bytes = await got.Body?.transformToString();
      if (got.ServerSideEncryption === 'aws:kms') copied.push(bytes ?? '');
      if (v.IsLatest) current = { sse: got.ServerSideEncryption, bytes };
    }
    expect(copied.filter((bytes) => bytes !== 'original')).toEqual([]);
    expect(current).toEqual({ sse: undefined, bytes: expect.stringMatching(/^overwrite \d+$/) });
    const copyResults = results.filter((_, i) => i % 2 === 1);
    const refused = copyResults.filter((r) => r.status === 'rejected');
    const applied = copied.length;
    expect(applied).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length + applied).toBe(30);
    expect(results.filter((r, i) => i % 2 === 0 && r.status === 'fulfilled')).toHaveLength(30);
  });
});
