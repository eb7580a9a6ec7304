import type { Preflight, Strategy, TargetEncryption } from '../reencrypt/types.js';
import { SINGLE_COPY_LIMIT_BYTES } from '../reencrypt/types.js';
import { bool, type Env, int, oneOf, optionalString } from './env.js';
import { ConfigError } from './errors.js';
import { parseKmsKeyArn } from './kms-arn.js';

/**
 * Settings of the per-object re-encrypt function, read once per container. With invocation schema 2.0
 * the job's userArguments override the job-level ones; with schema 1.0 these are the only source.
 */
export interface ReencryptConfig {
  /** TARGET_KEY_ARN + BUCKET_KEY; absent when jobs always pass targetKeyArn (schema 2.0). */
  readonly target?: TargetEncryption;
  readonly bucketKey: boolean;
  readonly strategy: Strategy;
  readonly multipartThresholdBytes: number;
  readonly deletePriorVersion: boolean;
  /** PREFLIGHT for schema 1.0 jobs (see `Preflights`); schema 2.0 jobs pass `preflight`. */
  readonly preflight: Preflight;
  /**
   * Send UpdateObjectEncryption to a custom S3 endpoint. Off by default: moto treats the request as a
   * PutObject and overwrites the object with the request body (testing.md).
   */
  readonly allowUpdateOnCustomEndpoint: boolean;
  /** Where the multipart copier keeps resumable progress; without a bucket, multipart copy is off. */
  readonly checkpoints?: { readonly bucket: string; readonly prefix: string };
  /** Tasks of one invocation worked on at once (Batch sends one; the local engine may send more). */
  readonly taskConcurrency: number;
  /** A task is not started with less than this left in the invocation; it is answered TemporaryFailure. */
  readonly deadlineMarginMs: number;
  readonly serviceName: string;
}

const MAX_OBJECT_BYTES = 50 * 1024 ** 4;

export function loadReencryptConfig(env: Env): ReencryptConfig {
  const bucketKey = bool(env, 'BUCKET_KEY', true);
  const keyArn = optionalString(env, 'TARGET_KEY_ARN');
  if (keyArn !== undefined) {
    try {
      parseKmsKeyArn(keyArn, 'TARGET_KEY_ARN');
    } catch (cause) {
      throw new ConfigError((cause as Error).message, { variable: 'TARGET_KEY_ARN' }, { cause });
    }
  }
  const checkpointBucket = optionalString(env, 'CHECKPOINT_BUCKET');
  const prefix = optionalString(env, 'CHECKPOINT_PREFIX') ?? 'reencrypt-checkpoints/';
  return Object.freeze({
    ...(keyArn !== undefined ? { target: Object.freeze({ keyArn, bucketKey }) } : {}),
    bucketKey,
    strategy: oneOf(env, 'STRATEGY', ['auto', 'copy', 'update'] as const, 'auto'),
    multipartThresholdBytes: int(env, 'MULTIPART_THRESHOLD_BYTES', SINGLE_COPY_LIMIT_BYTES, {
      min: 1,
      max: MAX_OBJECT_BYTES,
    }),
    deletePriorVersion: bool(env, 'DELETE_PRIOR_VERSION', false),
    preflight: oneOf(env, 'PREFLIGHT', ['head', 'inventory'] as const, 'head'),
    allowUpdateOnCustomEndpoint: bool(env, 'ALLOW_UPDATE_ON_CUSTOM_ENDPOINT', false),
    ...(checkpointBucket !== undefined
      ? { checkpoints: Object.freeze({ bucket: checkpointBucket, prefix }) }
      : {}),
    taskConcurrency: int(env, 'TASK_CONCURRENCY', 4, { min: 1, max: 64 }),
    deadlineMarginMs: int(env, 'DEADLINE_MARGIN_MS', 15_000, { min: 0, max: 600_000 }),
    serviceName: optionalString(env, 'POWERTOOLS_SERVICE_NAME') ?? 's3-reencrypt',
  });
}
