import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type JobDescription, reportManifestKey } from '../jobs/port.js';
import type { SummaryDocument } from '../report/document.js';
import { parseReportEvent, type ReportTrigger } from '../report/events.js';
import { locationFromManifestKey, summaryJsonKey } from '../report/location.js';
import type { ReportOutcome } from '../report/process.js';
import { jobStatusChangedEvent, s3ObjectCreatedEvent } from './events.js';
import type { ResolvedPipeline } from './settings.js';

type ProcessReport = (trigger: ReportTrigger) => Promise<ReportOutcome>;

const isMissing = (e: unknown) => {
  const x = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return x?.name === 'NotFound' || x?.name === 'NoSuchKey' || x?.$metadata?.httpStatusCode === 404;
};

async function headOrUndefined(s3: S3Client, bucket: string, key: string) {
  try {
    return await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

async function readSummary(s3: S3Client, bucket: string, key: string): Promise<SummaryDocument | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse((await out.Body?.transformToString('utf-8')) ?? '') as SummaryDocument;
  } catch (e) {
    if (isMissing(e) || e instanceof SyntaxError) return undefined;
    throw e;
  }
}

export interface ReportStepResult {
  readonly report?: { readonly bucket: string; readonly manifestKey: string };
  readonly reportOutcome?: ReportOutcome['status'];
  readonly summary?: SummaryDocument;
}

/**
 * Hands a finished job to the completion-report use case the way AWS does: the S3 notification for the
 * report's manifest.json when the engine wrote one, otherwise the job-status event (a job that ran no task
 * has no report). Both go through the report function's own event parser.
 */
export async function reportJob(
  s3: S3Client,
  processReport: ProcessReport,
  r: ResolvedPipeline,
  jobId: string,
  description: JobDescription | undefined,
): Promise<ReportStepResult> {
  const where = description?.report ?? r.reports;
  const manifestKey = reportManifestKey(where.prefix, jobId);
  const head = await headOrUndefined(s3, where.bucket, manifestKey);
  // A job that ran no task has no report; only a failed or cancelled one is still worth a summary.
  if (!head && (!description || description.status === 'Complete')) return {};
  const event = head
    ? s3ObjectCreatedEvent({
        bucket: where.bucket,
        key: manifestKey,
        size: head.ContentLength ?? 0,
        etag: head.ETag ?? '',
        region: r.region,
      })
    : jobStatusChangedEvent({
        jobId,
        accountId: r.accountId,
        region: r.region,
        status: description!.status,
        failureCodes: description!.failureReasons.map((f) => f.code),
        statusChangeReason: description!.failureReasons.map((f) => f.reason),
      });
  const { triggers } = parseReportEvent(event);
  let outcome: ReportOutcome | undefined;
  for (const t of triggers) outcome = await processReport(t);
  if (!outcome) return head ? { report: { bucket: where.bucket, manifestKey } } : {};
  const loc = locationFromManifestKey(where.bucket, manifestKey);
  const summary =
    outcome.status === 'summarised'
      ? outcome.document
      : loc
        ? await readSummary(s3, where.bucket, summaryJsonKey(loc))
        : undefined;
  return {
    ...(head ? { report: { bucket: where.bucket, manifestKey } } : {}),
    reportOutcome: outcome.status,
    ...(summary ? { summary } : {}),
  };
}
