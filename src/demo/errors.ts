/** Failures of the demo that are not about the pipeline itself. */
export class DemoError extends Error {
  override readonly name: string = 'DemoError';
}

/** The local S3 API (moto server) could not be installed or started. */
export class LocalS3Error extends DemoError {
  override readonly name = 'LocalS3Error';
}
