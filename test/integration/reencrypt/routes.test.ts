/**
 * Routes other than a plain copy, against moto over HTTP: skip (never written), blocked objects left
 * untouched, exact versions in versioned buckets, deletePriorVersion, and failures moto can produce.
 */
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../helpers/objects.js';
import { motoClients, newBucket, newKmsKey } from '../../support/aws.js';
import { eventV1, eventV2, lambdaContext } from '../../unit/reencrypt/support/events.js';
import { motoHandler, parsedResults } from './support.js';

const { s3, kms } = motoClients();
const ctx = lambdaContext();

async function versionsOf(bucket: string, key: string) {
  const out = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
  return {
    versions: (out.Versions ?? []).map((v) => ({
      id: v.VersionId,
      latest: v.IsLatest,
      modified: v.LastModified?.toISOString(),
      etag: v.ETag,
    })),
    markers: (out.DeleteMarkers ?? []).map((m) => m.VersionId),
  };
}

async function put(bucket: string, key: string, extra: Partial<PutObjectCommandInput> = {}) {
  return s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}`, ...extra }));
}

describe('re-encrypt routes (moto)', () => {
  it('never writes a compliant object, whichever schema asks', async () => {
    // Prepare
    const [bucket, target] = await Promise.all([newBucket(s3, { versioned: true }), newKmsKey(kms)]);
    await put(bucket, 'ok.txt', {
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: target,
      BucketKeyEnabled: true,
    });
    const before = await versionsOf(bucket, 'ok.txt');
    const { handler } = motoHandler(s3, target);
    // Act
    const r1 = await handler(eventV1([{ bucket, key: 'ok.txt' }]), ctx);
    const r2 = await handler(
      eventV2([{ bucket, key: 'ok.txt', versionId: before.versions[0]!.id! }], { targetKeyArn: target }),
      ctx,
    );
    // Assess: same single version, same Last-Modified and ETag
    expect([...parsedResults(r1), ...parsedResults(r2)].map((r) => `${r.code}/${r.result.route}`)).toEqual([
      'Succeeded/skip',
      'Succeeded/skip',
    ]);
    expect(await versionsOf(bucket, 'ok.txt')).toEqual(before);
  });

  it('copies only the exact current version and leaves older versions as they were', async () => {
    // Prepare
    const [bucket, target] = await Promise.all([newBucket(s3, { versioned: true }), newKmsKey(kms)]);
    const v1 = await put(bucket, 'doc', { ServerSideEncryption: 'AES256' });
    const v2 = await put(bucket, 'doc', { ServerSideEncryption: 'AES256' });
    const oldBefore = await fingerprint(s3, bucket, 'doc', { versionId: v1.VersionId! });
    // Act
    const r = await motoHandler(s3, target).handler(
      eventV2([{ bucket, key: 'doc', versionId: v2.VersionId! }], { targetKeyArn: target }),
      ctx,
    );
    // Assess
    const [only] = parsedResults(r);
    expect(only).toMatchObject({ code: 'Succeeded', result: { route: 'copy' } });
    const after = await versionsOf(bucket, 'doc');
    expect(after.versions).toHaveLength(3);
    expect(after.versions.find((v) => v.latest)!.id).toBe(only!.result.versionId);
    expect(await fingerprint(s3, bucket, 'doc', { versionId: v1.VersionId! })).toEqual(oldBefore);
  });

  it('blocks noncurrent versions it cannot update in place, leaving every version untouched', async () => {
    // Prepare: moto is a custom endpoint, so the update route is off
    const [bucket, target] = await Promise.all([newBucket(s3, { versioned: true }), newKmsKey(kms)]);
    const plain = await put(bucket, 'k');
    const sseS3 = await put(bucket, 'k', { ServerSideEncryption: 'AES256' });
    await put(bucket, 'k', { ServerSideEncryption: 'AES256' });
    const before = await versionsOf(bucket, 'k');
    // Act
    const r = await motoHandler(s3, target).handler(
      eventV2(
        [
          { bucket, key: 'k', versionId: plain.VersionId!, taskId: 'unencrypted' },
          { bucket, key: 'k', versionId: sseS3.VersionId!, taskId: 'sse-s3' },
        ],
        { targetKeyArn: target },
      ),
      ctx,
    );
    // Assess
    expect(parsedResults(r).map((x) => [x.taskId, x.code, x.result.route, x.result.cause])).toEqual([
      ['unencrypted', 'PermanentFailure', 'blocked', 'noncurrent-unencrypted'],
      ['sse-s3', 'PermanentFailure', 'blocked', 'noncurrent-version'],
    ]);
    expect(await versionsOf(bucket, 'k')).toEqual(before);
  });

  it('deletes the version a copy replaced only when asked, after verifying the new one', async () => {
    // Prepare
    const [bucket, target] = await Promise.all([newBucket(s3, { versioned: true }), newKmsKey(kms)]);
    const old = await put(bucket, 'k');
    // Act
    const r = await motoHandler(s3, target).handler(
      eventV2([{ bucket, key: 'k' }], { targetKeyArn: target, deletePriorVersion: 'true' }),
      ctx,
    );
    // Assess
    const [only] = parsedResults(r);
    expect(only!.result).toMatchObject({ route: 'copy', deletedPrior: true });
    const after = await versionsOf(bucket, 'k');
    expect(after.versions.map((v) => v.id)).toEqual([only!.result.versionId]);
    expect(after.versions[0]!.id).not.toBe(old.VersionId);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect(head.SSEKMSKeyId).toBe(target);
  });

  it.each([
    ['an unrestored GLACIER unencrypted object', { StorageClass: 'GLACIER' }, 'archived-restore-first'],
    [
      'an unrestored DEEP_ARCHIVE SSE-S3 object (no update route here)',
      { StorageClass: 'DEEP_ARCHIVE', ServerSideEncryption: 'AES256' },
      'archived-restore-first',
    ],
    ['a DSSE-KMS object', { ServerSideEncryption: 'aws:kms:dsse' }, 'dsse-kms'],
  ] as const)('blocks %s without writing', async (_label, extra, cause) => {
    // Prepare
    const [bucket, target, other] = await Promise.all([
      newBucket(s3, { versioned: true }),
      newKmsKey(kms),
      newKmsKey(kms),
    ]);
    const attributes: Partial<PutObjectCommandInput> = extra;
    await put(bucket, 'k', {
      ...attributes,
      ...(attributes.ServerSideEncryption === 'aws:kms:dsse' ? { SSEKMSKeyId: other } : {}),
    });
    const before = await versionsOf(bucket, 'k');
    // Act
    const r = await motoHandler(s3, target).handler(
      eventV2([{ bucket, key: 'k' }], { targetKeyArn: target }),
      ctx,
    );
    // Assess
    expect(parsedResults(r)[0]).toMatchObject({
      code: 'PermanentFailure',
      result: { route: 'blocked', cause },
    });
    expect(await versionsOf(bucket, 'k')).toEqual(before);
  });

  it('fails an object above the multipart threshold when no multipart copier is given', async () => {
    const [bucket, target] = await Promise.all([newBucket(s3), newKmsKey(kms)]);
    await put(bucket, 'big');
    const r = await motoHandler(s3, target).handler(
      eventV2([{ bucket, key: 'big' }], { targetKeyArn: target, multipartThresholdBytes: '4' }),
      ctx,
    );
    expect(parsedResults(r)[0]).toMatchObject({
      code: 'PermanentFailure',
      result: { cause: 'multipart-required' },
    });
    expect(
      (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'big' }))).ServerSideEncryption,
    ).toBeUndefined();
  });

  it('refuses strategy=update where the update route is off, without writing', async () => {
    const [bucket, target] = await Promise.all([newBucket(s3), newKmsKey(kms)]);
    await put(bucket, 'k', { ServerSideEncryption: 'AES256' });
    const r = await motoHandler(s3, target).handler(
      eventV2([{ bucket, key: 'k' }], { targetKeyArn: target, strategy: 'update' }),
      ctx,
    );
    expect(parsedResults(r)[0]).toMatchObject({
      code: 'PermanentFailure',
      result: { route: 'blocked', cause: 'route-not-allowed' },
    });
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }))).ServerSideEncryption).toBe(
      'AES256',
    );
  });

  it('reports missing objects and delete markers as permanent failures', async () => {
    // Prepare
    const [bucket, target] = await Promise.all([newBucket(s3, { versioned: true }), newKmsKey(kms)]);
    await put(bucket, 'gone');
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'gone' }));
    // Act
    const r = await motoHandler(s3, target).handler(
      eventV2(
        [
          { bucket, key: 'never-existed', taskId: 'missing' },
          { bucket, key: 'gone', taskId: 'current is a delete marker' },
          { bucket, key: 'gone', versionId: marker.VersionId!, taskId: 'delete-marker version' },
        ],
        { targetKeyArn: target },
      ),
      ctx,
    );
    // Assess
    expect(parsedResults(r).map((x) => [x.taskId, x.code, x.result.cause])).toEqual([
      ['missing', 'PermanentFailure', 'not-found'],
      ['current is a delete marker', 'PermanentFailure', 'not-found'],
      ['delete-marker version', 'PermanentFailure', 'delete-marker'],
    ]);
  });
});
