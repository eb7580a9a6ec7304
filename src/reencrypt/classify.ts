import type { FailureCause } from '../batch/result-string.js';
import { ReencryptError } from './errors.js';

/** How a failed task is answered: its cause for the report, and whether a redrive can help. */
export interface Classification {
  readonly cause: FailureCause;
  /** TemporaryFailure (Batch redrives the task) rather than PermanentFailure. */
  readonly retryable: boolean;
}

const temporary = (cause: FailureCause): Classification => ({ cause, retryable: true });
const permanent = (cause: FailureCause): Classification => ({ cause, retryable: false });

/**
 * The error codes S3 (and KMS through S3) answer, and what they mean for a task. The one table of the
 * per-object pipeline: every failed task is classified here, by code first, then by network error,
 * then by HTTP status (HEAD answers have no body, so the SDK only knows the status there).
 */
export const ERROR_TABLE: Readonly<Record<string, Classification>> = {
  // Throttling: S3's own and KMS's as surfaced through S3 (aws-facts §6.4 leaves the exact code open).
  SlowDown: temporary('throttled'),
  ServiceUnavailable: temporary('throttled'),
  Throttling: temporary('throttled'),
  ThrottlingException: temporary('throttled'),
  RequestLimitExceeded: temporary('throttled'),
  TooManyRequests: temporary('throttled'),
  TooManyRequestsException: temporary('throttled'),
  'KMS.ThrottlingException': temporary('kms-throttled'),
  // Server side.
  InternalError: temporary('server-error'),
  'KMS.KMSInternalException': temporary('server-error'),
  // "A conflicting conditional operation is currently in progress against this resource."
  OperationAborted: temporary('server-error'),
  // Time-outs: the SDK's socket time-out, and S3's "socket not read from or written to" (400).
  TimeoutError: temporary('timeout'),
  RequestTimeout: temporary('timeout'),
  // The object changed between the look and the write (aws-facts §5.4): decide again from a fresh look.
  PreconditionFailed: temporary('precondition-failed'),
  ConditionalRequestConflict: temporary('precondition-failed'),
  // Permanent: a redrive would fail the same way.
  AccessDenied: permanent('access-denied'),
  Forbidden: permanent('access-denied'),
  AllAccessDisabled: permanent('access-denied'),
  'KMS.AccessDeniedException': permanent('access-denied'),
  'KMS.DisabledException': permanent('kms-key-disabled'),
  'KMS.NotFoundException': permanent('kms-key-not-found'),
  'KMS.KMSInvalidStateException': permanent('kms-invalid-state'),
  'KMS.InvalidKeyUsageException': permanent('kms-invalid-state'),
  ObjectNotInActiveTierError: permanent('archived-restore-first'),
  InvalidObjectState: permanent('invalid-object-state'),
  NoSuchKey: permanent('not-found'),
  NoSuchVersion: permanent('not-found'),
  NoSuchBucket: permanent('not-found'),
  NotFound: permanent('not-found'),
  InvalidRequest: permanent('invalid-request'),
  InvalidArgument: permanent('invalid-request'),
  InvalidStorageClass: permanent('invalid-request'),
  KeyTooLongError: permanent('invalid-request'),
  MethodNotAllowed: permanent('invalid-request'),
  NotImplemented: permanent('invalid-request'),
};

/** Socket-level failures (Node error codes and messages); the SDK has already retried them. */
const NETWORK_CODES: Readonly<Record<string, Classification>> = {
  ECONNRESET: temporary('network'),
  ECONNREFUSED: temporary('network'),
  EPIPE: temporary('network'),
  EAI_AGAIN: temporary('network'),
  ENOTFOUND: temporary('network'),
  ENETUNREACH: temporary('network'),
  EHOSTUNREACH: temporary('network'),
  ECONNABORTED: temporary('network'),
  ETIMEDOUT: temporary('timeout'),
  ESOCKETTIMEDOUT: temporary('timeout'),
};

interface ErrorLike {
  readonly name?: unknown;
  readonly Code?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The S3 error code of an SDK error (`Code` or `name`), ignoring the SDK's placeholder names. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as ErrorLike;
  for (const v of [e.Code, e.name]) {
    const s = str(v);
    if (s && s !== 'Error' && s !== 'Unknown' && s !== 'UnknownError') return s;
  }
  return undefined;
}

export function httpStatus(error: unknown): number | undefined {
  const s = (error as ErrorLike | null)?.$metadata?.httpStatusCode;
  return typeof s === 'number' ? s : undefined;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));
}

function byStatus(status: number): Classification | undefined {
  if (status === 503 || status === 429) return temporary('throttled');
  if (status >= 500) return temporary('server-error');
  if (status === 412 || status === 409) return temporary('precondition-failed');
  if (status === 408) return temporary('timeout');
  if (status === 404) return permanent('not-found');
  if (status === 403) return permanent('access-denied');
  if (status >= 400) return permanent('invalid-request');
  return undefined;
}

/** Classifies any failure of a task; unknown errors are permanent so a bug never loops in redrives. */
export function classifyError(error: unknown): Classification {
  if (error instanceof ReencryptError) return { cause: error.failureCause, retryable: error.retryable };
  // The socket's own code first: the SDK names a reset socket "TimeoutError" (code ECONNRESET).
  const nodeCode = str((error as ErrorLike | null)?.code);
  if (nodeCode !== undefined && NETWORK_CODES[nodeCode]) return NETWORK_CODES[nodeCode];
  const code = errorCode(error);
  if (code !== undefined && ERROR_TABLE[code]) return ERROR_TABLE[code];
  const status = httpStatus(error);
  const fromStatus = status === undefined ? undefined : byStatus(status);
  if (fromStatus) return fromStatus;
  if (/socket hang up|ECONNRESET|EPIPE/i.test(errorMessage(error))) return temporary('network');
  return permanent('unknown');
}

/** True when a failure means the endpoint does not implement the request at all (S3-compatible stores). */
export function isNotImplemented(error: unknown): boolean {
  const code = errorCode(error);
  const status = httpStatus(error);
  return code === 'NotImplemented' || code === 'MethodNotAllowed' || status === 501 || status === 405;
}

/** True for an ETag condition that did not hold, or a concurrent conditional write that won. */
export const isPreconditionFailure = (error: unknown): boolean =>
  classifyError(error).cause === 'precondition-failed';
