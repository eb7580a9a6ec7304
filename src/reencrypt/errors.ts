import type { FailureCause } from '../batch/result-string.js';

/** Base for every failure of the per-object pipeline; `cause` keeps the SDK error. */
export class ReencryptError extends Error {
  override readonly name: string = 'ReencryptError';
  readonly failureCause: FailureCause;
  /** Worth a redrive (TemporaryFailure) rather than a permanent failure. */
  readonly retryable: boolean;
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  constructor(
    message: string,
    context: { failureCause: FailureCause; retryable: boolean; bucket?: string; key?: string },
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.failureCause = context.failureCause;
    this.retryable = context.retryable;
    this.bucket = context.bucket;
    this.key = context.key;
  }
}

/** The event or its arguments cannot be used (names the field). Never retried. */
export class InvalidTaskError extends ReencryptError {
  override readonly name = 'InvalidTaskError';
  readonly field: string;
  constructor(field: string, message: string, options?: ErrorOptions) {
    super(message, { failureCause: 'bad-task', retryable: false }, options);
    this.field = field;
  }
}

/** The object cannot be re-encrypted as it stands (archived, SSE-C, noncurrent unencrypted, ...). */
export class BlockedObjectError extends ReencryptError {
  override readonly name = 'BlockedObjectError';
}

/** The object changed between the look and the write (ETag precondition failed). */
export class SourceChangedError extends ReencryptError {
  override readonly name = 'SourceChangedError';
}
