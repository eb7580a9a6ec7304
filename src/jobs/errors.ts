/** Base for every failure of a BatchJobs adapter; `cause` keeps the SDK error when there is one. */
export class JobsError extends Error {
  override readonly name: string = 'JobsError';
  readonly jobId: string | undefined;
  /** Worth trying the same call again later (throttling, service errors). */
  readonly retryable: boolean;
  constructor(
    message: string,
    context: { jobId?: string; retryable?: boolean } = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.jobId = context.jobId;
    this.retryable = context.retryable ?? false;
  }
}

/** A CreateJobRequest field breaks an S3 Control limit; raised before any call is made. */
export class InvalidJobRequestError extends JobsError {
  override readonly name = 'InvalidJobRequestError';
  /** Path of the offending field, e.g. `operation.userArguments.targetKeyArn`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

/** S3 Control refused the request (BadRequestException / InvalidRequestException). */
export class JobRequestRejectedError extends JobsError {
  override readonly name = 'JobRequestRejectedError';
}

/** The ClientRequestToken was already used for a job with different parameters. */
export class JobIdempotencyError extends JobsError {
  override readonly name = 'JobIdempotencyError';
  readonly clientRequestToken: string;
  constructor(
    clientRequestToken: string,
    message: string,
    context: { jobId?: string } = {},
    options?: ErrorOptions,
  ) {
    super(message, context, options);
    this.clientRequestToken = clientRequestToken;
  }
}

/** S3 Control kept answering TooManyRequests after the SDK's own retries. */
export class JobsThrottledError extends JobsError {
  override readonly name = 'JobsThrottledError';
  constructor(message: string, context: { jobId?: string } = {}, options?: ErrorOptions) {
    super(message, { ...context, retryable: true }, options);
  }
}

/** No such job for this account (never created, another account/Region, or expired after 90 days). */
export class JobNotFoundError extends JobsError {
  override readonly name = 'JobNotFoundError';
}

/** The job is not in a status that allows the requested change (e.g. confirming a job that is not Suspended). */
export class JobStatusError extends JobsError {
  override readonly name = 'JobStatusError';
  readonly status: string | undefined;
  constructor(message: string, context: { jobId?: string; status?: string } = {}, options?: ErrorOptions) {
    super(message, context, options);
    this.status = context.status;
  }
}

/** The local engine has no executor for the job's operation. */
export class UnsupportedOperationError extends JobsError {
  override readonly name = 'UnsupportedOperationError';
}

/**
 * A job cannot start (manifest missing, changed or malformed; report bucket unreachable). The local
 * engine turns it into the job's FailureReasons, as Batch does, so callers normally see it there.
 */
export class JobPreparationError extends JobsError {
  override readonly name: string = 'JobPreparationError';
  /** Stable code for FailureReasons[].FailureCode. */
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, {}, options);
    this.code = code;
  }
}

/** The manifest cannot be used; `line` points at the offending row when there is one. */
export class ManifestError extends JobPreparationError {
  override readonly name = 'ManifestError';
  /** 1-based manifest line, when the problem is in one row. */
  readonly line: number | undefined;
  constructor(code: string, message: string, context: { line?: number } = {}, options?: ErrorOptions) {
    super(code, message, options);
    this.line = context.line;
  }
}
