/** Failures writing or joining the trigger's outputs (Batch manifests, plan.json). */
export class ManifestError extends Error {
  override readonly name: string = 'ManifestError';
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  constructor(message: string, context: { bucket?: string; key?: string } = {}, options?: ErrorOptions) {
    super(message, options);
    this.bucket = context.bucket;
    this.key = context.key;
  }
}

/** The parts of a split run cannot be joined within S3's multipart limits. */
export class ManifestJoinError extends ManifestError {
  override readonly name = 'ManifestJoinError';
}

/** plan.json exists but is not a plan this version can read. */
export class PlanDocumentError extends ManifestError {
  override readonly name = 'PlanDocumentError';
}
