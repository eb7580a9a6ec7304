/**
 * `preflight: inventory`: copy-route tasks copy from their inventory facts without a HEAD, through the
 * test proxy (which counts requests and enforces the copy preconditions moto ignores). Every attribute a
 * HEAD would have carried is compared before and after; the one documented trade-off (a website redirect
 * in a bucket that serves no website) is shown, and every case where a HEAD must still look is checked.
 */
import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  PutBucketWebsiteCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { encodeHintedKey, type TaskHints } from '../../../src/batch/task-hints.js';
import { generateInventory } from '../../../src/inventory/generate.js';
import { runLocalPipeline } from '../../../src/pipeline/index.js';
import { diffFingerprints, fingerprint, type ObjectFingerprint } from '../../helpers/objects.js';
import { motoClients, newBucket, newKmsKey } from '../../support/aws.js';
import { hintsOfObject } from '../../support/hints.js';
import { type S3Proxy, startS3Proxy } from '../../support/s3-proxy.js';
import { eventV2, lambdaContext } from '../../unit/reencrypt/support/events.js';
import { motoHandler, parsedResults, readerClient } from './support.js';

const direct = motoClients();
const reader = readerClient();
let proxy: S3Proxy;
let viaProxy: ReturnType<typeof motoClients>;
let target: string;
let other: string;
const ctx = lambdaContext();

beforeAll(async () => {
  proxy = await startS3Proxy({ target: inject('motoEndpoint') });
  viaProxy = motoClients(proxy.endpoint);
  [target, other] = await Promise.all([
    newKmsKey(direct.kms, 'preflight target'),
    newKmsKey(direct.kms, 'preflight other'),
  ]);
});
afterAll(async () => {
  await proxy.stop();
});
beforeEach(() => proxy.reset());

/** A bucket as S3 creates it since 2023: ACLs disabled. */
const bucketOf = (prefix: string, extra: Parameters<typeof newBucket>[1] = {}) =>
  newBucket(direct.s3, { prefix, extra: { ObjectOwnership: 'BucketOwnerEnforced' }, ...extra });

const put = (bucket: string, key: string, body: string, attributes: Partial<PutObjectCommandInput> = {}) =>
  direct.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...attributes }));

/** Objects of every kind the copy route meets in a bucket with ACLs disabled and no website. */
const SHAPES: readonly { key: string; attributes: Partial<PutObjectCommandInput> }[] = [
  { key: 'plain/unencrypted.txt', attributes: {} },
  { key: 'plain/sse-s3.txt', attributes: { ServerSideEncryption: 'AES256' } },
  {
    key: 'headers/all of them+é.txt',
    attributes: {
      ContentType: 'text/csv; charset=utf-8',
      ContentEncoding: 'identity',
      ContentDisposition: 'attachment; filename="x.csv"',
      ContentLanguage: 'en-GB',
      CacheControl: 'max-age=60',
      Expires: new Date('2031-01-01T00:00:00Z'),
      Metadata: { owner: 'team-a', 'x-trace': '42' },
      Tagging: 'classification=internal&team=a',
    },
  },
  { key: 'class/standard-ia.bin', attributes: { StorageClass: 'STANDARD_IA' } },
  { key: 'class/glacier-ir.bin', attributes: { StorageClass: 'GLACIER_IR' } },
  { key: 'checksum/sha256.bin', attributes: { ChecksumAlgorithm: 'SHA256' } },
  { key: 'checksum/crc32.bin', attributes: { ChecksumAlgorithm: 'CRC32' } },
];

async function seedShapes(bucket: string): Promise<Map<string, ObjectFingerprint>> {
  await Promise.all(SHAPES.map((s) => put(bucket, s.key, `body of ${s.key}`, s.attributes)));
  // Under some key with Bucket Key off: not compliant whatever the key is.
  await put(bucket, 'kms/other-key.bin', 'kms body', {
    ServerSideEncryption: 'aws:kms',
    SSEKMSKeyId: other,
    BucketKeyEnabled: false,
  });
  const keys = [...SHAPES.map((s) => s.key), 'kms/other-key.bin'];
  return new Map(
    await Promise.all(keys.map(async (k) => [k, await fingerprint(reader, bucket, k)] as const)),
  );
}

describe('preflight: inventory through the local pipeline', () => {
  it('copies every object with one request and keeps every attribute a HEAD would have carried', async () => {
    // Prepare: an inventory of the bucket as S3 would deliver it (lock and checksum fields listed)
    const [data, work] = await Promise.all([bucketOf('pf-data'), bucketOf('pf-work')]);
    const before = await seedShapes(data);
    const inv = await generateInventory(direct.s3, { sourceBucket: data, destinationBucket: work });
    proxy.reset();
    // Act
    const result = await runLocalPipeline(
      { s3: viaProxy.s3, kms: viaProxy.kms },
      {
        source: { kind: 'inventory', uri: `s3://${work}/${inv.ref.key}` },
        targetKey: target,
        region: 'us-east-1',
        updateRoute: 'disabled',
        preflight: 'inventory',
        reports: { bucket: work },
        manifests: { bucket: work },
      },
    );
    // Assess: one CopyObject per object and no HEAD of a data object; the bucket questions are asked once
    expect(result.totals.failed).toBe(0);
    expect(result.totals.routes.copy.objects).toBe(before.size);
    const ops = proxy.counts().byOperation;
    expect(ops.CopyObject).toBe(before.size);
    const onData = proxy.log().filter((e) => e.bucket === data);
    expect(onData.filter((e) => e.operation === 'HeadObject')).toEqual([]);
    expect(onData.filter((e) => e.operation === 'CopyObject')).toHaveLength(before.size);
    expect(ops.GetBucketWebsite).toBe(1);
    expect(ops.GetBucketOwnershipControls).toBe(1);
    for (const [key, was] of before) {
      const now = await fingerprint(reader, data, key);
      expect(now.encryption, key).toEqual({ algorithm: 'aws:kms', kmsKeyId: target, bucketKey: true });
      expect(diffFingerprints(was, now), key).toEqual([]);
    }
  });
});

describe('preflight: inventory in the re-encrypt handler', () => {
  const hintsFor = async (
    bucket: string,
    key: string,
    over: Partial<TaskHints> = {},
  ): Promise<TaskHints> => ({
    ...(await hintsOfObject(direct.s3, bucket, key)),
    ...over,
  });
  const hinted = (bucket: string, hints: readonly TaskHints[], preflight = 'inventory') =>
    eventV2(
      hints.map((h) => ({ bucket, key: '', rawKey: encodeHintedKey(h)! })),
      { targetKeyArn: target, hints: '1', preflight },
    );
  const sha = async (s3: S3Client, bucket: string, key: string) =>
    createHash('sha256')
      .update(
        (await (
          await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
        ).Body?.transformToByteArray()) ?? new Uint8Array(),
      )
      .digest('hex');

  it('looks again with a HEAD when the object changed since the inventory, and keeps the new bytes', async () => {
    // Prepare: hints from the first write, then the object is overwritten with new metadata
    const bucket = await bucketOf('pf');
    await put(bucket, 'k', 'old bytes');
    const hints = await hintsFor(bucket, 'k');
    await put(bucket, 'k', 'new bytes', { Metadata: { generation: '2' }, ContentType: 'text/x-new' });
    const { handler } = motoHandler(viaProxy.s3, target);
    proxy.reset();
    // Act
    const r = await handler(hinted(bucket, [hints]), ctx);
    // Assess: the stale copy was refused (412), the HEAD saw the new object, the copy kept it
    expect(parsedResults(r)[0]).toMatchObject({ code: 'Succeeded', result: { route: 'copy' } });
    expect(proxy.counts().byOperation).toMatchObject({ CopyObject: 2, HeadObject: 1 });
    const now = await fingerprint(reader, bucket, 'k');
    expect(now.encryption.kmsKeyId).toBe(target);
    expect(now.metadata).toEqual({ generation: '2' });
    expect(now.contentType).toBe('text/x-new');
    expect(await sha(reader, bucket, 'k')).toBe(createHash('sha256').update('new bytes').digest('hex'));
  });

  it('HEADs every object in a bucket that serves a website, so redirects are carried', async () => {
    // Prepare
    const bucket = await bucketOf('pf');
    await direct.s3.send(
      new PutBucketWebsiteCommand({
        Bucket: bucket,
        WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } },
      }),
    );
    await put(bucket, 'old-page', '', { WebsiteRedirectLocation: '/new-page' });
    await put(bucket, 'plain', 'x');
    const hints = await Promise.all([hintsFor(bucket, 'old-page'), hintsFor(bucket, 'plain')]);
    const { handler } = motoHandler(viaProxy.s3, target, { taskConcurrency: 1 });
    proxy.reset();
    // Act
    const r = await handler(hinted(bucket, hints), ctx);
    // Assess
    expect(parsedResults(r).map((x) => x.code)).toEqual(['Succeeded', 'Succeeded']);
    expect(proxy.counts().byOperation).toMatchObject({ GetBucketWebsite: 1, HeadObject: 2, CopyObject: 2 });
    expect((await fingerprint(reader, bucket, 'old-page')).websiteRedirectLocation).toBe('/new-page');
  });

  it('copies without ever reading a redirect in a bucket that serves no website (the documented trade-off)', async () => {
    // Prepare
    const bucket = await bucketOf('pf');
    await put(bucket, 'dormant', '', { WebsiteRedirectLocation: '/elsewhere' });
    const hints = await hintsFor(bucket, 'dormant');
    const recording = motoClients(proxy.endpoint).s3;
    const copies: Record<string, unknown>[] = [];
    recording.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'CopyObjectCommand') copies.push(args.input as Record<string, unknown>);
        return next(args);
      },
      { step: 'initialize', name: 'recordCopies' },
    );
    const { handler } = motoHandler(recording, target);
    proxy.reset();
    // Act
    const r = await handler(hinted(bucket, [hints]), ctx);
    // Assess: nothing read the redirect, so the copy could not resend it. S3 then drops it (aws-facts
    // §5.2); moto keeps it (reencrypt/moto-gaps.test.ts), so the loss itself cannot be shown here.
    expect(parsedResults(r)[0]?.code).toBe('Succeeded');
    expect(proxy.counts().byOperation.HeadObject ?? 0).toBe(0);
    expect(copies).toHaveLength(1);
    expect(copies[0]).not.toHaveProperty('WebsiteRedirectLocation');
  });

  it('keeps the redirect in the same case with the default preflight (head)', async () => {
    // Prepare
    const bucket = await bucketOf('pf');
    await put(bucket, 'dormant', '', { WebsiteRedirectLocation: '/elsewhere' });
    const hints = await hintsFor(bucket, 'dormant');
    const { handler } = motoHandler(viaProxy.s3, target);
    // Act
    const r = await handler(hinted(bucket, [hints], 'head'), ctx);
    // Assess
    expect(parsedResults(r)[0]?.code).toBe('Succeeded');
    expect((await fingerprint(reader, bucket, 'dormant')).websiteRedirectLocation).toBe('/elsewhere');
  });

  it.each<[string, Partial<TaskHints>]>([
    ['the inventory does not list the Object Lock fields', { locked: undefined }],
    ['the inventory does not list the checksum field', { checksumAlgorithm: undefined }],
    ['the checksum algorithm is one S3 does not have', { checksumAlgorithm: 'MD5' }],
    ['the hinted version is not the current one', { isLatest: false }],
    ['the object is in an archive storage class', { storageClass: 'GLACIER' }],
    ['the size is above the multipart threshold', { size: 10 * 1024 ** 3 }],
    ['the ETag is not known', { etag: undefined }],
  ])('HEADs first when %s', async (_name, over) => {
    // Prepare
    const bucket = await bucketOf('pf');
    await put(bucket, 'k', 'bytes');
    const hints = { ...(await hintsFor(bucket, 'k')), ...over };
    const { handler } = motoHandler(viaProxy.s3, target);
    proxy.reset();
    // Act
    const r = await handler(hinted(bucket, [hints]), ctx);
    // Assess
    expect(parsedResults(r)[0]?.code).toBe('Succeeded');
    expect(proxy.counts().byOperation.HeadObject).toBeGreaterThanOrEqual(1);
    expect((await fingerprint(reader, bucket, 'k')).encryption.kmsKeyId).toBe(target);
  });

  it('HEADs first in a bucket that still uses ACLs, so grants are carried', async () => {
    // Prepare
    const bucket = await newBucket(direct.s3, { extra: { ObjectOwnership: 'ObjectWriter' } });
    await put(bucket, 'k', 'bytes', { ACL: 'public-read' });
    const hints = await hintsFor(bucket, 'k');
    const { handler } = motoHandler(viaProxy.s3, target);
    proxy.reset();
    // Act
    const r = await handler(hinted(bucket, [hints]), ctx);
    // Assess
    expect(parsedResults(r)[0]?.code).toBe('Succeeded');
    expect(proxy.counts().byOperation.HeadObject).toBe(1);
    const grants = (await fingerprint(reader, bucket, 'k', { grants: true })).grants ?? [];
    expect(grants.some((g) => g.includes('AllUsers'))).toBe(true);
  });
});
