import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SelectionOptions } from '../inventory/filter.js';
import type { InventoryStatsJson } from '../inventory/stats.js';
import type { BatchJobs } from '../jobs/port.js';
import type { PlanJob } from '../manifest/plan.js';
import type { CostEstimator } from '../manifest/plan-estimate.js';
import type { LoggerPort } from '../observability/logger.js';
import type { MetricsPort } from '../observability/metrics.js';
import type { Preflight, Strategy } from '../reencrypt/types.js';
import type { FanOut } from './split.js';

/** Everything the trigger needs to know, from configuration (src/config/trigger.ts) or the CLI. */
export interface TriggerSettings {
  readonly accountId: string;
  /** Region of the inventory and source buckets when the event does not say. */
  readonly region: string;
  /** Batch Operations job role. */
  readonly roleArn: string;
  /** The re-encrypt Lambda (ideally a version or alias ARN, aws-facts §1.1). */
  readonly functionArn: string;
  /** Target key as configured: key ARN, key id, `alias/name` or alias ARN; resolved before use. */
  readonly targetKey: string;
  readonly bucketKey: boolean;
  readonly strategy: Strategy;
  readonly multipartThresholdBytes: number;
  readonly deletePriorVersion: boolean;
  /** What hinted copy-route tasks look at before copying (job argument `preflight`; absent = head). */
  readonly preflight?: Preflight;
  readonly selection: Pick<
    SelectionOptions,
    | 'includePrefixes'
    | 'excludePrefixes'
    | 'minSizeBytes'
    | 'maxSizeBytes'
    | 'versions'
    | 'reencryptAllSseKms'
  >;
  /** The S3 endpoint implements UpdateObjectEncryption (false for moto and most S3-compatible stores). */
  readonly updateAvailable: boolean;
  /** Send update-route objects to a native S3UpdateObjectEncryption job; the rest to the Lambda job. */
  readonly nativeUpdateJob: boolean;
  readonly manifests: { readonly bucket: string; readonly prefix: string };
  readonly reports: {
    readonly bucket: string;
    readonly prefix: string;
    readonly scope: 'AllTasks' | 'FailedTasksOnly';
  };
  readonly priority: number;
  readonly confirmationRequired: boolean;
  /** Source buckets the trigger may act on; empty means any. */
  readonly managedBuckets: readonly string[];
  /** Compressed inventory bytes one run filters within its time budget; above it the run is split by data file. */
  readonly singleRunMaxBytes: number;
  /**
   * Where the parts of a split run are filtered: `in-process` (default; bounded concurrency in this run) or
   * `s3-tasks` (one invocation per data file through task objects; needs an S3 notification on
   * `<manifest prefix>/.../parts/<n>/task.json` to this function).
   */
  readonly splitFanOut?: 'in-process' | 's3-tasks';
}

export interface TriggerDeps {
  readonly s3: S3Client;
  /** KMS client in the buckets' Region. */
  readonly kms: KMSClient;
  readonly jobs: BatchJobs;
  readonly logger: LoggerPort;
  readonly metrics: MetricsPort;
  readonly now?: () => Date;
  /** Cost model for plan.json; defaults to the plain KMS request estimate. */
  readonly estimate?: CostEstimator;
  /**
   * Runs per-file units for inventories above `singleRunMaxBytes`: in process by default, or one
   * invocation per data file with `s3TaskFanOut`.
   */
  readonly fanOut?: FanOut;
}

export type InventoryOutcome =
  | {
      readonly status: 'jobs-created' | 'existing-jobs';
      readonly planKey: string;
      readonly jobs: readonly PlanJob[];
      readonly stats: InventoryStatsJson;
    }
  | {
      /** Nothing needs work (`compliant`), or only objects the pipeline cannot change (`blocked-only`). */
      readonly status: 'compliant' | 'blocked-only';
      readonly planKey: string;
      readonly stats: InventoryStatsJson;
    }
  | {
      /** The run was split and its data files handed to other invocations; the last one creates the jobs. */
      readonly status: 'split-dispatched';
      readonly planKey: string;
      readonly parts: number;
    }
  | {
      /** One data file of a split run filtered; other parts are still running. */
      readonly status: 'part-done';
      readonly planKey: string;
      readonly fileIndex: number;
      readonly partsDone: number;
      readonly parts: number;
    }
  | { readonly status: 'ignored'; readonly reason: string; readonly bucket?: string; readonly key?: string };
