import { type JobDescription, type JobStatus, JobStatuses, TERMINAL_STATUSES } from '../jobs/port.js';
import { readPlan } from '../manifest/plan.js';
import { MetricNames } from '../observability/metrics.js';
import { processInventory, runPrefix } from '../trigger/run.js';
import type { InventoryOutcome, TriggerDeps, TriggerSettings } from '../trigger/types.js';
import { newestDeliveries } from './newest-inventory.js';

export interface ScheduledSettings {
  readonly trigger: TriggerSettings;
  /** Where S3 Inventory delivers: bucket and destination prefix ('' for none). */
  readonly inventory: { readonly bucket: string; readonly prefix: string };
  /** Source buckets to look after (the deployment's managed buckets). */
  readonly sourceBuckets: readonly string[];
}

export interface BucketCheck {
  readonly sourceBucket: string;
  readonly configId: string;
  readonly manifestKey: string;
  readonly outcome: InventoryOutcome['status'];
  /** Objects the pipeline could fix that the newest inventory still lists as not compliant. */
  readonly nonCompliant: number;
  /** Objects that cannot be re-encrypted as they are (archived, SSE-C, ...). */
  readonly blocked: number;
  /** nonCompliant, when the newest inventory was taken after every job of the previous delivery completed. */
  readonly driftAfterCompletedRun?: number;
  readonly error?: string;
}

export interface ScheduledOutcome {
  readonly buckets: readonly BucketCheck[];
  readonly runningJobs: readonly {
    readonly jobId: string;
    readonly status: JobStatus;
    readonly percent: number;
  }[];
}

const RUNNING: readonly JobStatus[] = [
  JobStatuses.New,
  JobStatuses.Preparing,
  JobStatuses.Suspended,
  JobStatuses.Ready,
  JobStatuses.Active,
  JobStatuses.Pausing,
  JobStatuses.Paused,
  JobStatuses.Completing,
];

const percentDone = (j: JobDescription): number =>
  j.progress.totalTasks > 0
    ? Math.min(100, ((j.progress.succeeded + j.progress.failed) / j.progress.totalTasks) * 100)
    : 0;

/**
 * The scheduled sweep: processes the newest inventory of each bucket when no job was made for it
 * (a missed event; the trigger is idempotent, so a seen delivery creates nothing), publishes drift,
 * and publishes the progress of running jobs. One bucket's failure does not stop the others.
 */
export async function runScheduled(
  deps: TriggerDeps,
  settings: ScheduledSettings,
): Promise<ScheduledOutcome> {
  const buckets: BucketCheck[] = [];
  for (const sourceBucket of settings.sourceBuckets) {
    const deliveries = await newestDeliveries(
      deps.s3,
      settings.inventory.bucket,
      settings.inventory.prefix,
      sourceBucket,
    );
    if (deliveries.length === 0) deps.logger.warn('no inventory delivery found for bucket', { sourceBucket });
    for (const d of deliveries) {
      try {
        buckets.push(await checkDelivery(deps, settings, d));
      } catch (e) {
        deps.logger.error('scheduled check failed for an inventory delivery', {
          sourceBucket,
          manifestKey: d.manifestKey,
          error: (e as Error).message,
        });
        buckets.push({
          sourceBucket,
          configId: d.location.configId,
          manifestKey: d.manifestKey,
          outcome: 'ignored',
          nonCompliant: 0,
          blocked: 0,
          error: (e as Error).message,
        });
      }
    }
  }
  const running = await deps.jobs.list(settings.trigger.accountId, { statuses: RUNNING });
  const runningJobs = running.map((j) => ({ jobId: j.jobId, status: j.status, percent: percentDone(j) }));
  for (const j of runningJobs)
    deps.metrics.add(MetricNames.JobProgressPercent, 'Percent', j.percent, { JobId: j.jobId });
  return { buckets, runningJobs };
}

async function checkDelivery(
  deps: TriggerDeps,
  settings: ScheduledSettings,
  d: Awaited<ReturnType<typeof newestDeliveries>>[number],
): Promise<BucketCheck> {
  const outcome = await processInventory(deps, settings.trigger, {
    kind: 'manifest',
    ref: { bucket: settings.inventory.bucket, key: d.manifestKey },
    location: d.location,
  });
  const base = {
    sourceBucket: d.location.sourceBucket,
    configId: d.location.configId,
    manifestKey: d.manifestKey,
    outcome: outcome.status,
  };
  // A split run finishes in other invocations; its counts are published when its jobs are made.
  if (!('stats' in outcome)) return { ...base, nonCompliant: 0, blocked: 0 };
  const r = outcome.stats.byRoute;
  const nonCompliant = r.update.objects + r.copy.objects + r.multipart.objects;
  const check: BucketCheck = { ...base, nonCompliant, blocked: r.blocked.objects };
  const completedBefore = d.previous
    ? await previousRunCompleted(deps, settings, d.previous, d.location.timestamp)
    : false;
  if (!completedBefore) return check;
  // Alarmed: the previous delivery's jobs all completed before this inventory was taken, yet objects
  // the pipeline can fix are still not compliant — new writes bypass the key (run `enforce`).
  deps.metrics.add(MetricNames.DriftAfterCompletedRun, 'Count', nonCompliant);
  return { ...check, driftAfterCompletedRun: nonCompliant };
}

/** Inventory folder names are the scan start in UTC: `2026-11-22T06-00Z`. */
const stampToDate = (stamp: string): Date => new Date(`${stamp.slice(0, 13)}:${stamp.slice(14, 16)}:00Z`);

async function previousRunCompleted(
  deps: TriggerDeps,
  settings: ScheduledSettings,
  previous: NonNullable<Awaited<ReturnType<typeof newestDeliveries>>[number]['previous']>,
  newestStamp: string,
): Promise<boolean> {
  const plan = await readPlan(
    deps.s3,
    settings.trigger.manifests.bucket,
    `${runPrefix(settings.trigger, previous)}/plan.json`,
  );
  if (!plan || plan.jobs.length === 0) return false;
  const scanStart = stampToDate(newestStamp);
  for (const job of plan.jobs) {
    const j = await deps.jobs.describe(settings.trigger.accountId, job.jobId);
    if (!TERMINAL_STATUSES.has(j.status) || j.status !== JobStatuses.Complete) return false;
    if (!j.terminationDate || j.terminationDate > scanStart) return false;
  }
  return true;
}
