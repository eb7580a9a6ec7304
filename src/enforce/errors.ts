/** Base for every `enforce` failure; `cause` keeps the SDK error when there is one. */
export class EnforceError extends Error {
  override readonly name: string = 'EnforceError';
  readonly bucket: string;
  constructor(message: string, context: { bucket: string }, options?: ErrorOptions) {
    super(message, options);
    this.bucket = context.bucket;
  }
}

/** The bucket receives writes that S3 makes with SSE-S3 whatever the policy says; enforcing would break them. */
export class ProtectedBucketError extends EnforceError {
  override readonly name = 'ProtectedBucketError';
  readonly reasons: readonly string[];
  constructor(bucket: string, reasons: readonly string[]) {
    super(`refusing to enforce SSE-KMS on bucket ${bucket}: ${reasons.join('; ')}`, { bucket });
    this.reasons = reasons;
  }
}

/** The existing bucket policy is not a JSON policy document; it is never overwritten blindly. */
export class PolicyParseError extends EnforceError {
  override readonly name = 'PolicyParseError';
}

/** An existing statement would deny the writes the target encryption needs. */
export class PolicyConflictError extends EnforceError {
  override readonly name = 'PolicyConflictError';
  readonly conflicts: readonly string[];
  constructor(bucket: string, conflicts: readonly string[]) {
    super(
      `the bucket policy of ${bucket} already has statements that would deny SSE-KMS uploads under the target key: ${conflicts.join('; ')} — change or remove them (or pass --ignore-policy-conflicts)`,
      { bucket },
    );
    this.conflicts = conflicts;
  }
}

/** The merged policy would exceed S3's 20 KB bucket policy limit. */
export class PolicyTooLargeError extends EnforceError {
  override readonly name = 'PolicyTooLargeError';
}

/** The target key cannot protect this bucket (missing, disabled, asymmetric, other Region). */
export class TargetKeyError extends EnforceError {
  override readonly name = 'TargetKeyError';
}

/** A write failed after earlier ones succeeded; `message` says what is already in place. */
export class EnforceApplyError extends EnforceError {
  override readonly name = 'EnforceApplyError';
  readonly step: string;
  readonly applied: readonly string[];
  constructor(bucket: string, step: string, applied: readonly string[], options: ErrorOptions) {
    const done = applied.length ? `${applied.join(' and ')} already applied` : 'nothing was changed';
    super(`${step} failed on bucket ${bucket}; ${done} (re-running enforce is safe)`, { bucket }, options);
    this.step = step;
    this.applied = applied;
  }
}
