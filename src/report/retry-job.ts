import { createHash } from 'node:crypto';
import type { CreateJobRequest } from '../jobs/port.js';
import type { WrittenRetryManifest } from './retry-manifest.js';

/** How retry jobs are created (from configuration). */
export interface RetryJobSettings {
  /** Create retry jobs at all (the retry manifest is written either way). */
  readonly enabled: boolean;
  /** Retry jobs per original job, counting every generation (a retry of a retry is attempt 2). */
  readonly maxAttempts: number;
  readonly accountId?: string;
  readonly roleArn?: string;
  readonly functionArn?: string;
  /** Job arguments for the re-encrypt function (targetKeyArn, bucketKey, strategy…); `hints` is set per manifest. */
  readonly userArguments: Readonly<Record<string, string>>;
  readonly priority: number;
  readonly confirmationRequired: boolean;
}

export interface RetryLineage {
  /** Attempt number of the job whose report this is (0 for an original job). */
  readonly attempt: number;
  /** The original job of the chain. */
  readonly rootJobId: string;
}

const DESCRIPTION = /^s3-reencrypt retry (\d+)\/\d+ of job (\S+)/;

/**
 * A retry job's attempt number travels in its Description (DescribeJob returns it; tags need an extra call):
 * `s3-reencrypt retry <n>/<max> of job <root id>`.
 */
export function retryLineage(jobId: string, description: string | undefined): RetryLineage {
  const m = description === undefined ? null : DESCRIPTION.exec(description);
  return m ? { attempt: Number(m[1]), rootJobId: m[2] as string } : { attempt: 0, rootJobId: jobId };
}

export const retryDescription = (attempt: number, max: number, rootJobId: string) =>
  `s3-reencrypt retry ${attempt}/${max} of job ${rootJobId}`.slice(0, 256);

/** CreateJob for one retry manifest; the token makes a second run over the same report a no-op. */
export function retryJobRequest(args: {
  readonly jobId: string;
  readonly lineage: RetryLineage;
  readonly manifest: WrittenRetryManifest;
  readonly settings: RetryJobSettings & { accountId: string; roleArn: string; functionArn: string };
  readonly report: { readonly bucket: string; readonly prefix: string };
  readonly digest: string;
}): CreateJobRequest {
  const { lineage, manifest, settings } = args;
  const attempt = lineage.attempt + 1;
  const { hints: _ignored, ...base } = settings.userArguments;
  const userArguments = manifest.hinted ? { ...base, hints: '1' } : base;
  const token = createHash('sha256')
    .update(`${args.jobId}\n${manifest.bucket}/${manifest.key}\n${args.digest}`)
    .digest('hex')
    .slice(0, 64);
  return {
    accountId: settings.accountId,
    clientRequestToken: token,
    operation: {
      kind: 'LambdaInvoke',
      functionArn: settings.functionArn,
      invocationSchemaVersion: '2.0',
      userArguments,
    },
    manifest: {
      format: 'S3BatchOperations_CSV_20180820',
      bucket: manifest.bucket,
      key: manifest.key,
      etag: manifest.etag,
      fields: manifest.versioned ? ['Bucket', 'Key', 'VersionId'] : ['Bucket', 'Key'],
    },
    report: { bucket: args.report.bucket, prefix: args.report.prefix, scope: 'AllTasks' },
    priority: settings.priority,
    roleArn: settings.roleArn,
    confirmationRequired: settings.confirmationRequired,
    description: retryDescription(attempt, settings.maxAttempts, lineage.rootJobId),
    tags: [
      { key: 's3-reencrypt:retry-of', value: lineage.rootJobId },
      { key: 's3-reencrypt:attempt', value: String(attempt) },
      { key: 's3-reencrypt:parent-job', value: args.jobId },
    ],
  };
}
