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

const BYTE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  tb: 1000 ** 4,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** A size in bytes: `1048576`, `64MiB`, `5GiB`, `1.5GB`; whole bytes from `min` to `max`. */
export const byteSize =
  (min: number, max: number) =>
  (value: string): number => {
    const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
    const unit = m ? BYTE_UNITS[(m[2] ?? '').toLowerCase()] : undefined;
    if (!m || unit === undefined)
      throw new InvalidArgumentError(`expected a size in bytes like 1048576, 64MiB or 5GiB, got "${value}"`);
    const n = Number(m[1]) * unit;
    if (!Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(
        `expected a whole number of bytes from ${min} to ${max}, got "${value}"`,
      );
    return n;
  };

/** Where Batch reads or writes: `s3://bucket` or `s3://bucket/prefix` (prefix without surrounding slashes). */
export function s3Location(value: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(value);
  if (!m) throw new InvalidArgumentError(`expected s3://bucket/prefix, got "${value}"`);
  return { bucket: bucketName(m[1] as string), prefix: (m[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

/** An input file: an `s3://bucket/key` URI or a local path. */
export type InputFile =
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string; readonly uri: string }
  | { readonly kind: 'file'; readonly path: string };

export function inputFile(value: string): InputFile {
  if (value.startsWith('s3://')) {
    const { bucket, key } = s3Uri()(value);
    return { kind: 's3', bucket, key, uri: value };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
    throw new InvalidArgumentError(`expected s3://bucket/key or a local path, got "${value}"`);
  if (value.trim() === '') throw new InvalidArgumentError('expected s3://bucket/key or a local path');
  return { kind: 'file', path: value };
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]+$/;
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/;

export function roleArn(value: string): string {
  if (ROLE_ARN.test(value)) return value;
  throw new InvalidArgumentError(
    `expected an IAM role ARN like arn:aws:iam::<account>:role/<name>, got "${value}"`,
  );
}

/** The account a role ARN belongs to. */
export const accountOfRoleArn = (arn: string): string | undefined => ROLE_ARN.exec(arn)?.[1];

export function functionArn(value: string): string {
  if (FUNCTION_ARN.test(value)) return value;
  throw new InvalidArgumentError(
    `expected a Lambda function ARN like arn:aws:lambda:<region>:<account>:function:<name>[:<alias>], got "${value}"`,
  );
}

export function accountId(value: string): string {
  if (/^\d{12}$/.test(value)) return value;
  throw new InvalidArgumentError(`expected a 12-digit AWS account id, got "${value}"`);
}
