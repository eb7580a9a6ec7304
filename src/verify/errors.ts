/** Base for `verify` failures that are not AWS errors. */
export class VerifyError extends Error {
  override readonly name: string = 'VerifyError';
  readonly bucket: string;
  constructor(message: string, context: { bucket: string }, options?: ErrorOptions) {
    super(message, options);
    this.bucket = context.bucket;
  }
}

/** The audit was stopped (Ctrl-C) before every object was checked; its counts are incomplete. */
export class AuditAbortedError extends VerifyError {
  override readonly name = 'AuditAbortedError';
}
