/** The target key cannot be used for SSE-KMS on the bucket. Nothing may be created when this is thrown. */
export class TargetKeyError extends Error {
  override readonly name: string = 'TargetKeyError';
  /** The key as configured (id, ARN, alias or alias ARN). */
  readonly key: string;
  constructor(key: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.key = key;
  }
}

export class TargetKeyNotFoundError extends TargetKeyError {
  override readonly name = 'TargetKeyNotFoundError';
}

/** Disabled, pending deletion, pending import, or otherwise not Enabled. */
export class TargetKeyStateError extends TargetKeyError {
  override readonly name = 'TargetKeyStateError';
  readonly keyState: string;
  constructor(key: string, keyState: string, message: string) {
    super(key, message);
    this.keyState = keyState;
  }
}

/** Asymmetric, HMAC, or not an ENCRYPT_DECRYPT key: S3 accepts only symmetric encryption keys. */
export class TargetKeyTypeError extends TargetKeyError {
  override readonly name = 'TargetKeyTypeError';
}

/** The key lives in another Region than the bucket (S3 requires the same Region, aws-facts §6.1). */
export class TargetKeyRegionError extends TargetKeyError {
  override readonly name = 'TargetKeyRegionError';
  readonly keyRegion: string;
  readonly bucketRegion: string;
  constructor(key: string, keyRegion: string, bucketRegion: string) {
    super(
      key,
      `target key ${key} is in ${keyRegion} but the bucket is in ${bucketRegion}; ` +
        "S3 can only use a KMS key from the bucket's own Region",
    );
    this.keyRegion = keyRegion;
    this.bucketRegion = bucketRegion;
  }
}

/** KMS could not be asked (permissions, network): the key is not known to be bad, but cannot be checked. */
export class TargetKeyCheckError extends TargetKeyError {
  override readonly name = 'TargetKeyCheckError';
}
