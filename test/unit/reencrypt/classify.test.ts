import { describe, expect, it } from 'vitest';
import {
  classifyError,
  ERROR_TABLE,
  isNotImplemented,
  isPreconditionFailure,
} from '../../../src/reencrypt/classify.js';
import { BlockedObjectError, InvalidTaskError, SourceChangedError } from '../../../src/reencrypt/errors.js';
import { headError, networkError, s3Error } from './support/errors.js';

// Every row the brief and aws-facts name, by code (the status is what S3 sends with it).
const BY_CODE: readonly [string, number, string, boolean][] = [
  ['SlowDown', 503, 'throttled', true],
  ['ServiceUnavailable', 503, 'throttled', true],
  ['ThrottlingException', 400, 'throttled', true],
  ['Throttling', 400, 'throttled', true],
  ['RequestLimitExceeded', 400, 'throttled', true],
  ['TooManyRequests', 429, 'throttled', true],
  ['TooManyRequestsException', 429, 'throttled', true],
  ['KMS.ThrottlingException', 400, 'kms-throttled', true],
  ['InternalError', 500, 'server-error', true],
  ['KMS.KMSInternalException', 500, 'server-error', true],
  ['OperationAborted', 409, 'server-error', true],
  ['TimeoutError', 0, 'timeout', true],
  ['RequestTimeout', 400, 'timeout', true],
  ['PreconditionFailed', 412, 'precondition-failed', true],
  ['ConditionalRequestConflict', 409, 'precondition-failed', true],
  ['AccessDenied', 403, 'access-denied', false],
  ['Forbidden', 403, 'access-denied', false],
  ['AllAccessDisabled', 403, 'access-denied', false],
  ['KMS.AccessDeniedException', 400, 'access-denied', false],
  ['KMS.DisabledException', 400, 'kms-key-disabled', false],
  ['KMS.NotFoundException', 400, 'kms-key-not-found', false],
  ['KMS.KMSInvalidStateException', 400, 'kms-invalid-state', false],
  ['KMS.InvalidKeyUsageException', 400, 'kms-invalid-state', false],
  ['ObjectNotInActiveTierError', 403, 'archived-restore-first', false],
  ['InvalidObjectState', 403, 'invalid-object-state', false],
  ['NoSuchKey', 404, 'not-found', false],
  ['NoSuchVersion', 404, 'not-found', false],
  ['NoSuchBucket', 404, 'not-found', false],
  ['NotFound', 404, 'not-found', false],
  ['InvalidRequest', 400, 'invalid-request', false],
  ['InvalidArgument', 400, 'invalid-request', false],
  ['InvalidStorageClass', 400, 'invalid-request', false],
  ['KeyTooLongError', 400, 'invalid-request', false],
  ['MethodNotAllowed', 405, 'invalid-request', false],
  ['NotImplemented', 501, 'invalid-request', false],
];

describe('classifyError', () => {
  it.each(BY_CODE)('classifies %s (HTTP %i) as %s, retryable=%s', (code, status, cause, retryable) => {
    // Act
    const c = classifyError(s3Error(code, status));
    // Assess
    expect(c).toEqual({ cause, retryable });
  });

  it('has a test row for every code in the table', () => {
    const tested = new Set(BY_CODE.map((r) => r[0]));
    expect(Object.keys(ERROR_TABLE).filter((c) => !tested.has(c))).toEqual([]);
  });

  it.each([
    ['ECONNRESET', 'network'],
    ['ECONNREFUSED', 'network'],
    ['EPIPE', 'network'],
    ['EAI_AGAIN', 'network'],
    ['ENOTFOUND', 'network'],
    ['ENETUNREACH', 'network'],
    ['EHOSTUNREACH', 'network'],
    ['ECONNABORTED', 'network'],
    ['ETIMEDOUT', 'timeout'],
    ['ESOCKETTIMEDOUT', 'timeout'],
  ])('classifies the socket error %s as a temporary %s failure', (code, cause) => {
    expect(classifyError(networkError(code))).toEqual({ cause, retryable: true });
  });

  it('prefers the socket code to the SDK’s name for a reset socket (TimeoutError + ECONNRESET)', () => {
    // Prepare: what the SDK throws when the connection is reset (seen through the test proxy)
    const reset = Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' });
    // Assess
    expect(classifyError(reset)).toEqual({ cause: 'network', retryable: true });
  });

  it('classifies "socket hang up" without a code as a temporary network failure', () => {
    expect(classifyError(new Error('socket hang up'))).toEqual({ cause: 'network', retryable: true });
  });

  // HEAD answers carry no body: the SDK knows only the status (checked against the real deserializer).
  it.each([
    [500, 'server-error', true],
    [502, 'server-error', true],
    [503, 'throttled', true],
    [504, 'server-error', true],
    [429, 'throttled', true],
    [412, 'precondition-failed', true],
    [409, 'precondition-failed', true],
    [408, 'timeout', true],
    [404, 'not-found', false],
    [403, 'access-denied', false],
    [400, 'invalid-request', false],
  ])('classifies a body-less HTTP %i as %s (retryable=%s)', (status, cause, retryable) => {
    expect(classifyError(headError(status))).toEqual({ cause, retryable });
  });

  it('keeps the cause and retryability of the pipeline’s own errors', () => {
    // Prepare
    const blocked = new BlockedObjectError('SSE-C', { failureCause: 'sse-c', retryable: false });
    const changed = new SourceChangedError('changed', {
      failureCause: 'precondition-failed',
      retryable: true,
    });
    // Assess
    expect(classifyError(blocked)).toEqual({ cause: 'sse-c', retryable: false });
    expect(classifyError(changed)).toEqual({ cause: 'precondition-failed', retryable: true });
    expect(classifyError(new InvalidTaskError('tasks[0].s3Key', 'bad'))).toEqual({
      cause: 'bad-task',
      retryable: false,
    });
  });

  it('treats unknown errors as permanent so a bug is reported, not redriven forever', () => {
    expect(classifyError(new TypeError('x is undefined'))).toEqual({ cause: 'unknown', retryable: false });
    expect(classifyError('a string')).toEqual({ cause: 'unknown', retryable: false });
  });
});

describe('isNotImplemented', () => {
  it.each([
    ['NotImplemented', 501, true],
    ['MethodNotAllowed', 405, true],
    ['Unknown', 501, true],
    ['Unknown', 405, true],
    ['AccessDenied', 403, false],
    ['InvalidRequest', 400, false],
    ['InternalError', 500, false],
  ])('answers %s (HTTP %i) with %s', (code, status, expected) => {
    expect(isNotImplemented(s3Error(code, status))).toBe(expected);
  });
});

describe('isPreconditionFailure', () => {
  it.each([
    [s3Error('PreconditionFailed', 412), true],
    [s3Error('ConditionalRequestConflict', 409), true],
    [headError(412), true],
    [s3Error('AccessDenied', 403), false],
  ])('recognises %s', (error, expected) => {
    expect(isPreconditionFailure(error)).toBe(expected);
  });
});
