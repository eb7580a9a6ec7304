/**
 * The handler over real HTTP through the shared test proxy in front of moto (test/support/s3-proxy.ts).
 * The proxy supplies what moto lacks: S3's copy preconditions (moto ignores them), an endpoint that
 * answers UpdateObjectEncryption with 501 or emulates it, and throttling / 5xx / connection faults.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { motoClients, newBucket, newKmsKey } from '../../support/aws.js';
import { type S3Proxy, startS3Proxy } from '../../support/s3-proxy.js';
import { eventV2, lambdaContext } from '../../unit/reencrypt/support/events.js';
import { motoHandler, parsedResults } from './support.js';

const direct = motoClients();
let proxy: S3Proxy;
let viaProxy: S3Client;
let target: string;
const ctx = lambdaContext();

beforeAll(async () => {
  proxy = await startS3Proxy({ target: inject('motoEndpoint') });
  viaProxy = motoClients(proxy.endpoint).s3;
  target = await newKmsKey(direct.kms, 'proxy target');
});
afterAll(async () => {
  await proxy.stop();
});
beforeEach(() => {
  proxy.reset();
});

const body = async (bucket: string, key: string) =>
  (await direct.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString();
const head = (bucket: string, key: string) =>
  direct.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
const put = (bucket: string, key: string, text: string, sse?: 'AES256') =>
  direct.s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: text,
      ...(sse ? { ServerSideEncryption: sse } : {}),
    }),
  );

describe('UpdateObjectEncryption at an endpoint (proxy)', () => {
  it('falls back to copy on 501 NotImplemented and stops asking for the rest of the container', async () => {
    // Prepare: the update route explicitly allowed on this custom endpoint; the proxy answers 501
    const bucket = await newBucket(direct.s3);
    await Promise.all(['a', 'b', 'c'].map((k) => put(bucket, k, `text ${k}`, 'AES256')));
    const { handler, metrics } = motoHandler(viaProxy, target, {
      updateRoute: 'enabled',
      taskConcurrency: 1,
    });
    // Act
    const first = await handler(eventV2([{ bucket, key: 'a' }], { targetKeyArn: target }), ctx);
    const rest = await handler(
      eventV2(
        [
          { bucket, key: 'b' },
          { bucket, key: 'c' },
        ],
        { targetKeyArn: target },
      ),
      ctx,
    );
    // Assess
    expect(proxy.counts().byOperation.UpdateObjectEncryption).toBe(1);
    expect(parsedResults(first)[0]).toMatchObject({
      code: 'Succeeded',
      result: { route: 'copy', fallback: 'update-unsupported' },
    });
    expect(parsedResults(rest).map((r) => r.result.route)).toEqual(['copy', 'copy']);
    expect(metrics.sum('UpdateFallbacks')).toBe(1);
    for (const k of ['a', 'b', 'c']) {
      expect((await head(bucket, k)).SSEKMSKeyId).toBe(target);
      expect(await body(bucket, k)).toBe(`text ${k}`);
    }
  });

  it('re-encrypts through the update route where the endpoint implements it', async () => {
    // Prepare
    proxy.setUpdateObjectEncryption('emulate');
    const bucket = await newBucket(direct.s3);
    await put(bucket, 'k', 'updated in place', 'AES256');
    const before = await head(bucket, 'k');
    const { handler } = motoHandler(viaProxy, target, { updateRoute: 'enabled' });
    // Act
    const r = await handler(eventV2([{ bucket, key: 'k' }], { targetKeyArn: target }), ctx);
    // Assess
    expect(parsedResults(r)[0]).toMatchObject({
      code: 'Succeeded',
      result: { route: 'update', source: 'AES256' },
    });
    expect(proxy.counts().byOperation.CopyObject ?? 0).toBe(0);
    const after = await head(bucket, 'k');
    expect(after).toMatchObject({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: target,
      BucketKeyEnabled: true,
      ETag: before.ETag,
    });
  });
});

describe('copy preconditions (enforced by the proxy; moto ignores them)', () => {
  /** A client whose CopyObject requests overwrite the object first, as a concurrent writer would. */
  function racingClient(bucket: string, key: string, times: number): S3Client {
    const client = motoClients(proxy.endpoint).s3;
    let raced = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'CopyObjectCommand' && raced < times) {
          raced++;
          await put(bucket, key, `newer ${raced}`);
        }
        return next(args);
      },
      { step: 'initialize', name: 'racingWriter' },
    );
    return client;
  }

  it('never copies stale bytes over a newer object: it looks again and re-encrypts the newer one', async () => {
    // Prepare
    const bucket = await newBucket(direct.s3);
    await put(bucket, 'k', 'original');
    const { handler } = motoHandler(racingClient(bucket, 'k', 1), target);
    // Act
    const r = await handler(eventV2([{ bucket, key: 'k' }], { targetKeyArn: target }), ctx);
    // Assess
    expect(parsedResults(r)[0]).toMatchObject({ code: 'Succeeded', result: { route: 'copy' } });
    expect(proxy.stats().conditions.byOperation.CopyObject).toEqual({ checked: 2, failed: 1 });
    expect(await body(bucket, 'k')).toBe('newer 1');
    expect((await head(bucket, 'k')).SSEKMSKeyId).toBe(target);
  });

  it('answers TemporaryFailure when the object keeps changing, and leaves the newest bytes alone', async () => {
    const bucket = await newBucket(direct.s3);
    await put(bucket, 'k', 'original');
    const { handler } = motoHandler(racingClient(bucket, 'k', 5), target);
    const r = await handler(eventV2([{ bucket, key: 'k' }], { targetKeyArn: target }), ctx);
    expect(parsedResults(r)[0]).toMatchObject({
      code: 'TemporaryFailure',
      result: { cause: 'precondition-failed' },
    });
    expect(proxy.stats().conditions.byOperation.CopyObject).toEqual({ checked: 2, failed: 2 });
    expect(await body(bucket, 'k')).toBe('newer 2');
    expect((await head(bucket, 'k')).ServerSideEncryption).toBeUndefined();
  });
});

describe('faults on the wire (proxy)', () => {
  it.each([
    ['slowDown', 'CopyObject', 'TemporaryFailure', 'throttled'],
    ['internalError', 'CopyObject', 'TemporaryFailure', 'server-error'],
    ['conflict', 'CopyObject', 'TemporaryFailure', 'precondition-failed'],
    ['connectionReset', 'HeadObject', 'TemporaryFailure', 'network'],
  ] as const)(
    'answers %s on %s with %s (%s), leaving the object as it was',
    async (kind, operation, code, cause) => {
      // Prepare: every matching request fails, so the SDK's own retries run out too
      const bucket = await newBucket(direct.s3);
      await put(bucket, 'k', 'unchanged');
      proxy.setFaults([{ kind, rate: 1, operations: [operation] }]);
      const { handler } = motoHandler(viaProxy, target);
      // Act
      const r = await handler(eventV2([{ bucket, key: 'k' }], { targetKeyArn: target }), ctx);
      // Assess
      expect(parsedResults(r)[0]).toMatchObject({ code, result: { cause } });
      proxy.clearFaults();
      expect((await head(bucket, 'k')).ServerSideEncryption).toBeUndefined();
      expect(await body(bucket, 'k')).toBe('unchanged');
    },
  );

  it('classifies KMS throttling surfaced by S3 as retryable', async () => {
    const bucket = await newBucket(direct.s3);
    await put(bucket, 'k', 'x');
    proxy.setKmsThrottlingOnS3('kmsThrottlingException');
    proxy.setFaults([{ kind: 'kmsThrottling', rate: 1, operations: ['CopyObject'] }]);
    const r = await motoHandler(viaProxy, target).handler(
      eventV2([{ bucket, key: 'k' }], { targetKeyArn: target }),
      ctx,
    );
    expect(parsedResults(r)[0]).toMatchObject({
      code: 'TemporaryFailure',
      result: { cause: 'kms-throttled' },
    });
  });
});
