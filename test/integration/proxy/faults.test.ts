import { GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { makeKmsClient, makeS3Client } from '../../../src/aws/clients.js';
import { motoClients, motoSettings, newBucket, newKmsKey } from '../../support/aws.js';
import { type FaultRule, type S3Proxy, startS3Proxy } from '../../support/s3-proxy.js';

const exists = async (s3: S3Client, Bucket: string, Key: string): Promise<boolean> =>
  s3.send(new HeadObjectCommand({ Bucket, Key })).then(
    () => true,
    (e: { name?: string }) => {
      if (e.name === 'NotFound') return false;
      throw e;
    },
  );

describe('s3-proxy fault injection', () => {
  const direct = motoClients(); // straight to moto: sees what really happened
  let proxy: S3Proxy;
  let s3: S3Client; // through the proxy, 3 attempts (the project default)
  let s3Once: S3Client; // through the proxy, no SDK retry: every fault surfaces
  let kmsOnce: KMSClient;
  let kms: KMSClient;
  let bucket: string;

  beforeAll(async () => {
    proxy = await startS3Proxy({ target: inject('motoEndpoint') });
    const settings = motoSettings(proxy.endpoint);
    s3 = makeS3Client(settings);
    kms = makeKmsClient(settings);
    s3Once = makeS3Client({ ...settings, maxAttempts: 1 });
    kmsOnce = makeKmsClient({ ...settings, maxAttempts: 1 });
    bucket = await newBucket(direct.s3);
    await direct.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'present', Body: 'present bytes' }));
  });
  afterAll(async () => {
    await proxy.stop();
  });
  beforeEach(() => proxy.reset());

  /** Sends `n` HEADs one after the other; returns the indexes that failed with a 500. */
  async function failingHeads(n: number): Promise<number[]> {
    const failed: number[] = [];
    for (let i = 0; i < n; i++) {
      const status = await s3Once.send(new HeadObjectCommand({ Bucket: bucket, Key: 'present' })).then(
        () => 200,
        (e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode,
      );
      if (status === 500) failed.push(i);
      else expect(status).toBe(200);
    }
    return failed;
  }

  it('injects faults at the configured rate, the same ones again for the same seed', async () => {
    // Prepare
    const plan = {
      seed: 42,
      rules: [{ kind: 'internalError', rate: 0.25, operations: ['HeadObject'] }] as FaultRule[],
    };
    proxy.setFaults(plan);
    // Act
    const first = await failingHeads(80);
    const counted = proxy.faultCounts();
    proxy.setFaults(plan);
    const second = await failingHeads(80);
    proxy.setFaults({ ...plan, seed: 43 });
    const otherSeed = await failingHeads(80);
    // Assess
    expect(counted).toMatchObject({
      total: first.length,
      byOperation: { HeadObject: { internalError: first.length } },
    });
    expect(first.length).toBeGreaterThan(6); // 80 x 0.25 = 20, sd 3.9
    expect(first.length).toBeLessThan(34);
    expect(second).toEqual(first);
    expect(otherSeed).not.toEqual(first);
    expect(proxy.counts().byOperation.HeadObject).toBe(240);
  });

  it('injects the same number of faults whatever the interleaving of concurrent requests', async () => {
    // Prepare
    const rules: FaultRule[] = [{ kind: 'internalError', rate: 0.3, operations: ['HeadObject'] }];
    proxy.setFaults({ seed: 9, rules });
    const sequential = (await failingHeads(40)).length;
    expect(sequential).toBeGreaterThan(0);
    proxy.setFaults({ seed: 9, rules });
    // Act
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, () =>
        s3Once.send(new HeadObjectCommand({ Bucket: bucket, Key: 'present' })),
      ),
    );
    // Assess
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(sequential);
  });

  it('leaves operations outside the rule alone', async () => {
    // Prepare
    proxy.setFaults([{ kind: 'internalError', rate: 1, operations: ['PutObject'] }]);
    // Act
    const got = await s3Once.send(new GetObjectCommand({ Bucket: bucket, Key: 'present' }));
    // Assess
    expect(await got.Body?.transformToString()).toBe('present bytes');
    expect(proxy.faultCounts().total).toBe(0);
  });

  it.each([
    { kind: 'slowDown', status: 503, name: 'SlowDown' },
    { kind: 'internalError', status: 500, name: 'InternalError' },
    { kind: 'kmsThrottling', status: 503, name: 'SlowDown' },
    { kind: 'conflict', status: 409, name: 'ConditionalRequestConflict' },
  ] as const)(
    'answers $kind with $status $name before forwarding, so the write never happens',
    async ({ kind, status, name }) => {
      // Prepare
      proxy.setFaults([{ kind, rate: 1, operations: ['PutObject'] }]);
      const key = `never-${kind}`;
      // Act
      const act = s3Once.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));
      // Assess
      await expect(act).rejects.toMatchObject({ name, $metadata: { httpStatusCode: status } });
      expect(await exists(direct.s3, bucket, key)).toBe(false);
      expect(proxy.faultCounts().byKind[kind]).toBe(1);
    },
  );

  it('refuses a large upload that waits for 100-continue without taking its body', async () => {
    // Prepare: 3 MiB is above the SDK's Expect: 100-continue threshold.
    proxy.setFaults([{ kind: 'slowDown', rate: 1, operations: ['PutObject'] }]);
    // Act
    const act = s3Once.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'big-refused', Body: Buffer.alloc(3 << 20, 7) }),
    );
    // Assess
    await expect(act).rejects.toMatchObject({ name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
    expect(await exists(direct.s3, bucket, 'big-refused')).toBe(false);
  });

  it('lets the SDK recover from 503 SlowDown by retrying, and counts every attempt', async () => {
    // Prepare: the first two GetObject attempts are throttled.
    proxy.setFaults([{ kind: 'slowDown', rate: 1, maxCount: 2, operations: ['GetObject'] }]);
    // Act
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'present' }));
    // Assess
    expect(await got.Body?.transformToString()).toBe('present bytes');
    expect(got.$metadata.attempts).toBe(3);
    expect(proxy.counts().byOperation.GetObject).toBe(3);
    expect(proxy.faultCounts().byKind.slowDown).toBe(2);
    expect(proxy.log().map((e) => e.status)).toEqual([503, 503, 200]);
  });

  it('surfaces a connection reset as a network error, with nothing written', async () => {
    // Prepare
    proxy.setFaults([{ kind: 'connectionReset', rate: 1, operations: ['PutObject'] }]);
    // Act
    const error = await s3Once
      .send(new PutObjectCommand({ Bucket: bucket, Key: 'reset', Body: 'x' }))
      .catch((e: unknown) => e);
    // Assess: no HTTP status at all, a socket-level error code instead.
    expect(error).toMatchObject({ code: expect.stringMatching(/^(ECONNRESET|EPIPE)$/) });
    expect((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBeUndefined();
    expect(await exists(direct.s3, bucket, 'reset')).toBe(false);
    expect(proxy.log().map((e) => e.status)).toEqual(['reset']);
  });

  it.each([
    { kind: 'connectionReset' as const, expected: { code: expect.stringMatching(/^(ECONNRESET|EPIPE)$/) } },
    {
      kind: 'internalError' as const,
      expected: { name: 'InternalError', $metadata: { httpStatusCode: 500 } },
    },
  ])('applies the write but loses the answer with $kind after forwarding', async ({ kind, expected }) => {
    // Prepare
    proxy.setFaults([{ kind, rate: 1, when: 'after', operations: ['PutObject'] }]);
    const key = `ack-lost-${kind}`;
    // Act
    const error = await s3Once
      .send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'applied' }))
      .catch((e: unknown) => e);
    // Assess
    expect(error).toMatchObject(expected);
    const got = await direct.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(await got.Body?.transformToString()).toBe('applied');
  });

  it('holds a delayed answer back but delivers it intact', async () => {
    // Prepare
    proxy.setFaults([{ kind: 'delay', rate: 1, delayMs: 50, operations: ['GetObject'] }]);
    // Act
    const got = await s3Once.send(new GetObjectCommand({ Bucket: bucket, Key: 'present' }));
    // Assess
    expect(await got.Body?.transformToString()).toBe('present bytes');
    expect(proxy.faultCounts().byKind.delay).toBe(1);
  });

  describe('KMS throttling', () => {
    let keyArn: string;
    beforeAll(async () => {
      keyArn = await newKmsKey(direct.kms);
    });

    it('surfaces as ThrottlingException in the KMS client', async () => {
      // Prepare
      proxy.setFaults([{ kind: 'kmsThrottling', rate: 1, operations: ['kms:GenerateDataKey'] }]);
      // Act
      const act = kmsOnce.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256' }));
      // Assess
      await expect(act).rejects.toMatchObject({
        name: 'ThrottlingException',
        $metadata: { httpStatusCode: 400 },
      });
      expect(proxy.faultCounts().byOperation['kms:GenerateDataKey']).toEqual({ kmsThrottling: 1 });
    });

    it('is retried by the KMS client', async () => {
      // Prepare
      proxy.setFaults([{ kind: 'kmsThrottling', rate: 1, maxCount: 1, operations: 'kms' }]);
      // Act
      const out = await kms.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256' }));
      // Assess
      expect(out.Plaintext).toHaveLength(32);
      expect(proxy.counts().byOperation['kms:GenerateDataKey']).toBe(2);
    });

    it('reaches an S3 client as KMS.ThrottlingException (400) in that style, which the SDK does not retry', async () => {
      // Prepare
      proxy.setKmsThrottlingOnS3('kmsThrottlingException');
      proxy.setFaults([{ kind: 'kmsThrottling', rate: 1, operations: ['PutObject'] }]);
      // Act
      const act = s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'kms-throttled', Body: 'x' }));
      // Assess
      await expect(act).rejects.toMatchObject({
        name: 'KMS.ThrottlingException',
        $metadata: { httpStatusCode: 400, attempts: 1 },
      });
      expect(await exists(direct.s3, bucket, 'kms-throttled')).toBe(false);
    });
  });
});
