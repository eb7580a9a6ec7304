/**
 * Every error the classification table knows, surfaced through the handler. moto cannot produce
 * throttling, 5xx, KMS key-state errors through S3 or SSE-C answers (testing.md), so a client mock
 * answers the copy (or HEAD) with each one and the test checks the Batch result code and cause.
 */
import {
  CopyObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  UpdateObjectEncryptionCommand,
} from '@aws-sdk/client-s3';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { ERROR_TABLE } from '../../../src/reencrypt/classify.js';
import { headError, networkError, s3Error } from './support/errors.js';
import { eventV1, eventV2, lambdaContext, TARGET_KEY_ARN } from './support/events.js';
import { aclsDisabled, handlerUnderTest, heads, only, s3mock } from './support/handler.js';

const args = { targetKeyArn: TARGET_KEY_ARN };
const ctx = lambdaContext();

beforeEach(() => {
  s3mock.reset();
  aclsDisabled();
});

const STATUS: Readonly<Record<string, number>> = {
  SlowDown: 503,
  ServiceUnavailable: 503,
  InternalError: 500,
};
const rows = Object.entries(ERROR_TABLE)
  // Precondition failures are looked at again before they are answered (handler-copy.test.ts).
  .filter(([, c]) => c.cause !== 'precondition-failed')
  .map(([code, c]) => [code, c.retryable ? 'TemporaryFailure' : 'PermanentFailure', c.cause] as const);

describe('errors through the handler', () => {
  it.each(rows)('answers a CopyObject failing with %s as %s (%s)', async (code, resultCode, cause) => {
    // Prepare
    s3mock.on(HeadObjectCommand).resolves(heads.none);
    s3mock.on(CopyObjectCommand).rejects(s3Error(code, STATUS[code] ?? 400, `${code}: details`));
    const { handler, metrics } = handlerUnderTest({ updateRoute: 'disabled' });
    // Act
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], args), ctx);
    // Assess
    expect(only(r)).toMatchObject({
      code: resultCode,
      result: { route: 'copy', cause, source: 'NONE', bytes: 11 },
    });
    expect(only(r).result.reason).toContain(`${code}: details`);
    const metric = resultCode === 'TemporaryFailure' ? 'TaskRetries' : 'TaskFailures';
    expect(metrics.sum(metric, { Cause: cause })).toBe(1);
  });

  it.each([
    ['KMS.DisabledException', 'kms-key-disabled'],
    ['KMS.NotFoundException', 'kms-key-not-found'],
    ['KMS.KMSInvalidStateException', 'kms-invalid-state'],
    ['KMS.ThrottlingException', 'kms-throttled'],
  ])('answers an UpdateObjectEncryption failing with %s by its cause, not by a copy', async (code, cause) => {
    s3mock.on(HeadObjectCommand).resolves(heads.sseS3);
    s3mock.on(UpdateObjectEncryptionCommand).rejects(s3Error(code, 400));
    const { handler } = handlerUnderTest();
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], args), ctx);
    expect(only(r).result).toMatchObject({ route: 'update', cause });
    expect(s3mock).not.toHaveReceivedCommand(CopyObjectCommand);
  });

  it.each([
    [networkError('ECONNRESET'), 'TemporaryFailure', 'network'],
    [networkError('ETIMEDOUT'), 'TemporaryFailure', 'timeout'],
    [new Error('socket hang up'), 'TemporaryFailure', 'network'],
    [
      Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError' }),
      'TemporaryFailure',
      'timeout',
    ],
    [headError(503), 'TemporaryFailure', 'throttled'],
    [headError(500), 'TemporaryFailure', 'server-error'],
    [headError(403), 'PermanentFailure', 'access-denied'],
    [headError(404), 'PermanentFailure', 'not-found'],
  ])('answers a HEAD failing with %s as %s (%s)', async (error, resultCode, cause) => {
    s3mock.on(HeadObjectCommand).rejects(error);
    const { handler } = handlerUnderTest();
    const r = await handler(eventV1([{ bucket: 'data', key: 'k' }]), ctx);
    expect(only(r)).toMatchObject({
      code: resultCode,
      result: { route: 'failed', cause, source: 'unknown' },
    });
  });

  it('blocks an SSE-C object: HEAD answers 400, a one-byte GET names the reason', async () => {
    // Prepare: what S3 answers without the customer key (moto does not model SSE-C)
    s3mock.on(HeadObjectCommand).rejects(headError(400));
    s3mock
      .on(GetObjectCommand)
      .rejects(
        s3Error(
          'InvalidRequest',
          400,
          'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.',
        ),
      );
    const { handler } = handlerUnderTest();
    // Act
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], args), ctx);
    // Assess
    expect(s3mock).toHaveReceivedCommandWith(GetObjectCommand, { Range: 'bytes=0-0' });
    expect(only(r)).toMatchObject({ code: 'PermanentFailure', result: { cause: 'sse-c' } });
    expect(s3mock).not.toHaveReceivedCommand(CopyObjectCommand);
  });

  it('reports another 400 on HEAD as an invalid request, not as SSE-C', async () => {
    s3mock.on(HeadObjectCommand).rejects(headError(400));
    s3mock.on(GetObjectCommand).rejects(s3Error('InvalidArgument', 400, 'Invalid version id specified'));
    const { handler } = handlerUnderTest();
    const r = await handler(eventV2([{ bucket: 'data', key: 'k', versionId: 'bogus' }], args), ctx);
    expect(only(r)).toMatchObject({ code: 'PermanentFailure', result: { cause: 'invalid-request' } });
  });

  it('reports a delete-marker version (HEAD 405) as such', async () => {
    s3mock.on(HeadObjectCommand).rejects(headError(405));
    const { handler } = handlerUnderTest();
    const r = await handler(eventV2([{ bucket: 'data', key: 'k', versionId: 'dm' }], args), ctx);
    expect(only(r)).toMatchObject({ code: 'PermanentFailure', result: { cause: 'delete-marker' } });
  });

  it('blocks DSSE-KMS and SSE-C objects seen by HEAD without writing', async () => {
    s3mock
      .on(HeadObjectCommand, { Key: 'dsse' })
      .resolves({ ...heads.kmsOther, ServerSideEncryption: 'aws:kms:dsse' });
    s3mock.on(HeadObjectCommand, { Key: 'ssec' }).resolves({ ...heads.none, SSECustomerAlgorithm: 'AES256' });
    const { handler, metrics } = handlerUnderTest();
    const r = await handler(
      eventV2(
        [
          { bucket: 'data', key: 'dsse' },
          { bucket: 'data', key: 'ssec' },
        ],
        args,
      ),
      ctx,
    );
    expect(r.results.map((x) => x.resultCode)).toEqual(['PermanentFailure', 'PermanentFailure']);
    expect(r.results.map((x) => JSON.parse(x.resultString).c)).toEqual(['dsse-kms', 'sse-c']);
    expect(metrics.sum('ObjectsProcessed', { Route: 'blocked' })).toBe(2);
    expect(s3mock).not.toHaveReceivedCommand(CopyObjectCommand);
    expect(s3mock).not.toHaveReceivedCommand(UpdateObjectEncryptionCommand);
  });
});
