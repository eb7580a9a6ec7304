/**
 * Object-key encoding at the Batch boundary. Batch manifests and events carry URL-encoded keys, and
 * AWS's own examples decode them form-style (`+` = space; aws-facts §1.4). Encoding keeps `/` readable
 * and writes `%2B` for a literal `+`, so a key survives the round trip exactly.
 */
export const decodeKey = (encoded: string): string => decodeURIComponent(encoded.replace(/\+/g, '%20'));

export const encodeKey = (key: string): string =>
  encodeURIComponent(key)
    .replace(/%2F/g, '/')
    // encodeURIComponent leaves these alone; S3's own encoders escape them.
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Bucket name from a schema-1.0 `s3BucketArn`: the text after the last `:` (covers both doc forms). */
export const bucketFromArn = (arn: string): string => arn.slice(arn.lastIndexOf(':') + 1);
