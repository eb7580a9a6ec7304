import type { FailureCause } from '../../batch/result-string.js';
import { ReencryptError } from '../errors.js';

/** How the copier treats an S3 error: retry the part, keep the upload for a redrive, or give up. */
export interface ErrorClass {
  readonly cause: FailureCause;
  /** Worth retrying (the part now, the task on redrive); permanent errors abort the upload. */
  readonly transient: boolean;
}

const byCode: Readonly<Record<string, ErrorClass>> = {
  SlowDown: { cause: 'throttled', transient: true },
  Throttling: { cause: 'throttled', transient: true },
  ThrottlingException: { cause: 'throttled', transient: true },
  TooManyRequests: { cause: 'throttled', transient: true },
  RequestLimitExceeded: { cause: 'throttled', transient: true },
  'KMS.ThrottlingException': { cause: 'kms-throttled', transient: true },
  InternalError: { cause: 'server-error', transient: true },
  ServiceUnavailable: { cause: 'server-error', transient: true },
  RequestTimeout: { cause: 'network', transient: true },
  TimeoutError: { cause: 'network', transient: true },
  // Two writers raced on the same key (aws-facts §5.4); the next look decides again.
  ConditionalRequestConflict: { cause: 'precondition-failed', transient: true },
  PreconditionFailed: { cause: 'precondition-failed', transient: true },
  AccessDenied: { cause: 'access-denied', transient: false },
  'KMS.DisabledException': { cause: 'kms-key-disabled', transient: false },
  'KMS.NotFoundException': { cause: 'kms-key-not-found', transient: false },
  'KMS.KMSInvalidStateException': { cause: 'kms-invalid-state', transient: false },
  InvalidObjectState: { cause: 'invalid-object-state', transient: false },
  ObjectNotInActiveTierError: { cause: 'invalid-object-state', transient: false },
  NoSuchKey: { cause: 'not-found', transient: false },
  NoSuchBucket: { cause: 'not-found', transient: false },
  InvalidRequest: { cause: 'invalid-request', transient: false },
  InvalidArgument: { cause: 'invalid-request', transient: false },
  InvalidPart: { cause: 'invalid-request', transient: false },
  InvalidPartOrder: { cause: 'invalid-request', transient: false },
  EntityTooSmall: { cause: 'invalid-request', transient: false },
  EntityTooLarge: { cause: 'invalid-request', transient: false },
};

const networkCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND']);

interface SdkErrorLike {
  name?: unknown;
  Code?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

export const errorCode = (e: unknown): string | undefined => {
  if (typeof e !== 'object' || e === null) return undefined;
  const x = e as SdkErrorLike;
  for (const v of [x.Code, x.name, x.code]) if (typeof v === 'string' && v !== 'Error') return v;
  return undefined;
};

export const httpStatus = (e: unknown): number | undefined => {
  const s = (e as SdkErrorLike | null)?.$metadata?.httpStatusCode;
  return typeof s === 'number' ? s : undefined;
};

/** S3 and network errors as the copier sees them; unknown 5xx are transient, unknown 4xx permanent. */
export function classifyError(e: unknown): ErrorClass {
  if (e instanceof ReencryptError) return { cause: e.failureCause, transient: e.retryable };
  const code = errorCode(e);
  if (code && byCode[code]) return byCode[code];
  if (code && networkCodes.has(code)) return { cause: 'network', transient: true };
  const status = httpStatus(e);
  if (status === 412) return { cause: 'precondition-failed', transient: true };
  if (status === 429 || status === 503) return { cause: 'throttled', transient: true };
  if (status !== undefined && status >= 500) return { cause: 'server-error', transient: true };
  if (status === 403) return { cause: 'access-denied', transient: false };
  if (status === 404) return { cause: 'not-found', transient: false };
  if (status !== undefined && status >= 400) return { cause: 'invalid-request', transient: false };
  // No HTTP answer at all: the request never reached S3 or the socket broke.
  if (status === undefined && e instanceof Error && /socket|network|ECONN/i.test(e.message))
    return { cause: 'network', transient: true };
  return { cause: 'unknown', transient: false };
}

export const isPreconditionFailure = (e: unknown): boolean =>
  errorCode(e) === 'PreconditionFailed' || httpStatus(e) === 412;

export const isNoSuchUpload = (e: unknown): boolean => errorCode(e) === 'NoSuchUpload';
