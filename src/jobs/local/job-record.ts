import type { CreateJobRequest, JobDescription, JobProgress, JobStatus } from '../port.js';

/** The local engine's bookkeeping for one job; `describe()` is a snapshot of it. */
export interface LocalJob {
  readonly id: string;
  readonly accountId: string;
  readonly request: CreateJobRequest;
  readonly fingerprint: string;
  readonly createdAt: Date;
  status: JobStatus;
  terminatedAt?: Date;
  /** Known once Preparing has read the whole manifest. */
  total: number;
  succeeded: number;
  failed: number;
  redrives: number;
  activeSince?: number;
  activeUntil?: number;
  failureReasons: { code: string; reason: string }[];
  statusUpdateReason?: string;
  cancelRequested: boolean;
  thresholdExceeded: boolean;
  readonly abort: AbortController;
  /** Resolved by confirm() or cancel() while the job waits in Suspended. */
  release?: () => void;
  done?: Promise<JobDescription>;
}

export function progressOf(job: LocalJob, now: number): JobProgress {
  const activeMs = job.activeSince === undefined ? undefined : (job.activeUntil ?? now) - job.activeSince;
  return {
    totalTasks: job.total,
    succeeded: job.succeeded,
    failed: job.failed,
    redrives: job.redrives,
    ...(activeMs === undefined ? {} : { elapsedSeconds: Math.floor(activeMs / 1000) }),
  };
}

export function describeJob(job: LocalJob, now: number): JobDescription {
  const r = job.request;
  return {
    jobId: job.id,
    status: job.status,
    ...(r.description !== undefined ? { description: r.description } : {}),
    priority: r.priority,
    creationTime: job.createdAt,
    ...(job.terminatedAt ? { terminationDate: job.terminatedAt } : {}),
    progress: progressOf(job, now),
    failureReasons: job.failureReasons.map((f) => ({ ...f })),
    ...(job.statusUpdateReason ? { statusUpdateReason: job.statusUpdateReason } : {}),
    confirmationRequired: r.confirmationRequired,
    operation: r.operation.kind,
    report: { bucket: r.report.bucket, prefix: r.report.prefix.replace(/\/+$/, '') },
  };
}

/** Key-order-independent JSON, so the same request built twice has one fingerprint. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
