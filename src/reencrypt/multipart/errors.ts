import type { FailureCause } from '../../batch/result-string.js';
import { ReencryptError } from '../errors.js';

/** Context every multipart failure carries, so a log line alone says which upload was affected. */
interface MultipartContext {
  readonly bucket: string;
  readonly key: string;
  readonly uploadId?: string;
}

/** A multipart copy failed; `retryable` says whether the upload was kept for a redrive to resume. */
export class MultipartCopyError extends ReencryptError {
  override readonly name: string = 'MultipartCopyError';
  readonly uploadId: string | undefined;
  constructor(
    message: string,
    context: MultipartContext & { failureCause: FailureCause; retryable: boolean },
    options?: ErrorOptions,
  ) {
    super(message, context, options);
    this.uploadId = context.uploadId;
  }
}

/** The checkpoint could not be read or written; progress stays in the upload itself (ListParts). */
export class CheckpointError extends MultipartCopyError {
  override readonly name = 'CheckpointError';
  constructor(message: string, context: MultipartContext & { retryable: boolean }, options?: ErrorOptions) {
    super(message, { ...context, failureCause: 'checkpoint' }, options);
  }
}

/** Larger than 10,000 parts of 5 GiB: S3 cannot hold such an object, so no copy can be made. */
export class ObjectTooLargeError extends MultipartCopyError {
  override readonly name = 'ObjectTooLargeError';
  constructor(message: string, context: MultipartContext, options?: ErrorOptions) {
    super(message, { ...context, failureCause: 'invalid-request', retryable: false }, options);
  }
}
