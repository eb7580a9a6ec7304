/** Failures of the trigger use case that are not about the inventory data or the key. */
export class TriggerError extends Error {
  override readonly name: string = 'TriggerError';
}

/** The Lambda received something that is neither an S3 notification nor an EventBridge S3 event. */
export class UnsupportedEventError extends TriggerError {
  override readonly name = 'UnsupportedEventError';
}

/** Creating a Batch job failed after the manifests were written; a redelivery reuses them and the token. */
export class JobCreationError extends TriggerError {
  override readonly name = 'JobCreationError';
  readonly manifestKey: string;
  constructor(message: string, manifestKey: string, options?: ErrorOptions) {
    super(message, options);
    this.manifestKey = manifestKey;
  }
}
