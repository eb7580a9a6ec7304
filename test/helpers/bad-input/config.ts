/**
 * Environment maps each configuration loader must refuse with a ConfigError naming the variable. Loaders are
 * pure (read a map, return a frozen object), so a refused configuration can create nothing: the function
 * never starts.
 */
import type { BadInputCase } from './types.js';

export type Loader = 'reencrypt' | 'trigger' | 'report' | 'aws';

export interface ConfigInput {
  readonly loader: Loader;
  readonly env: Readonly<Record<string, string>>;
  /** ConfigError.variable */
  readonly variable: string;
}

const KEY = 'arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** What the manifest-trigger function gets from serverless.yml, valid. */
export const VALID_TRIGGER_ENV: Readonly<Record<string, string>> = {
  BATCH_ROLE_ARN: 'arn:aws:iam::111122223333:role/s3-reencrypt-batch',
  REENCRYPT_FUNCTION_ARN: 'arn:aws:lambda:eu-west-2:111122223333:function:s3-reencrypt-object',
  TARGET_KEY_ARN: KEY,
  MANIFEST_BUCKET: 'work-bucket',
  REPORT_BUCKET: 'work-bucket',
};

const c = (
  loader: Loader,
  name: string,
  env: Record<string, string>,
  variable: string,
  names: RegExp,
): BadInputCase<ConfigInput> => ({ name: `${loader}: ${name}`, input: { loader, env, variable }, names });

const trigger = (env: Record<string, string | undefined>) =>
  Object.fromEntries(
    Object.entries({ ...VALID_TRIGGER_ENV, ...env }).filter((e): e is [string, string] => e[1] !== undefined),
  );

export const CONFIG_CASES: readonly BadInputCase<ConfigInput>[] = [
  c(
    'reencrypt',
    'a target key alias',
    { TARGET_KEY_ARN: 'alias/data' },
    'TARGET_KEY_ARN',
    /TARGET_KEY_ARN must be a full KMS key ARN.*alias is not accepted/,
  ),
  c(
    'reencrypt',
    'zero task concurrency',
    { TASK_CONCURRENCY: '0' },
    'TASK_CONCURRENCY',
    /TASK_CONCURRENCY must be at least 1, got 0/,
  ),
  c(
    'reencrypt',
    'a threshold with a unit',
    { MULTIPART_THRESHOLD_BYTES: '5GiB' },
    'MULTIPART_THRESHOLD_BYTES',
    /MULTIPART_THRESHOLD_BYTES must be a whole number, got "5GiB"/,
  ),
  c(
    'reencrypt',
    'BUCKET_KEY that is not a boolean',
    { BUCKET_KEY: 'enabled' },
    'BUCKET_KEY',
    /BUCKET_KEY must be true or false, got "enabled"/,
  ),
  c(
    'reencrypt',
    'an unknown strategy',
    { STRATEGY: 'rewrite' },
    'STRATEGY',
    /STRATEGY must be one of auto, copy, update, got "rewrite"/,
  ),
  c(
    'reencrypt',
    'a deadline margin beyond the Lambda timeout',
    { DEADLINE_MARGIN_MS: '900000' },
    'DEADLINE_MARGIN_MS',
    /DEADLINE_MARGIN_MS must be at most 600000/,
  ),
  c(
    'trigger',
    'no Batch role',
    trigger({ BATCH_ROLE_ARN: undefined }),
    'BATCH_ROLE_ARN',
    /BATCH_ROLE_ARN is required but not set/,
  ),
  c(
    'trigger',
    'a function name instead of its ARN',
    trigger({ REENCRYPT_FUNCTION_ARN: 's3-reencrypt-object' }),
    'REENCRYPT_FUNCTION_ARN',
    /REENCRYPT_FUNCTION_ARN must be a Lambda function ARN, got "s3-reencrypt-object"/,
  ),
  c(
    'trigger',
    'a manifest bucket with capitals',
    trigger({ MANIFEST_BUCKET: 'Work_Bucket' }),
    'MANIFEST_BUCKET',
    /MANIFEST_BUCKET must be a bucket name, got "Work_Bucket"/,
  ),
  c(
    'trigger',
    'a minimum size above the maximum',
    trigger({ MIN_SIZE_BYTES: '100', MAX_SIZE_BYTES: '10' }),
    'MIN_SIZE_BYTES',
    /MIN_SIZE_BYTES \(100\) is above MAX_SIZE_BYTES \(10\)/,
  ),
  c(
    'trigger',
    'a native update job with STRATEGY=copy',
    trigger({ NATIVE_UPDATE_JOB: 'true', STRATEGY: 'copy' }),
    'NATIVE_UPDATE_JOB',
    /NATIVE_UPDATE_JOB needs the update route, but STRATEGY is copy/,
  ),
  c(
    'trigger',
    'an account id that is not 12 digits',
    trigger({ ACCOUNT_ID: '1111' }),
    'ACCOUNT_ID',
    /ACCOUNT_ID must be a 12-digit account id, got "1111"/,
  ),
  c(
    'trigger',
    'an unknown report scope',
    trigger({ REPORT_SCOPE: 'Everything' }),
    'REPORT_SCOPE',
    /REPORT_SCOPE must be one of AllTasks, FailedTasksOnly, got "Everything"/,
  ),
  c(
    'trigger',
    'a multipart threshold above 5 GiB',
    trigger({ MULTIPART_THRESHOLD_BYTES: String(6 * 1024 ** 3) }),
    'MULTIPART_THRESHOLD_BYTES',
    /MULTIPART_THRESHOLD_BYTES must be at most 5368709120/,
  ),
  c(
    'report',
    'retry jobs without what they need',
    { MAX_RETRY_JOBS: '2' },
    'BATCH_ROLE_ARN',
    /MAX_RETRY_JOBS is 2, so retry jobs need BATCH_ROLE_ARN, REENCRYPT_FUNCTION_ARN, TARGET_KEY_ARN, ACCOUNT_ID/,
  ),
  c(
    'report',
    'an unknown price Region fallback',
    { COST_FALLBACK_REGION: 'mars-1' },
    'COST_FALLBACK_REGION',
    /COST_FALLBACK_REGION must be one of .* or none, got "mars-1"/,
  ),
  c(
    'report',
    'a topic name instead of its ARN',
    { TOPIC_ARN: 'reencrypt-reports' },
    'TOPIC_ARN',
    /TOPIC_ARN must be an SNS topic ARN, got "reencrypt-reports"/,
  ),
  c(
    'report',
    'a claim of zero seconds',
    { REPORT_CLAIM_SECONDS: '0' },
    'REPORT_CLAIM_SECONDS',
    /REPORT_CLAIM_SECONDS must be at least 1, got 0/,
  ),
  c(
    'aws',
    'zero SDK attempts',
    { AWS_MAX_ATTEMPTS: '0' },
    'AWS_MAX_ATTEMPTS',
    /AWS_MAX_ATTEMPTS must be at least 1, got 0/,
  ),
  c(
    'aws',
    'an unknown retry mode',
    { AWS_RETRY_MODE: 'legacy' },
    'AWS_RETRY_MODE',
    /AWS_RETRY_MODE must be one of standard, adaptive, got "legacy"/,
  ),
  c(
    'aws',
    'sockets that are not a number',
    { S3_REENCRYPT_MAX_SOCKETS: 'lots' },
    'S3_REENCRYPT_MAX_SOCKETS',
    /S3_REENCRYPT_MAX_SOCKETS must be a whole number, got "lots"/,
  ),
];
