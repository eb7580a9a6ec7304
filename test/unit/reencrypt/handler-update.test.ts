/**
 * The update route (UpdateObjectEncryption) against a client mock: moto does not implement it and
 * would overwrite the object with the request body (testing.md), so the exact request is pinned here.
 */
import { CopyObjectCommand, HeadObjectCommand, UpdateObjectEncryptionCommand } from '@aws-sdk/client-s3';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { encodeHintedKey } from '../../../src/batch/task-hints.js';
import { s3Error } from './support/errors.js';
import { eventV2, lambdaContext, TARGET_KEY_ARN } from './support/events.js';
import { aclsDisabled, handlerUnderTest, heads, only, s3mock } from './support/handler.js';

const args = { targetKeyArn: TARGET_KEY_ARN };
const ctx = lambdaContext();

beforeEach(() => {
  s3mock.reset();
  aclsDisabled();
  s3mock.on(CopyObjectCommand).resolves({ CopyObjectResult: { ETag: '"new"' } });
});

describe('update route', () => {
  it('re-encrypts an SSE-S3 object with exactly one UpdateObjectEncryption and no copy', async () => {
    // Prepare
    s3mock.on(HeadObjectCommand).resolves(heads.sseS3);
    s3mock.on(UpdateObjectEncryptionCommand).resolves({});
    const { handler } = handlerUnderTest();
    // Act
    const r = await handler(eventV2([{ bucket: 'data', key: 'a b.txt' }], args), ctx);
    // Assess
    expect(s3mock).toHaveReceivedCommandTimes(UpdateObjectEncryptionCommand, 1);
    expect(s3mock).toHaveReceivedCommandWith(UpdateObjectEncryptionCommand, {
      Bucket: 'data',
      Key: 'a b.txt',
      ObjectEncryption: { SSEKMS: { KMSKeyArn: TARGET_KEY_ARN, BucketKeyEnabled: true } },
    });
    expect(s3mock.commandCalls(UpdateObjectEncryptionCommand)[0]!.args[0].input).not.toHaveProperty(
      'VersionId',
    );
    expect(s3mock).not.toHaveReceivedCommand(CopyObjectCommand);
    expect(only(r)).toEqual({
      code: 'Succeeded',
      result: { route: 'update', bytes: 10, source: 'AES256', ms: 0 },
    });
  });

  it('updates the exact noncurrent version the task names', async () => {
    // Prepare
    // aws-sdk-client-mock: the general stub first, the more specific one after it.
    s3mock.on(HeadObjectCommand).resolves({ ...heads.sseS3, VersionId: 'newer' });
    s3mock.on(HeadObjectCommand, { VersionId: 'old' }).resolves({ ...heads.kmsOther, VersionId: 'old' });
    s3mock.on(UpdateObjectEncryptionCommand).resolves({});
    const { handler } = handlerUnderTest();
    // Act
    const r = await handler(
      eventV2([{ bucket: 'data', key: 'k', versionId: 'old' }], { ...args, bucketKey: 'false' }),
      ctx,
    );
    // Assess
    expect(s3mock).toHaveReceivedCommandWith(UpdateObjectEncryptionCommand, {
      Bucket: 'data',
      Key: 'k',
      VersionId: 'old',
      ObjectEncryption: { SSEKMS: { KMSKeyArn: TARGET_KEY_ARN, BucketKeyEnabled: false } },
    });
    expect(only(r).result).toMatchObject({ route: 'update', source: 'aws:kms' });
  });

  it.each([
    ['NotImplemented', 501],
    ['MethodNotAllowed', 405],
  ])(
    'falls back to copy when the endpoint answers %s, and remembers it for the container',
    async (code, status) => {
      // Prepare
      s3mock.on(HeadObjectCommand).resolves(heads.sseS3);
      s3mock.on(UpdateObjectEncryptionCommand).rejects(s3Error(code, status));
      const { handler, metrics } = handlerUnderTest();
      // Act
      const first = await handler(eventV2([{ bucket: 'data', key: 'one' }], args), ctx);
      const second = await handler(eventV2([{ bucket: 'other', key: 'two' }], args), ctx);
      // Assess
      expect(s3mock).toHaveReceivedCommandTimes(UpdateObjectEncryptionCommand, 1);
      expect(s3mock).toHaveReceivedCommandTimes(CopyObjectCommand, 2);
      expect(only(first)).toMatchObject({
        code: 'Succeeded',
        result: { route: 'copy', fallback: 'update-unsupported' },
      });
      expect(only(second)).toMatchObject({ code: 'Succeeded', result: { route: 'copy' } });
      expect(metrics.sum('UpdateFallbacks')).toBe(1);
    },
  );

  it('asks again in a new container', async () => {
    // Prepare
    s3mock.on(HeadObjectCommand).resolves(heads.sseS3);
    s3mock.on(UpdateObjectEncryptionCommand).rejects(s3Error('NotImplemented', 501));
    // Act
    await handlerUnderTest().handler(eventV2([{ bucket: 'data', key: 'one' }], args), ctx);
    await handlerUnderTest().handler(eventV2([{ bucket: 'data', key: 'two' }], args), ctx);
    // Assess
    expect(s3mock).toHaveReceivedCommandTimes(UpdateObjectEncryptionCommand, 2);
  });

  it('copies an object whose update is refused, without giving up the update route for others', async () => {
    // Prepare: AWS refuses objects under Object Lock or a key of another account with AccessDenied
    s3mock.on(HeadObjectCommand).resolves(heads.sseS3);
    s3mock
      .on(UpdateObjectEncryptionCommand)
      .rejectsOnce(s3Error('AccessDenied', 403, 'Access Denied'))
      .resolves({});
    const { handler } = handlerUnderTest();
    // Act
    const first = await handler(eventV2([{ bucket: 'data', key: 'one' }], args), ctx);
    const second = await handler(eventV2([{ bucket: 'data', key: 'two' }], args), ctx);
    // Assess
    expect(only(first)).toMatchObject({
      code: 'Succeeded',
      result: { route: 'copy', fallback: 'update-refused' },
    });
    expect(only(second)).toMatchObject({ code: 'Succeeded', result: { route: 'update' } });
    expect(s3mock).toHaveReceivedCommandTimes(CopyObjectCommand, 1);
  });

  it('reports a refused noncurrent version as blocked with the refusal’s cause (it cannot be copied)', async () => {
    // Prepare
    s3mock.on(HeadObjectCommand).resolves({ ...heads.sseS3, VersionId: 'newer' });
    s3mock.on(HeadObjectCommand, { VersionId: 'old' }).resolves({ ...heads.sseS3, VersionId: 'old' });
    s3mock.on(UpdateObjectEncryptionCommand).rejects(s3Error('AccessDenied', 403, 'object is locked'));
    const { handler } = handlerUnderTest();
    // Act
    const r = await handler(eventV2([{ bucket: 'data', key: 'k', versionId: 'old' }], args), ctx);
    // Assess
    expect(only(r)).toMatchObject({
      code: 'PermanentFailure',
      result: { route: 'blocked', cause: 'access-denied', fallback: 'update-refused' },
    });
    expect(only(r).result.reason).toContain('object is locked');
    expect(s3mock).not.toHaveReceivedCommand(CopyObjectCommand);
  });

  it('fails a strategy=update task whose update is refused, naming the cause', async () => {
    s3mock.on(HeadObjectCommand).resolves(heads.sseS3);
    s3mock.on(UpdateObjectEncryptionCommand).rejects(s3Error('InvalidRequest', 400, 'not supported'));
    const { handler } = handlerUnderTest();
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], { ...args, strategy: 'update' }), ctx);
    expect(only(r)).toMatchObject({
      code: 'PermanentFailure',
      result: { route: 'blocked', cause: 'invalid-request' },
    });
    expect(s3mock).not.toHaveReceivedCommand(CopyObjectCommand);
  });

  it('never sends UpdateObjectEncryption when the route is off (custom endpoints such as moto)', async () => {
    s3mock.on(HeadObjectCommand).resolves(heads.sseS3);
    const { handler } = handlerUnderTest({ updateRoute: 'disabled' });
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], args), ctx);
    expect(s3mock).not.toHaveReceivedCommand(UpdateObjectEncryptionCommand);
    expect(only(r)).toMatchObject({ code: 'Succeeded', result: { route: 'copy' } });
  });

  it('does not update with strategy=copy', async () => {
    s3mock.on(HeadObjectCommand).resolves(heads.sseS3);
    const { handler } = handlerUnderTest();
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], { ...args, strategy: 'copy' }), ctx);
    expect(s3mock).not.toHaveReceivedCommand(UpdateObjectEncryptionCommand);
    expect(only(r).result.route).toBe('copy');
  });
});

describe('hinted tasks (inventory facts in the key field)', () => {
  const hinted = (h: Parameters<typeof encodeHintedKey>[0]) =>
    eventV2([{ bucket: 'data', key: '', rawKey: encodeHintedKey(h)! }], { ...args, hints: '1' });

  it('updates an SSE-S3 object with one request and no HEAD', async () => {
    // Prepare
    s3mock.on(UpdateObjectEncryptionCommand).resolves({});
    const { handler } = handlerUnderTest();
    // Act
    const r = await handler(hinted({ key: 'dir/x y.txt', encryption: 'SSE-S3', size: 77 }), ctx);
    // Assess
    expect(s3mock.calls()).toHaveLength(1);
    expect(s3mock).toHaveReceivedCommandWith(UpdateObjectEncryptionCommand, {
      Bucket: 'data',
      Key: 'dir/x y.txt',
    });
    expect(only(r)).toEqual({
      code: 'Succeeded',
      result: { route: 'update', bytes: 77, source: 'AES256', ms: 0 },
    });
  });

  it('blocks an SSE-C object without any request', async () => {
    const { handler } = handlerUnderTest();
    const r = await handler(hinted({ key: 'k', encryption: 'SSE-C', size: 5 }), ctx);
    expect(s3mock.calls()).toHaveLength(0);
    expect(only(r)).toMatchObject({ code: 'PermanentFailure', result: { route: 'blocked', cause: 'sse-c' } });
  });

  it('looks first when the hint cannot settle compliance (SSE-KMS, Bucket Key as wanted)', async () => {
    s3mock.on(HeadObjectCommand).resolves(heads.compliant);
    const { handler } = handlerUnderTest();
    const r = await handler(hinted({ key: 'k', encryption: 'SSE-KMS', bucketKey: 'ENABLED' }), ctx);
    expect(s3mock).toHaveReceivedCommandTimes(HeadObjectCommand, 1);
    expect(s3mock).not.toHaveReceivedCommand(UpdateObjectEncryptionCommand);
    expect(only(r).result.route).toBe('skip');
  });

  it('looks first for a locked object, and copies it', async () => {
    s3mock.on(HeadObjectCommand).resolves({ ...heads.sseS3, ObjectLockLegalHoldStatus: 'ON' });
    const { handler } = handlerUnderTest();
    const r = await handler(hinted({ key: 'k', encryption: 'SSE-S3', locked: true }), ctx);
    expect(s3mock).not.toHaveReceivedCommand(UpdateObjectEncryptionCommand);
    expect(only(r).result.route).toBe('copy');
  });

  it('falls back to a look and the copy route when the endpoint lacks the update', async () => {
    s3mock.on(UpdateObjectEncryptionCommand).rejects(s3Error('NotImplemented', 501));
    s3mock.on(HeadObjectCommand).resolves(heads.sseS3);
    const { handler } = handlerUnderTest();
    const r = await handler(hinted({ key: 'k', encryption: 'SSE-S3' }), ctx);
    expect(only(r)).toMatchObject({
      code: 'Succeeded',
      result: { route: 'copy', fallback: 'update-unsupported' },
    });
  });
});
