import type { FailureCause } from '../batch/result-string.js';

/**
 * Failed tasks worth running again: causes that say nothing about the object itself (throttling, 5xx,
 * network, timeouts, a Lambda crash or timeout, a multipart copy stopped at its deadline or checkpoint) and
 * the ETag precondition (the object changed meanwhile; a retry looks afresh). Everything else is permanent
 * until someone acts — restore an archived object, fix a key policy, remove a legal hold — and retrying it
 * only costs requests: access-denied, KMS key disabled/missing/pending deletion, archived, invalid object
 * state, SSE-C, DSSE-KMS, object lock, noncurrent unencrypted, not found, delete marker, bad task, invalid
 * request, multipart-required. A task with no cause (or `unknown`) is retried only when the report's error
 * code says Batch itself saw a TemporaryFailure.
 */
export const RETRYABLE_CAUSES: ReadonlySet<FailureCause> = new Set<FailureCause>([
  'throttled',
  'server-error',
  'network',
  'timeout',
  'kms-throttled',
  'precondition-failed',
  'checkpoint',
  'deadline',
  'lambda-error',
]);

export function isRetryable(cause: FailureCause | undefined, errorCode: string): boolean {
  if (cause !== undefined && cause !== 'unknown') return RETRYABLE_CAUSES.has(cause);
  return errorCode === 'TemporaryFailure';
}
