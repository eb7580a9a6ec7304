import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { CostEstimate } from '../cost/line-item.js';
import type { LocalBatchEngineOptions, LocalJobEvent } from '../jobs/local-engine.js';
import type { JobDescription } from '../jobs/port.js';
import type { PlanDocument } from '../manifest/plan.js';
import type { LoggerPort } from '../observability/logger.js';
import type { MetricsPort } from '../observability/metrics.js';
import type { Preflight, Strategy } from '../reencrypt/types.js';
import type { RunCostSettings } from '../report/cost.js';
import type { SummaryDocument } from '../report/document.js';
import type { ReportOutcome } from '../report/process.js';
import type { RouteTotals, SummaryRoute } from '../report/summary.js';
import type { TriggerSettings } from '../trigger/types.js';

export interface LocalPipelineDeps {
  /** Reads inventories and objects, writes manifests, reports and the re-encrypted objects. */
  readonly s3: S3Client;
  /** KMS in the buckets' Region (DescribeKey of the target key). */
  readonly kms: KMSClient;
  readonly logger?: LoggerPort;
  readonly metrics?: MetricsPort;
}

/** Where the work comes from. */
export type PipelineSource =
  /** An S3 Inventory delivery: `s3://<bucket>/<prefix>/<source-bucket>/<config-id>/<YYYY-MM-DDTHH-MMZ>/manifest.json`. */
  | { readonly kind: 'inventory'; readonly uri: string }
  /** The S3 notification or EventBridge event the trigger function would receive. */
  | { readonly kind: 'event'; readonly event: unknown }
  /** A Batch CSV manifest in S3 (`Bucket,Key[,VersionId]`, keys URL-encoded; task-hints keys are detected). */
  | { readonly kind: 'csv'; readonly uri: string }
  /** The same CSV as a local file; it is uploaded to the manifests location first (Batch reads manifests from S3). */
  | { readonly kind: 'csv-file'; readonly path: string };

export interface PipelineLocation {
  readonly bucket: string;
  /** Key prefix without a trailing slash. */
  readonly prefix?: string;
}

export interface LocalPipelineOptions {
  readonly source: PipelineSource;
  /** Key ARN, key id, `alias/name` or alias ARN; resolved with DescribeKey before anything is written. */
  readonly targetKey: string;
  /** Region of the buckets and the key. */
  readonly region: string;
  /** `enabled` only where S3 implements UpdateObjectEncryption (see updateRouteFor in src/reencrypt). */
  readonly updateRoute: 'enabled' | 'disabled';
  /** Wanted Bucket Key state (default true). */
  readonly bucketKey?: boolean;
  readonly strategy?: Strategy;
  readonly deletePriorVersion?: boolean;
  /** What hinted copy-route tasks look at before copying (default head; see `Preflights`). */
  readonly preflight?: Preflight;
  /** Inventory filters (default: current versions, no prefixes, no key rotation). */
  readonly selection?: Partial<TriggerSettings['selection']>;
  /** Tasks in flight at once (default 16). */
  readonly concurrency?: number;
  readonly multipart?: {
    /** Copy-route size above which multipart copy is used (default and maximum 5 GiB). */
    readonly thresholdBytes?: number;
    /** Preferred part size (5 MiB–5 GiB, default 512 MiB). */
    readonly partSizeBytes?: number;
    /** Part copies in flight per object (default 8). */
    readonly concurrency?: number;
    /** Stop launching parts with less than this left in the (simulated) invocation (default 60 s). */
    readonly safetyMarginMs?: number;
  };
  /** Completion reports: `<bucket>/<prefix>/job-<id>/` (prefix default `reports`). */
  readonly reports: PipelineLocation;
  /** Batch manifests, plan.json, uploaded CSV files (default: the reports bucket, prefix `manifests`). */
  readonly manifests?: PipelineLocation;
  /** Multipart checkpoints (default: the manifests bucket, prefix `checkpoints`). */
  readonly checkpoints?: PipelineLocation;
  /** Cost model settings for the run's summary (Region and Bucket Key come from above). */
  readonly cost?: Partial<RunCostSettings>;
  /** Engine behaviour: a simulated function timeout and clock (tests), redrive policy. */
  readonly engine?: Pick<
    LocalBatchEngineOptions,
    'functionTimeoutMs' | 'enforceTimeout' | 'redrive' | 'failureThreshold' | 'now' | 'sleep' | 'random'
  >;
  /** Stage changes and every task outcome, e.g. for a progress bar. Must be cheap; errors are ignored. */
  readonly onProgress?: (event: PipelineEvent) => void;
  /** Aborting cancels the running jobs (tasks in flight finish and are reported). */
  readonly signal?: AbortSignal;
}

export const PipelineStages = {
  key: 'key',
  trigger: 'trigger',
  jobs: 'jobs',
  report: 'report',
} as const;
export type PipelineStage = (typeof PipelineStages)[keyof typeof PipelineStages];

export type PipelineEvent =
  | { readonly type: 'stage'; readonly stage: PipelineStage; readonly message: string }
  | LocalJobEvent;

/** One job the run created (or found from an earlier delivery) and what its report says. */
export interface PipelineJob {
  readonly jobId: string;
  /** `csv` for a job over a given CSV manifest; otherwise the trigger's job kind. */
  readonly kind: 'lambda-hinted' | 'lambda-plain' | 'update' | 'csv';
  readonly manifest: { readonly bucket: string; readonly key: string };
  /** Final state; absent for a job created by an earlier run (`already-processed`). */
  readonly description?: JobDescription;
  /** The completion report's manifest.json; absent when the job ran no task. */
  readonly report?: { readonly bucket: string; readonly manifestKey: string };
  /** What the completion-report use case did with it. */
  readonly reportOutcome?: ReportOutcome['status'];
  /** summary.json as written beside the report. */
  readonly summary?: SummaryDocument;
}

export interface PipelineTotals {
  readonly tasks: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Failed tasks worth running again (written to retry manifests beside the reports). */
  readonly retryable: number;
  /** From the reports: succeeded tasks by route, and the tasks blocked by the per-object function. */
  readonly routes: Readonly<Record<SummaryRoute, RouteTotals>>;
  readonly failuresByCause: Readonly<Record<string, number>>;
  /** Objects the trigger found it cannot change (archived, SSE-C, …); no task was created for them. */
  readonly blockedBeforeJob: number;
  readonly redrives: number;
}

export interface BlockedObject {
  readonly key: string;
  readonly versionId?: string;
  readonly reason: string;
}

export type PipelineStatus =
  /** Jobs ran (check `totals.failed`). */
  | 'completed'
  /** Nothing needs work. */
  | 'compliant'
  /** Only objects the pipeline cannot change need work; no job was created. */
  | 'blocked-only'
  /** This inventory delivery already has its jobs (a redelivered event); none was created. */
  | 'already-processed'
  /** Interrupted through the AbortSignal: the jobs were cancelled and their partial reports summarised. */
  | 'cancelled';

export interface LocalPipelineResult {
  readonly status: PipelineStatus;
  readonly targetKeyArn: string;
  /** The key's account; local jobs are filed under it. */
  readonly accountId: string;
  /** plan.json of an inventory run. */
  readonly plan?: { readonly bucket: string; readonly key: string; readonly document: PlanDocument };
  /** The cost model over the plan (before the run); absent for CSV runs or when it cannot be priced. */
  readonly planCost?: CostEstimate;
  /** First rows of blocked.csv (the plan has the full counts). */
  readonly blocked: readonly BlockedObject[];
  readonly jobs: readonly PipelineJob[];
  readonly totals: PipelineTotals;
}
