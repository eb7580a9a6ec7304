import { DEFAULT_SINGLE_RUN_MAX_BYTES } from '../config/trigger.js';
import { type Preflight, SINGLE_COPY_LIMIT_BYTES } from '../reencrypt/types.js';
import type { CompletionReportSettings } from '../report/process.js';
import type { TriggerSettings } from '../trigger/types.js';
import type { LocalPipelineOptions } from './types.js';

/** Locations and job settings of one run, every default resolved. */
export interface ResolvedPipeline {
  readonly accountId: string;
  readonly region: string;
  readonly targetKeyArn: string;
  readonly bucketKey: boolean;
  readonly strategy: NonNullable<LocalPipelineOptions['strategy']>;
  readonly deletePriorVersion: boolean;
  readonly preflight: Preflight;
  readonly multipartThresholdBytes: number;
  readonly reports: { readonly bucket: string; readonly prefix: string };
  readonly manifests: { readonly bucket: string; readonly prefix: string };
  readonly checkpoints: { readonly bucket: string; readonly prefix: string };
  /** Stand-ins for the AWS resources a job names; the local engine calls the handler whatever they say. */
  readonly roleArn: string;
  readonly functionArn: string;
}

const trim = (p: string | undefined, fallback: string) => (p ?? fallback).replace(/^\/+|\/+$/g, '');

export function resolvePipeline(
  o: LocalPipelineOptions,
  key: { readonly keyArn: string; readonly account: string },
): ResolvedPipeline {
  const threshold = o.multipart?.thresholdBytes ?? SINGLE_COPY_LIMIT_BYTES;
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > SINGLE_COPY_LIMIT_BYTES)
    throw new RangeError(
      `multipart.thresholdBytes must be a whole number of bytes from 1 to 5 GiB, got ${threshold}`,
    );
  const reports = { bucket: o.reports.bucket, prefix: trim(o.reports.prefix, 'reports') };
  const manifests = o.manifests
    ? { bucket: o.manifests.bucket, prefix: trim(o.manifests.prefix, 'manifests') }
    : { bucket: reports.bucket, prefix: 'manifests' };
  const checkpoints = o.checkpoints
    ? { bucket: o.checkpoints.bucket, prefix: trim(o.checkpoints.prefix, 'checkpoints') }
    : { bucket: manifests.bucket, prefix: 'checkpoints' };
  return {
    accountId: key.account,
    region: o.region,
    targetKeyArn: key.keyArn,
    bucketKey: o.bucketKey ?? true,
    strategy: o.strategy ?? 'auto',
    deletePriorVersion: o.deletePriorVersion ?? false,
    preflight: o.preflight ?? 'head',
    multipartThresholdBytes: threshold,
    reports,
    manifests,
    checkpoints,
    roleArn: `arn:aws:iam::${key.account}:role/s3-reencrypt-local`,
    functionArn: `arn:aws:lambda:${o.region}:${key.account}:function:s3-reencrypt-local`,
  };
}

/** What the trigger function's configuration would say, for the local run. */
export function triggerSettingsFor(r: ResolvedPipeline, o: LocalPipelineOptions): TriggerSettings {
  return {
    // Large inventories are split into per-file units filtered in this process (no other invocations to hand them to).
    splitFanOut: 'in-process',
    accountId: r.accountId,
    region: r.region,
    roleArn: r.roleArn,
    functionArn: r.functionArn,
    targetKey: r.targetKeyArn,
    bucketKey: r.bucketKey,
    strategy: r.strategy,
    multipartThresholdBytes: r.multipartThresholdBytes,
    deletePriorVersion: r.deletePriorVersion,
    preflight: r.preflight,
    selection: {
      includePrefixes: [],
      excludePrefixes: [],
      versions: 'current',
      reencryptAllSseKms: false,
      ...o.selection,
    },
    updateAvailable: o.updateRoute === 'enabled',
    // The engine runs Lambda jobs; a native update job would need AWS's own S3UpdateObjectEncryption.
    nativeUpdateJob: false,
    manifests: r.manifests,
    reports: { ...r.reports, scope: 'AllTasks' },
    priority: 10,
    confirmationRequired: false,
    managedBuckets: [],
    singleRunMaxBytes: DEFAULT_SINGLE_RUN_MAX_BYTES,
  };
}

/** The re-encrypt function's job arguments (architecture.md "Job user arguments"). */
export function userArgumentsFor(r: ResolvedPipeline, hints: boolean): Record<string, string> {
  return {
    targetKeyArn: r.targetKeyArn,
    bucketKey: String(r.bucketKey),
    strategy: r.strategy,
    multipartThresholdBytes: String(r.multipartThresholdBytes),
    deletePriorVersion: String(r.deletePriorVersion),
    ...(hints ? { hints: '1' } : {}),
    ...(hints && r.preflight === 'inventory' ? { preflight: 'inventory' } : {}),
  };
}

/** The completion-report function's configuration for the local run: no retry jobs, no notification. */
export function reportSettingsFor(r: ResolvedPipeline, o: LocalPipelineOptions): CompletionReportSettings {
  return {
    reportBucket: r.reports.bucket,
    reportPrefix: r.reports.prefix,
    accountId: r.accountId,
    sampleKeys: 5,
    keysEncoded: true,
    // Retry manifests are still written beside each report; `run --manifest <retry.csv>` runs them.
    retry: { enabled: false, maxAttempts: 0, userArguments: {}, priority: 10, confirmationRequired: false },
    cost: {
      region: r.region,
      fallbackRegion: 'us-east-1',
      bucketKey: r.bucketKey,
      ...(o.multipart?.partSizeBytes ? { multipartPartSizeBytes: o.multipart.partSizeBytes } : {}),
      ...o.cost,
    },
    claimMs: 15 * 60_000,
  };
}
