/**
 * The one port for Batch Operations jobs. Adapters: S3ControlJobs (the real S3 Control API) and
 * LocalBatchEngine (runs the same job in-process against any S3 API). Shapes follow aws-facts §2.
 */
export const JobStatuses = {
  New: 'New',
  Preparing: 'Preparing',
  Suspended: 'Suspended',
  Ready: 'Ready',
  Active: 'Active',
  Pausing: 'Pausing',
  Paused: 'Paused',
  Completing: 'Completing',
  Complete: 'Complete',
  Cancelling: 'Cancelling',
  Cancelled: 'Cancelled',
  Failing: 'Failing',
  Failed: 'Failed',
} as const;
export type JobStatus = (typeof JobStatuses)[keyof typeof JobStatuses];
export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set(['Complete', 'Cancelled', 'Failed']);

/** Where the job's task list comes from. `etag` is required by CreateJob (bare hex, no quotes). */
export type JobManifestSpec =
  | {
      readonly format: 'S3BatchOperations_CSV_20180820';
      readonly bucket: string;
      readonly key: string;
      readonly etag: string;
      /** Columns of the CSV, e.g. ['Bucket','Key'] or ['Bucket','Key','VersionId']. */
      readonly fields: readonly ('Bucket' | 'Key' | 'VersionId' | 'Ignore')[];
      readonly versionId?: string;
    }
  | {
      readonly format: 'S3InventoryReport_CSV_20161130';
      readonly bucket: string;
      /** Key of the inventory manifest.json. */
      readonly key: string;
      readonly etag: string;
      readonly versionId?: string;
    };

export type JobOperationSpec =
  | {
      readonly kind: 'LambdaInvoke';
      readonly functionArn: string;
      /** Always 2.0 from the trigger; 1.0 kept for users' existing functions. */
      readonly invocationSchemaVersion: '1.0' | '2.0';
      readonly userArguments?: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: 'S3UpdateObjectEncryption';
      readonly kmsKeyArn: string;
      readonly bucketKeyEnabled: boolean;
    };

export interface CreateJobRequest {
  readonly accountId: string;
  readonly clientRequestToken: string;
  readonly operation: JobOperationSpec;
  readonly manifest: JobManifestSpec;
  readonly report: {
    readonly bucket: string;
    readonly prefix: string;
    readonly scope: 'AllTasks' | 'FailedTasksOnly';
  };
  readonly priority: number;
  readonly roleArn: string;
  readonly confirmationRequired: boolean;
  readonly description?: string;
  readonly tags?: readonly { readonly key: string; readonly value: string }[];
}

export interface JobProgress {
  readonly totalTasks: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly elapsedSeconds?: number;
  /** TemporaryFailure answers that were redriven (local engine only; S3 Control does not report it). */
  readonly redrives?: number;
}

export interface JobDescription {
  readonly jobId: string;
  readonly status: JobStatus;
  readonly description?: string;
  readonly priority?: number;
  readonly creationTime?: Date;
  readonly terminationDate?: Date;
  readonly progress: JobProgress;
  readonly failureReasons: readonly { readonly code: string; readonly reason: string }[];
  readonly statusUpdateReason?: string;
  readonly confirmationRequired?: boolean;
  /** Operation name as S3 Control lists it, e.g. `LambdaInvoke`. */
  readonly operation?: string;
  /** Where the completion report lands: `<bucket>/<prefix>/job-<id>/manifest.json`. */
  readonly report?: { readonly bucket: string; readonly prefix: string };
}

export interface ListJobsFilter {
  readonly statuses?: readonly JobStatus[];
  readonly maxResults?: number;
}

export interface BatchJobs {
  create(request: CreateJobRequest): Promise<{ readonly jobId: string }>;
  describe(accountId: string, jobId: string): Promise<JobDescription>;
  list(accountId: string, filter?: ListJobsFilter): Promise<readonly JobDescription[]>;
  cancel(accountId: string, jobId: string, reason?: string): Promise<void>;
  /** Moves a job waiting for confirmation (Suspended) to Ready. */
  confirm(accountId: string, jobId: string): Promise<void>;
}

/** Completion-report location as AWS writes it (aws-facts §3.2). */
export const reportManifestKey = (prefix: string, jobId: string): string =>
  `${prefix.replace(/\/+$/, '')}${prefix ? '/' : ''}job-${jobId}/manifest.json`;
