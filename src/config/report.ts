import { knownPriceRegions, type StorageClass, StorageClasses } from '../cost/prices.js';
import type { CompletionReportSettings } from '../report/process.js';
import { bool, type Env, int, oneOf, optionalString } from './env.js';
import { ConfigError } from './errors.js';
import { parseKmsKeyArn } from './kms-arn.js';

/** Settings of the completion-report function, read once per container. */
export interface ReportConfig extends CompletionReportSettings {
  /** SNS topic for the headline; no notification without it. */
  readonly topicArn?: string;
  readonly serviceName: string;
}

const ROLE_ARN = /^arn:[a-z-]+:iam::\d{12}:role\/.+$/;
const FUNCTION_ARN = /^arn:[a-z-]+:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9-_]+(:[A-Za-z0-9-_$]+)?$/;

function matching(env: Env, name: string, pattern: RegExp, what: string): string | undefined {
  const v = optionalString(env, name);
  if (v !== undefined && !pattern.test(v))
    throw new ConfigError(`${name} must be ${what}, got "${v}"`, { variable: name });
  return v;
}

/**
 * Environment of the completion-report function:
 * REPORT_BUCKET, REPORT_PREFIX (where job-status events look for reports), ACCOUNT_ID, TOPIC_ARN,
 * REPORT_SAMPLE_KEYS (per failure cause, default 5), REPORT_KEYS_ENCODED (default true),
 * RETRY_MANIFEST_BUCKET / RETRY_MANIFEST_PREFIX (default: beside the report; the Batch role must be able
 * to read them), MAX_RETRY_JOBS (0 disables retry jobs; needs BATCH_ROLE_ARN, REENCRYPT_FUNCTION_ARN,
 * TARGET_KEY_ARN, ACCOUNT_ID), BUCKET_KEY, STRATEGY, DELETE_PRIOR_VERSION, JOB_PRIORITY,
 * CONFIRMATION_REQUIRED, COST_REGION (default AWS_REGION), COST_FALLBACK_REGION (default us-east-1; `none`
 * makes an unknown Region an error in the cost section), REENCRYPT_MEMORY_MB, REENCRYPT_ARCHITECTURE,
 * ASSUMED_STORAGE_CLASS, REPORT_CLAIM_SECONDS.
 */
export function loadReportConfig(env: Env): ReportConfig {
  const maxAttempts = int(env, 'MAX_RETRY_JOBS', 0, { min: 0, max: 10 });
  const enabled = maxAttempts > 0;
  const roleArn = matching(env, 'BATCH_ROLE_ARN', ROLE_ARN, 'an IAM role ARN');
  const functionArn = matching(env, 'REENCRYPT_FUNCTION_ARN', FUNCTION_ARN, 'a Lambda function ARN');
  const accountId = matching(env, 'ACCOUNT_ID', /^\d{12}$/, 'a 12-digit account id');
  const targetKeyArn = optionalString(env, 'TARGET_KEY_ARN');
  if (targetKeyArn !== undefined) parseKmsKeyArn(targetKeyArn, 'TARGET_KEY_ARN');
  if (enabled) {
    const missing = [
      ['BATCH_ROLE_ARN', roleArn],
      ['REENCRYPT_FUNCTION_ARN', functionArn],
      ['TARGET_KEY_ARN', targetKeyArn],
      ['ACCOUNT_ID', accountId],
    ].filter(([, v]) => v === undefined);
    if (missing.length)
      throw new ConfigError(
        `MAX_RETRY_JOBS is ${maxAttempts}, so retry jobs need ${missing.map(([n]) => n).join(', ')}`,
        { variable: missing[0]?.[0] as string },
      );
  }
  const userArguments: Record<string, string> = {};
  if (targetKeyArn) userArguments.targetKeyArn = targetKeyArn;
  userArguments.bucketKey = String(bool(env, 'BUCKET_KEY', true));
  userArguments.strategy = oneOf(env, 'STRATEGY', ['auto', 'copy', 'update'] as const, 'auto');
  if (bool(env, 'DELETE_PRIOR_VERSION', false)) userArguments.deletePriorVersion = 'true';

  const retryBucket = optionalString(env, 'RETRY_MANIFEST_BUCKET');
  const region = optionalString(env, 'COST_REGION') ?? optionalString(env, 'AWS_REGION') ?? 'us-east-1';
  const fallback = optionalString(env, 'COST_FALLBACK_REGION') ?? 'us-east-1';
  if (fallback !== 'none' && !knownPriceRegions().includes(fallback))
    throw new ConfigError(
      `COST_FALLBACK_REGION must be one of ${knownPriceRegions().join(', ')} or none, got "${fallback}"`,
      { variable: 'COST_FALLBACK_REGION' },
    );
  const topicArn = matching(
    env,
    'TOPIC_ARN',
    /^arn:[a-z-]+:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9-_.]+$/,
    'an SNS topic ARN',
  );
  const reportBucket = optionalString(env, 'REPORT_BUCKET');

  return Object.freeze({
    ...(reportBucket ? { reportBucket } : {}),
    reportPrefix: (optionalString(env, 'REPORT_PREFIX') ?? '').replace(/^\/+|\/+$/g, ''),
    ...(accountId ? { accountId } : {}),
    ...(topicArn ? { topicArn } : {}),
    sampleKeys: int(env, 'REPORT_SAMPLE_KEYS', 5, { min: 0, max: 100 }),
    keysEncoded: bool(env, 'REPORT_KEYS_ENCODED', true),
    ...(retryBucket
      ? {
          retryManifest: Object.freeze({
            bucket: retryBucket,
            prefix: optionalString(env, 'RETRY_MANIFEST_PREFIX') ?? 'retries',
          }),
        }
      : {}),
    retry: Object.freeze({
      enabled,
      maxAttempts,
      ...(accountId ? { accountId } : {}),
      ...(roleArn ? { roleArn } : {}),
      ...(functionArn ? { functionArn } : {}),
      userArguments: Object.freeze(userArguments),
      priority: int(env, 'JOB_PRIORITY', 10, { min: 0, max: 2_147_483_647 }),
      confirmationRequired: bool(env, 'CONFIRMATION_REQUIRED', false),
    }),
    cost: Object.freeze({
      region,
      ...(fallback !== 'none' ? { fallbackRegion: fallback } : {}),
      bucketKey: bool(env, 'BUCKET_KEY', true),
      lambda: Object.freeze({
        memoryMb: int(env, 'REENCRYPT_MEMORY_MB', 1024, { min: 128, max: 10_240 }),
        architecture: oneOf(env, 'REENCRYPT_ARCHITECTURE', ['arm64', 'x86_64'] as const, 'arm64'),
      }),
      storageClass: oneOf(
        env,
        'ASSUMED_STORAGE_CLASS',
        Object.values(StorageClasses) as StorageClass[],
        'STANDARD',
      ),
    }),
    claimMs: int(env, 'REPORT_CLAIM_SECONDS', 900, { min: 1, max: 3600 }) * 1000,
    serviceName: optionalString(env, 'POWERTOOLS_SERVICE_NAME') ?? 'completion-report',
  });
}
