import type { CostEstimate } from '../cost/line-item.js';
import type { WrittenRetryManifest } from './retry-manifest.js';
import type { JobFacts, ReportSummary } from './summary.js';

export interface RetryOutcome {
  /** Failed tasks worth retrying (the retry manifests' rows). */
  readonly eligible: number;
  /** Attempt number of this job (0 = the original job). */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly rootJobId: string;
  readonly manifests: readonly WrittenRetryManifest[];
  readonly jobs: readonly { readonly jobId: string; readonly manifestKey: string }[];
  /** Why no retry job was created although some tasks are worth retrying. */
  readonly skipped?: string;
}

/**
 * summary.json. `state` makes processing idempotent across the two events that announce one report:
 * `claimed` while one invocation works on it (until `claimedUntil`), `done` once the notification is out.
 */
export interface SummaryDocument {
  readonly schema: 's3-reencrypt.summary-document/1';
  readonly jobId: string;
  /** summaryDigest() of `summary` (or of the job status when there is no report). */
  readonly digest: string;
  readonly state: 'claimed' | 'done';
  readonly claimedUntil?: string;
  readonly headline: string;
  readonly job: JobFacts;
  /** Absent when the job ended without a completion report. */
  readonly summary?: ReportSummary;
  readonly cost?: CostEstimate | { readonly error: string };
  readonly retry: RetryOutcome;
  readonly notification: {
    readonly status: 'sent' | 'not-configured' | 'pending';
    readonly messageId?: string;
  };
  readonly processedAt: string;
}
