import { InvalidArgumentError } from 'commander';
import { isKmsKeyArn, parseKmsKeyArn } from '../config/kms-arn.js';

/**
 * Option parsers for commander: each throws InvalidArgumentError naming the expected form, which the
 * framework turns into exit code 2 and one line on stderr.
 */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function bucketName(value: string): string {
  if (!BUCKET_NAME.test(value) || value.includes('..'))
    throw new InvalidArgumentError(
      `"${value}" is not an S3 bucket name (3-63 characters: lowercase letters, digits, dots, hyphens; give the name, not s3://...)`,
    );
  return value;
}

export function kmsKeyArn(value: string): string {
  if (isKmsKeyArn(value)) return value;
  const hint = value.includes('alias/') ? '; an alias is not accepted, give the key ARN it points to' : '';
  throw new InvalidArgumentError(
    `expected a full KMS key ARN like arn:aws:kms:<region>:<account>:key/<id>${hint}`,
  );
}

/** The Region a key ARN names (the bucket must be there too); undefined for anything else. */
export const regionOfKeyArn = (arn: string): string | undefined =>
  isKmsKeyArn(arn) ? parseKmsKeyArn(arn).region : undefined;

export function booleanValue(value: string): boolean {
  if (/^(true|yes|on|1)$/i.test(value)) return true;
  if (/^(false|no|off|0)$/i.test(value)) return false;
  throw new InvalidArgumentError(`expected true or false, got "${value}"`);
}

export const integerIn =
  (min: number, max: number) =>
  (value: string): number => {
    if (!/^\d+$/.test(value.trim()))
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got "${value}"`);
    const n = Number(value);
    if (n < min || n > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got ${n}`);
    return n;
  };

export function endpointUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a URL (expected e.g. http://127.0.0.1:5000)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InvalidArgumentError(`"${value}" must start with http:// or https://`);
  return value;
}

export function regionName(value: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(value))
    throw new InvalidArgumentError(`"${value}" is not an AWS Region name (e.g. us-east-1, eu-west-2)`);
  return value;
}

/** `s3://bucket/key`; the key may be required to end with `suffix`. */
export const s3Uri =
  (suffix = '') =>
  (value: string): { bucket: string; key: string } => {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(value);
    if (!m) throw new InvalidArgumentError(`expected s3://bucket/key, got "${value}"`);
    const [, bucket, key] = m as unknown as [string, string, string];
    if (suffix && !key.endsWith(suffix))
      throw new InvalidArgumentError(`expected the S3 URI of a ${suffix}, got "${value}"`);
    return { bucket: bucketName(bucket), key };
  };

/** Repeatable option: `--x a --x b` and `--x a,b` both give ['a', 'b']. */
export const collect =
  (parse: (v: string) => string) =>
  (value: string, previous: readonly string[] = []): string[] => [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean)
      .map(parse),
  ];

export const choiceOf =
  <T extends string>(allowed: readonly T[]) =>
  (value: string): T => {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new InvalidArgumentError(`expected one of ${allowed.join(', ')}, got "${value}"`);
  };
