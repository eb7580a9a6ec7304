import type { S3Client } from '@aws-sdk/client-s3';
import type { BatchJobs, JobDescription } from '../jobs/port.js';
import type { LoggerPort } from '../observability/logger.js';
import type { RetryOutcome } from './document.js';
import type { ReportLocation } from './location.js';
import type { ReportRead } from './read.js';
import { type RetryJobSettings, retryJobRequest, retryLineage } from './retry-job.js';
import { type WrittenRetryManifest, writeRetryManifests } from './retry-manifest.js';
import type { ReportSource } from './source.js';
import type { JobFacts } from './summary.js';

export interface RetryDeps {
  readonly s3: S3Client;
  readonly source: ReportSource;
  readonly jobs?: BatchJobs;
  readonly logger: LoggerPort;
  readonly settings: {
    readonly keysEncoded: boolean;
    readonly retryManifest?: { readonly bucket: string; readonly prefix: string };
    readonly retry: RetryJobSettings;
  };
}

/**
 * Writes the retry manifest(s) of a report with retryable failures and, when allowed, creates one retry job
 * per manifest: enabled, a Batch client, not a cancelled job, a known attempt number below the bound.
 * The outcome says why no job was created.
 */
export async function planRetries(
  deps: RetryDeps,
  read: ReportRead,
  loc: ReportLocation,
  job: JobFacts,
  desc: JobDescription | undefined,
  accountId: string | undefined,
  digest: string,
): Promise<RetryOutcome> {
  const { s3, source, settings, logger } = deps;
  const r = settings.retry;
  const lineage = retryLineage(loc.jobId, desc?.description);
  const base = {
    eligible: read.summary.tasks.retryable,
    attempt: lineage.attempt,
    maxAttempts: r.maxAttempts,
    rootJobId: lineage.rootJobId,
  };
  if (read.summary.tasks.retryable === 0) return { ...base, manifests: [], jobs: [] };
  const place = settings.retryManifest
    ? {
        bucket: settings.retryManifest.bucket,
        folder: `${settings.retryManifest.prefix.replace(/\/+$/, '')}${settings.retryManifest.prefix ? '/' : ''}job-${loc.jobId}/`,
      }
    : { bucket: loc.bucket, folder: loc.manifestKey.slice(0, -'manifest.json'.length) };
  const manifests: WrittenRetryManifest[] = await writeRetryManifests({
    s3,
    source,
    location: loc,
    files: read.retryFiles,
    place,
    keysEncoded: settings.keysEncoded,
  });
  const skip = (why: string): RetryOutcome => ({ ...base, manifests, jobs: [], skipped: why });
  if (!r.enabled) return skip('retry jobs are not enabled (MAX_RETRY_JOBS is 0)');
  if (!deps.jobs) return skip('no Batch Operations client configured');
  if (job.status === 'Cancelled') return skip('the job was cancelled');
  if (!desc) return skip('the job could not be described, so its retry attempt is unknown');
  if (lineage.attempt >= r.maxAttempts)
    return skip(`retry limit reached (this job is attempt ${lineage.attempt} of ${r.maxAttempts})`);
  const account = accountId ?? r.accountId;
  if (!account || !r.roleArn || !r.functionArn)
    return skip('retry job settings are incomplete (ACCOUNT_ID, BATCH_ROLE_ARN, REENCRYPT_FUNCTION_ARN)');
  const jobs: { jobId: string; manifestKey: string }[] = [];
  for (const m of manifests) {
    const request = retryJobRequest({
      jobId: loc.jobId,
      lineage,
      manifest: m,
      settings: { ...r, accountId: account, roleArn: r.roleArn, functionArn: r.functionArn },
      report: desc.report ?? { bucket: loc.bucket, prefix: loc.prefix },
      digest,
    });
    const { jobId } = await deps.jobs.create(request);
    logger.info('retry job created', {
      jobId,
      parentJobId: loc.jobId,
      attempt: lineage.attempt + 1,
      rows: m.rows,
    });
    jobs.push({ jobId, manifestKey: m.key });
  }
  return { ...base, manifests, jobs };
}
