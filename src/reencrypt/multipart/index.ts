import type { S3Client } from '@aws-sdk/client-s3';
import type { LoggerPort } from '../../observability/logger.js';
import type { MultipartCopier } from '../types.js';
import { makeS3CheckpointStore } from './checkpoint.js';
import { ResumableMultipartCopier } from './copier.js';
import { DEFAULT_PART_SIZE_BYTES, validatePartSize } from './part-plan.js';
import type { RetryPolicy } from './part-pool.js';

export interface MultipartCopierDeps {
  readonly s3: S3Client;
  /** Where resumable progress is saved between invocations (bucket + key prefix). */
  readonly checkpoints: { readonly bucket: string; readonly prefix: string };
  /** Preferred part size (5 MiB–5 GiB, default 512 MiB); raised when the object would need more than 10,000 parts. */
  readonly partSizeBytes?: number;
  /** UploadPartCopy requests in flight at once (default 8); each holds a socket, never the bytes. */
  readonly concurrency?: number;
  /**
   * Stop launching parts, and do not start Complete, when less than this is left in the invocation
   * (default 60 s). It should exceed the time one part takes to copy; parts still in flight when only
   * a few seconds are left are abandoned (S3 may still finish them; ListParts tells on resume).
   */
  readonly safetyMarginMs?: number;
  readonly logger?: LoggerPort;
  /** Per-part retries on top of the SDK's own (tests shorten the back-off). */
  readonly partRetry?: RetryPolicy;
}

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_SAFETY_MARGIN_MS = 60_000;

/** Resumable multipart copy in place (CreateMultipartUpload + UploadPartCopy + Complete). */
export function makeMultipartCopier(deps: MultipartCopierDeps): MultipartCopier {
  const partSizeBytes = validatePartSize(deps.partSizeBytes ?? DEFAULT_PART_SIZE_BYTES);
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000)
    throw new RangeError(`concurrency must be an integer between 1 and 1000, got ${concurrency}`);
  const safetyMarginMs = deps.safetyMarginMs ?? DEFAULT_SAFETY_MARGIN_MS;
  if (!(safetyMarginMs >= 0)) throw new RangeError(`safetyMarginMs must be >= 0, got ${safetyMarginMs}`);
  if (deps.checkpoints.bucket === '') throw new RangeError('checkpoints.bucket must not be empty');
  return new ResumableMultipartCopier(
    deps.s3,
    makeS3CheckpointStore(deps.s3, deps.checkpoints),
    {
      partSizeBytes,
      concurrency,
      safetyMarginMs,
      // Enough to write the checkpoint and answer Batch, never more than half the margin.
      reserveMs: Math.min(5_000, safetyMarginMs / 2),
      deadlinePollMs: 500,
      ...(deps.partRetry ? { retry: deps.partRetry } : {}),
    },
    deps.logger,
  );
}

export { type Checkpoint, type CheckpointStore, checkpointKey, makeS3CheckpointStore } from './checkpoint.js';
export { ResumableMultipartCopier } from './copier.js';
export { CheckpointError, MultipartCopyError, ObjectTooLargeError } from './errors.js';
export { ABORT_RULE_ID, ensureAbortIncompleteUploadsRule, mergeAbortRule } from './lifecycle.js';
export { choosePartSize, DEFAULT_PART_SIZE_BYTES, MultipartLimits, planParts } from './part-plan.js';
