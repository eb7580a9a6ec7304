import { type AwsSettings, isCustomS3Endpoint } from '../aws/clients.js';
import type { TriggerSettings } from '../trigger/types.js';
import { bool, type Env, int, list, oneOf, optionalString, requiredString } from './env.js';
import { ConfigError } from './errors.js';

/**
 * Compressed inventory bytes one trigger run filters inside its 15-minute budget. S3 Inventory CSV.gz
 * takes ~25 compressed bytes per row, so 256 MiB is ~10.7 M rows. `npm run bench -- inventory-filter`
 * measures ~200,000–250,000 rows per CPU second for the filter alone (about a minute for those rows on
 * one vCPU, a 1,769 MB Lambda); the rest of the run is writing the manifests (a hinted row is ~150–300
 * bytes, so up to ~3 GB of output at this size), plan.json and CreateJob. Kept at 256 MiB, a wide margin
 * for slower vCPUs and S3 upload rates not measured here; larger inventories are split by data file.
 */
export const DEFAULT_SINGLE_RUN_MAX_BYTES = 256 * 1024 ** 2;

const ROLE_ARN = /^arn:[a-z-]+:iam::(\d{12}):role\/.+$/;
const FUNCTION_ARN = /^arn:[a-z-]+:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9-_]+(:[A-Za-z0-9-_$]+)?$/;
const KEY_REF =
  /^(arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+|alias\/[A-Za-z0-9/_-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function matching(env: Env, name: string, pattern: RegExp, what: string): string {
  const v = requiredString(env, name);
  if (!pattern.test(v)) throw new ConfigError(`${name} must be ${what}, got "${v}"`, { variable: name });
  return v;
}

const trimSlashes = (s: string) => s.replace(/^\/+|\/+$/g, '');

/**
 * Environment of the manifest-trigger function, read once per container:
 * MANIFEST_BUCKET, MANIFEST_PREFIX (default `manifests`): where Batch manifests and plan.json go;
 * REPORT_BUCKET, REPORT_PREFIX (default `reports`), REPORT_SCOPE (AllTasks | FailedTasksOnly);
 * BATCH_ROLE_ARN, REENCRYPT_FUNCTION_ARN, ACCOUNT_ID (default: the role's account);
 * TARGET_KEY_ARN (key ARN, key id, alias/name or alias ARN; resolved to the key ARN before use);
 * BUCKET_KEY (true), STRATEGY (auto | copy | update), MULTIPART_THRESHOLD_BYTES (5 GiB),
 * DELETE_PRIOR_VERSION (false), JOB_PRIORITY (10), CONFIRMATION_REQUIRED (false);
 * INCLUDE_PREFIXES, EXCLUDE_PREFIXES (comma lists), MIN_SIZE_BYTES, MAX_SIZE_BYTES,
 * VERSIONS (current | all), REENCRYPT_ALL_SSE_KMS (false: key rotation, since inventory has no key column);
 * UPDATE_OBJECT_ENCRYPTION (auto | on | off; auto = on for AWS, off for a custom S3 endpoint),
 * NATIVE_UPDATE_JOB (false), MANAGED_BUCKETS (comma list; empty = any), SINGLE_RUN_MAX_BYTES,
 * SPLIT_FAN_OUT (in-process | s3-tasks: one invocation per data file of a split run).
 */
export function loadTriggerConfig(env: Env, aws: AwsSettings): TriggerSettings {
  const roleArn = matching(
    env,
    'BATCH_ROLE_ARN',
    ROLE_ARN,
    'an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
  );
  const accountId = optionalString(env, 'ACCOUNT_ID') ?? ROLE_ARN.exec(roleArn)![1]!;
  if (!/^\d{12}$/.test(accountId))
    throw new ConfigError(`ACCOUNT_ID must be a 12-digit account id, got "${accountId}"`, {
      variable: 'ACCOUNT_ID',
    });
  const functionArn = matching(env, 'REENCRYPT_FUNCTION_ARN', FUNCTION_ARN, 'a Lambda function ARN');
  const targetKey = matching(
    env,
    'TARGET_KEY_ARN',
    KEY_REF,
    'a KMS key ARN, key id, alias/<name> or alias ARN',
  );
  const manifestBucket = matching(env, 'MANIFEST_BUCKET', BUCKET, 'a bucket name');
  const reportBucket = matching(env, 'REPORT_BUCKET', BUCKET, 'a bucket name');
  const strategy = oneOf(env, 'STRATEGY', ['auto', 'copy', 'update'] as const, 'auto');
  const updateMode = oneOf(env, 'UPDATE_OBJECT_ENCRYPTION', ['auto', 'on', 'off'] as const, 'auto');
  const updateAvailable = updateMode === 'on' || (updateMode === 'auto' && !isCustomS3Endpoint(aws));
  const nativeUpdateJob = bool(env, 'NATIVE_UPDATE_JOB', false);
  if (nativeUpdateJob && (!updateAvailable || strategy === 'copy'))
    throw new ConfigError(
      `NATIVE_UPDATE_JOB needs the update route, but ${strategy === 'copy' ? 'STRATEGY is copy' : 'UpdateObjectEncryption is off for this endpoint'}`,
      { variable: 'NATIVE_UPDATE_JOB' },
    );
  const minSize =
    optionalString(env, 'MIN_SIZE_BYTES') === undefined
      ? undefined
      : int(env, 'MIN_SIZE_BYTES', 0, { min: 0 });
  const maxSize =
    optionalString(env, 'MAX_SIZE_BYTES') === undefined
      ? undefined
      : int(env, 'MAX_SIZE_BYTES', 0, { min: 0 });
  if (minSize !== undefined && maxSize !== undefined && minSize > maxSize)
    throw new ConfigError(`MIN_SIZE_BYTES (${minSize}) is above MAX_SIZE_BYTES (${maxSize})`, {
      variable: 'MIN_SIZE_BYTES',
    });
  const reportPrefix = trimSlashes(optionalString(env, 'REPORT_PREFIX') ?? 'reports');
  if (reportPrefix.length > 512)
    throw new ConfigError('REPORT_PREFIX is longer than the 512 characters CreateJob allows', {
      variable: 'REPORT_PREFIX',
    });

  return Object.freeze({
    accountId,
    region: aws.region,
    roleArn,
    functionArn,
    targetKey,
    bucketKey: bool(env, 'BUCKET_KEY', true),
    strategy,
    multipartThresholdBytes: int(env, 'MULTIPART_THRESHOLD_BYTES', 5 * 1024 ** 3, {
      min: 1,
      max: 5 * 1024 ** 3,
    }),
    deletePriorVersion: bool(env, 'DELETE_PRIOR_VERSION', false),
    preflight: oneOf(env, 'PREFLIGHT', ['head', 'inventory'] as const, 'head'),
    selection: Object.freeze({
      includePrefixes: Object.freeze(list(env, 'INCLUDE_PREFIXES')),
      excludePrefixes: Object.freeze(list(env, 'EXCLUDE_PREFIXES')),
      ...(minSize !== undefined ? { minSizeBytes: minSize } : {}),
      ...(maxSize !== undefined ? { maxSizeBytes: maxSize } : {}),
      versions: oneOf(env, 'VERSIONS', ['current', 'all'] as const, 'current'),
      reencryptAllSseKms: bool(env, 'REENCRYPT_ALL_SSE_KMS', false),
    }),
    updateAvailable,
    nativeUpdateJob,
    manifests: Object.freeze({
      bucket: manifestBucket,
      prefix: trimSlashes(optionalString(env, 'MANIFEST_PREFIX') ?? 'manifests'),
    }),
    reports: Object.freeze({
      bucket: reportBucket,
      prefix: reportPrefix,
      scope: oneOf(env, 'REPORT_SCOPE', ['AllTasks', 'FailedTasksOnly'] as const, 'AllTasks'),
    }),
    priority: int(env, 'JOB_PRIORITY', 10, { min: 0, max: 2_147_483_647 }),
    confirmationRequired: bool(env, 'CONFIRMATION_REQUIRED', false),
    managedBuckets: Object.freeze(list(env, 'MANAGED_BUCKETS')),
    singleRunMaxBytes: int(env, 'SINGLE_RUN_MAX_BYTES', DEFAULT_SINGLE_RUN_MAX_BYTES, { min: 1 }),
    splitFanOut: oneOf(env, 'SPLIT_FAN_OUT', ['in-process', 's3-tasks'] as const, 'in-process'),
  });
}
