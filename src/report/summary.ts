/** What a completion report says, aggregated. Everything here is derived from the report alone. */
export const SummaryRoutes = ['skip', 'update', 'copy', 'multipart', 'blocked'] as const;
export type SummaryRoute = (typeof SummaryRoutes)[number];

export interface RouteTotals {
  readonly objects: number;
  readonly bytes: number;
  /** Objects whose source was SSE-KMS (a read costs a KMS Decrypt under the old key). */
  readonly sseKmsSources: number;
}

export interface FailureSample {
  /** The real object key (decoded; task hints unwrapped). */
  readonly key: string;
  readonly versionId?: string;
  readonly reason?: string;
  readonly errorCode?: string;
  readonly httpStatus?: number;
}

export interface CauseSummary {
  readonly cause: string;
  readonly count: number;
  readonly bytes: number;
  /** How many of these tasks go to the retry manifest (see retry-policy.ts). */
  readonly retryable: number;
  /** The route each task was attempting, e.g. `{ copy: 3 }`; `failed` when none was chosen. */
  readonly attemptedRoutes: Readonly<Record<string, number>>;
  readonly errorCodes: Readonly<Record<string, number>>;
  readonly samples: readonly FailureSample[];
}

export interface ResultFileSummary {
  readonly key: string;
  readonly status: 'succeeded' | 'failed';
  readonly rows: number;
  readonly md5: string;
}

export interface ReportSummary {
  readonly schema: 's3-reencrypt.summary/1';
  readonly jobId: string;
  readonly report: {
    readonly bucket: string;
    readonly manifestKey: string;
    readonly format: string;
    readonly creationDate: string;
    readonly files: readonly ResultFileSummary[];
  };
  readonly tasks: {
    readonly total: number;
    readonly succeeded: number;
    readonly failed: number;
    /** Failed tasks in the retry manifest. */
    readonly retryable: number;
    /** Tasks that named a version (a versioned bucket). */
    readonly withVersionId: number;
  };
  /** Tasks per data bucket (usually one). */
  readonly dataBuckets: Readonly<Record<string, number>>;
  /** Succeeded tasks by route, plus the blocked ones (failed, counted apart). */
  readonly routes: Readonly<Record<SummaryRoute, RouteTotals>>;
  /** Source encryption as found, over the tasks counted in `routes`. */
  readonly sources: Readonly<Record<string, number>>;
  /** Copies made because the update route was unavailable (`update-unsupported`) or refused. */
  readonly fallbacks: Readonly<Record<string, number>>;
  readonly multipartParts: number;
  readonly deletedPriorVersions: number;
  readonly lambda: {
    /** Invocations, counting the resumes of multipart copies. */
    readonly invocations: number;
    /** Sum of the per-task durations the function reported. */
    readonly taskMs: number;
    readonly maxTaskMs: number;
  };
  readonly failures: {
    readonly total: number;
    readonly retryable: number;
    /** Most frequent first. */
    readonly byCause: readonly CauseSummary[];
  };
}

/** What the job itself says (DescribeJob or the status-change event); not part of the summary digest. */
export interface JobFacts {
  readonly status?: string;
  readonly description?: string;
  readonly failureReasons: readonly { readonly code: string; readonly reason: string }[];
  readonly statusUpdateReason?: string;
  readonly creationTime?: string;
  readonly terminationDate?: string;
  readonly elapsedSeconds?: number;
  readonly totalTasks?: number;
}
