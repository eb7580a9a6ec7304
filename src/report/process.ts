import { createHash } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CostError } from '../cost/errors.js';
import type { BatchJobs, JobDescription } from '../jobs/port.js';
import { TERMINAL_STATUSES } from '../jobs/port.js';
import type { Notifier } from '../notify/port.js';
import type { LoggerPort } from '../observability/logger.js';
import type { MetricsPort } from '../observability/metrics.js';
import { estimatedKmsRequests, type RunCostSettings, runCost } from './cost.js';
import { summaryDigest } from './digest.js';
import type { RetryOutcome, SummaryDocument } from './document.js';
import { ReportEventError, ReportNotFoundError } from './errors.js';
import type { ReportTrigger } from './events.js';
import { locationFor, type ReportLocation, summaryJsonKey, summaryMarkdownKey } from './location.js';
import { emitReportMetrics } from './metrics.js';
import { type ReportRead, summariseReport } from './read.js';
import { headline, notificationText, renderSummaryMarkdown } from './render.js';
import { planRetries } from './retry.js';
import type { RetryJobSettings } from './retry-job.js';
import { type ReportSource, S3ReportSource } from './source.js';
import type { JobFacts } from './summary.js';
import { ClaimLost, readSummaryDocument, writeSummaryDocument } from './summary-store.js';

export interface CompletionReportSettings {
  /** Where job-status events look for reports when DescribeJob cannot say. */
  readonly reportBucket?: string;
  readonly reportPrefix: string;
  readonly accountId?: string;
  readonly sampleKeys: number;
  readonly keysEncoded: boolean;
  /** Retry manifests go to `<prefix>/job-<id>/` here; default: beside the report. */
  readonly retryManifest?: { readonly bucket: string; readonly prefix: string };
  readonly retry: RetryJobSettings;
  readonly cost: RunCostSettings;
  /** How long one invocation's claim on a report holds before another may take over (ms). */
  readonly claimMs: number;
}

export interface CompletionReportDeps {
  readonly s3: S3Client;
  readonly settings: CompletionReportSettings;
  readonly metrics: MetricsPort;
  readonly logger: LoggerPort;
  readonly notifier?: Notifier;
  readonly jobs?: BatchJobs;
  /** Defaults to the report objects in S3 through `s3`. */
  readonly source?: ReportSource;
  readonly now?: () => number;
}

export type ReportOutcome =
  | {
      readonly status: 'summarised';
      readonly jobId: string;
      readonly summaryKey: string;
      readonly headline: string;
      readonly notified: boolean;
      readonly retryJobIds: readonly string[];
      readonly document: SummaryDocument;
    }
  | {
      /** The same report was summarised and notified before. */
      readonly status: 'unchanged';
      readonly jobId: string;
      readonly summaryKey: string;
    }
  | {
      /** Another invocation holds the claim on this report. */
      readonly status: 'in-progress';
      readonly jobId: string;
      readonly summaryKey: string;
    };

function jobFacts(desc: JobDescription | undefined, trigger: ReportTrigger): JobFacts {
  const ev = trigger.kind === 'job-status' ? trigger : undefined;
  const fromEvent =
    ev?.failureCodes.map((code, i) => ({ code, reason: ev.statusChangeReason[i] ?? '' })) ?? [];
  const status = desc && TERMINAL_STATUSES.has(desc.status) ? desc.status : (ev?.status ?? desc?.status);
  const reason =
    desc?.statusUpdateReason ??
    (ev && ev.statusChangeReason.length > ev.failureCodes.length
      ? ev.statusChangeReason.join('; ')
      : undefined);
  return {
    ...(status ? { status } : {}),
    ...(desc?.description ? { description: desc.description } : {}),
    failureReasons: desc?.failureReasons.length ? desc.failureReasons.map((f) => ({ ...f })) : fromEvent,
    ...(reason ? { statusUpdateReason: reason } : {}),
    ...(desc?.creationTime ? { creationTime: desc.creationTime.toISOString() } : {}),
    ...(desc?.terminationDate ? { terminationDate: desc.terminationDate.toISOString() } : {}),
    ...(desc?.progress.elapsedSeconds !== undefined ? { elapsedSeconds: desc.progress.elapsedSeconds } : {}),
    ...(desc ? { totalTasks: desc.progress.totalTasks } : {}),
  };
}

/**
 * The completion-report use case: read and verify the report, summarise it, write summary.json and
 * summary.md beside it and the retry manifest(s), create bounded retry jobs, notify once, emit metrics.
 * A report that cannot be read exactly throws before anything is written or published.
 */
export function makeCompletionReport(deps: CompletionReportDeps) {
  const { s3, settings, logger } = deps;
  const source = deps.source ?? new S3ReportSource(s3);
  const now = deps.now ?? Date.now;

  async function describe(jobId: string, accountId: string | undefined): Promise<JobDescription | undefined> {
    if (!deps.jobs || !accountId) return undefined;
    try {
      return await deps.jobs.describe(accountId, jobId);
    } catch (e) {
      logger.warn('DescribeJob failed; continuing with what the report says', { jobId, error: String(e) });
      return undefined;
    }
  }

  function locate(trigger: ReportTrigger, desc: JobDescription | undefined): ReportLocation {
    if (trigger.kind === 'report-object') return trigger.location;
    if (desc?.report) return locationFor(desc.report.bucket, desc.report.prefix, trigger.jobId);
    if (settings.reportBucket)
      return locationFor(settings.reportBucket, settings.reportPrefix, trigger.jobId);
    throw new ReportEventError(
      `cannot tell where job ${trigger.jobId}'s report is: configure REPORT_BUCKET or let the handler call DescribeJob`,
    );
  }

  return async function processReport(trigger: ReportTrigger): Promise<ReportOutcome> {
    const jobId = trigger.kind === 'job-status' ? trigger.jobId : trigger.location.jobId;
    const accountId = (trigger.kind === 'job-status' ? trigger.accountId : undefined) ?? settings.accountId;
    const desc = await describe(jobId, accountId);
    const loc = locate(trigger, desc);
    const job = jobFacts(desc, trigger);

    let read: ReportRead | undefined;
    try {
      read = await summariseReport(source, loc, {
        sampleKeys: settings.sampleKeys,
        keysEncoded: settings.keysEncoded,
      });
    } catch (e) {
      // Batch writes no report when no task ran: a failed or cancelled job is still worth telling about.
      const noReport = e instanceof ReportNotFoundError && e.key === loc.manifestKey;
      if (!(noReport && trigger.kind === 'job-status' && trigger.status !== 'Complete')) throw e;
      logger.warn('job ended without a completion report', { jobId, status: trigger.status });
    }
    const digest = read
      ? summaryDigest(read.summary)
      : `sha256:${createHash('sha256')
          .update(`no-report\n${jobId}\n${job.status ?? ''}`)
          .digest('hex')}`;
    const summaryKey = summaryJsonKey(loc);

    const existing = await readSummaryDocument(s3, loc.bucket, summaryKey);
    if (existing?.doc?.digest === digest) {
      if (existing.doc.state === 'done') {
        logger.info('report already summarised; not notifying again', { jobId, summaryKey });
        return { status: 'unchanged', jobId, summaryKey };
      }
      if (existing.doc.claimedUntil && Date.parse(existing.doc.claimedUntil) > now()) {
        logger.info('another invocation is summarising this report', { jobId, summaryKey });
        return { status: 'in-progress', jobId, summaryKey };
      }
    }

    const base = {
      schema: 's3-reencrypt.summary-document/1' as const,
      jobId,
      digest,
      job,
      ...(read ? { summary: read.summary } : {}),
    };
    const pendingRetry: RetryOutcome = {
      eligible: read?.summary.tasks.retryable ?? 0,
      attempt: 0,
      maxAttempts: settings.retry.maxAttempts,
      rootJobId: jobId,
      manifests: [],
      jobs: [],
    };
    const claim: SummaryDocument = {
      ...base,
      state: 'claimed',
      claimedUntil: new Date(now() + settings.claimMs).toISOString(),
      headline: headline(base),
      retry: pendingRetry,
      notification: { status: 'pending' },
      processedAt: new Date(now()).toISOString(),
    };
    let etag: string;
    try {
      etag = await writeSummaryDocument(
        s3,
        loc.bucket,
        summaryKey,
        claim,
        existing ? { ifMatch: existing.etag } : { ifNoneMatch: '*' },
      );
    } catch (e) {
      if (e instanceof ClaimLost) return { status: 'in-progress', jobId, summaryKey };
      throw e;
    }

    try {
      let cost: SummaryDocument['cost'];
      if (read) {
        try {
          cost = runCost(read.summary, settings.cost);
        } catch (e) {
          if (!(e instanceof CostError)) throw e;
          logger.warn('run cost not estimated', { jobId, error: e.message });
          cost = { error: e.message };
        }
      }
      const retryOutcome = read
        ? await planRetries(
            { s3, source, logger, settings, ...(deps.jobs ? { jobs: deps.jobs } : {}) },
            read,
            loc,
            job,
            desc,
            accountId,
            digest,
          )
        : pendingRetry;
      const draft: SummaryDocument = {
        ...base,
        state: 'done',
        headline: headline(base),
        ...(cost ? { cost } : {}),
        retry: retryOutcome,
        notification: { status: deps.notifier ? 'sent' : 'not-configured' },
        processedAt: new Date(now()).toISOString(),
      };
      await s3.send(
        new PutObjectCommand({
          Bucket: loc.bucket,
          Key: summaryMarkdownKey(loc),
          Body: renderSummaryMarkdown(draft),
          ContentType: 'text/markdown; charset=utf-8',
        }),
      );
      let messageId: string | undefined;
      if (deps.notifier) {
        const out = await deps.notifier.publish({
          subject: draft.headline,
          message: notificationText(draft, `s3://${loc.bucket}/${summaryMarkdownKey(loc)}`),
          attributes: {
            jobId,
            status: job.status ?? 'unknown',
            failedTasks: String(read?.summary.tasks.failed ?? 0),
          },
        });
        messageId = out.messageId;
      }
      const doc: SummaryDocument = {
        ...draft,
        notification: { ...draft.notification, ...(messageId ? { messageId } : {}) },
      };
      await writeSummaryDocument(s3, loc.bucket, summaryKey, doc, { ifMatch: etag });
      if (read)
        emitReportMetrics(deps.metrics, read.summary, {
          dataBuckets: Object.keys(read.summary.dataBuckets),
          ...(cost && 'withBucketKeys' in cost ? { estimatedKmsRequests: estimatedKmsRequests(cost) } : {}),
        });
      logger.info('report summarised', { jobId, summaryKey, headline: doc.headline });
      return {
        status: 'summarised',
        jobId,
        summaryKey,
        headline: doc.headline,
        notified: messageId !== undefined || deps.notifier !== undefined,
        retryJobIds: retryOutcome.jobs.map((j) => j.jobId),
        document: doc,
      };
    } catch (e) {
      // Give the claim up so a retry of this invocation does not wait for it to expire.
      await writeSummaryDocument(
        s3,
        loc.bucket,
        summaryKey,
        { ...claim, claimedUntil: new Date(0).toISOString() },
        { ifMatch: etag },
      ).catch(() => undefined);
      throw e;
    }
  };
}
