import { createHash } from 'node:crypto';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { decodeKey } from '../batch/keys.js';
import type { BatchHandler } from '../batch/types.js';
import { CostError } from '../cost/errors.js';
import { planFromCostInputs } from '../cost/from-plan.js';
import type { CostEstimate } from '../cost/line-item.js';
import { estimateMigration } from '../cost/migration.js';
import { LocalBatchEngine } from '../jobs/local-engine.js';
import type { CreateJobRequest, JobDescription } from '../jobs/port.js';
import { validateTargetKey } from '../kms/validate.js';
import { type PlanDocument, readPlan } from '../manifest/plan.js';
import { silentLogger } from '../observability/logger.js';
import { noopMetrics } from '../observability/metrics.js';
import { makeReencryptHandler } from '../reencrypt/index.js';
import { makeMultipartCopier } from '../reencrypt/multipart/index.js';
import { makeCompletionReport } from '../report/process.js';
import { SummaryRoutes } from '../report/summary.js';
import { runTrigger, triggerInventory } from '../trigger/run.js';
import type { InventoryOutcome } from '../trigger/types.js';
import { parseS3Uri, prepareCsvManifest } from './csv-source.js';
import { PipelineCancelledError, PipelineError, PipelineInputError } from './errors.js';
import { reportJob } from './report-step.js';
import {
  type ResolvedPipeline,
  reportSettingsFor,
  resolvePipeline,
  triggerSettingsFor,
  userArgumentsFor,
} from './settings.js';
import type {
  BlockedObject,
  LocalPipelineDeps,
  LocalPipelineOptions,
  LocalPipelineResult,
  PipelineEvent,
  PipelineJob,
  PipelineStatus,
  PipelineTotals,
} from './types.js';

const BLOCKED_SAMPLE_ROWS = 100;

interface Run {
  readonly deps: LocalPipelineDeps;
  readonly o: LocalPipelineOptions;
  readonly r: ResolvedPipeline;
  readonly engine: LocalBatchEngine;
  readonly emit: (e: PipelineEvent) => void;
  /** Records jobs this run created, cancelling them at once when the run was already interrupted. */
  readonly track: (jobIds: readonly string[]) => void;
}

function makeHandler(deps: LocalPipelineDeps, o: LocalPipelineOptions, r: ResolvedPipeline): BatchHandler {
  const logger = deps.logger ?? silentLogger;
  const multipart = makeMultipartCopier({
    s3: deps.s3,
    checkpoints: {
      bucket: r.checkpoints.bucket,
      prefix: r.checkpoints.prefix ? `${r.checkpoints.prefix}/` : '',
    },
    logger,
    ...(o.multipart?.partSizeBytes !== undefined ? { partSizeBytes: o.multipart.partSizeBytes } : {}),
    ...(o.multipart?.concurrency !== undefined ? { concurrency: o.multipart.concurrency } : {}),
    ...(o.multipart?.safetyMarginMs !== undefined ? { safetyMarginMs: o.multipart.safetyMarginMs } : {}),
  });
  return makeReencryptHandler(
    { s3: deps.s3, logger, metrics: deps.metrics ?? noopMetrics, multipart },
    {
      target: { keyArn: r.targetKeyArn, bucketKey: r.bucketKey },
      bucketKey: r.bucketKey,
      strategy: r.strategy,
      multipartThresholdBytes: r.multipartThresholdBytes,
      deletePriorVersion: r.deletePriorVersion,
      preflight: r.preflight,
      updateRoute: o.updateRoute,
    },
  );
}

/** The first rows of the trigger's blocked.csv (`bucket,encoded key,version,reason`). */
async function blockedSample(s3: S3Client, plan: PlanDocument): Promise<BlockedObject[]> {
  const output = plan.outputs.find((x) => x.kind === 'blocked');
  if (!output) return [];
  const out = await s3.send(
    new GetObjectCommand({ Bucket: output.bucket, Key: output.key, Range: 'bytes=0-65535' }),
  );
  const text = (await out.Body?.transformToString('utf-8')) ?? '';
  const lines = text.split('\n');
  // The last piece may be cut by the range: only whole lines count.
  if (!text.endsWith('\n')) lines.pop();
  return lines
    .filter(Boolean)
    .slice(0, BLOCKED_SAMPLE_ROWS)
    .map((line) => {
      const [, key = '', versionId = '', reason = ''] = line.split(',');
      return { key: decodeKey(key), ...(versionId ? { versionId } : {}), reason };
    });
}

function planCostOf(
  r: ResolvedPipeline,
  o: LocalPipelineOptions,
  plan: PlanDocument,
): CostEstimate | undefined {
  try {
    return estimateMigration(planFromCostInputs(plan.costInputs), {
      region: r.region,
      fallbackRegion: 'us-east-1',
      bucketKey: r.bucketKey,
      hints: plan.outputs.some((x) => x.kind === 'lambda-hinted'),
      deletePriorVersion: r.deletePriorVersion,
      ...(o.multipart?.partSizeBytes ? { multipartPartSizeBytes: o.multipart.partSizeBytes } : {}),
    });
  } catch (e) {
    if (e instanceof CostError) return undefined;
    throw e;
  }
}

async function finishJobs(
  run: Run,
  jobs: readonly {
    jobId: string;
    kind: PipelineJob['kind'];
    manifest: PipelineJob['manifest'];
    ours: boolean;
  }[],
): Promise<PipelineJob[]> {
  const { deps, r, engine } = run;
  const descriptions = await Promise.all(
    jobs.map((j) =>
      j.ours ? engine.waitFor(j.jobId) : Promise.resolve<JobDescription | undefined>(undefined),
    ),
  );
  run.emit({ type: 'stage', stage: 'report', message: 'summarising the completion reports' });
  const processReport = makeCompletionReport({
    s3: deps.s3,
    settings: reportSettingsFor(r, run.o),
    metrics: deps.metrics ?? noopMetrics,
    logger: deps.logger ?? silentLogger,
    jobs: engine,
  });
  const out: PipelineJob[] = [];
  // One at a time, as the report function handles the records of one notification.
  for (const [i, j] of jobs.entries()) {
    const description = descriptions[i];
    const step = await reportJob(deps.s3, processReport, r, j.jobId, description);
    out.push({
      jobId: j.jobId,
      kind: j.kind,
      manifest: j.manifest,
      ...(description ? { description } : {}),
      ...step,
    });
  }
  return out;
}

async function inventoryRun(
  run: Run,
  source: Extract<LocalPipelineOptions['source'], { kind: 'inventory' | 'event' }>,
): Promise<Omit<LocalPipelineResult, 'totals'>> {
  const { deps, o, r, engine } = run;
  run.emit({
    type: 'stage',
    stage: 'trigger',
    message: 'reading the inventory and writing the Batch manifests',
  });
  const triggerDeps = {
    s3: deps.s3,
    kms: deps.kms,
    jobs: engine,
    logger: deps.logger ?? silentLogger,
    metrics: deps.metrics ?? noopMetrics,
  };
  const settings = triggerSettingsFor(r, o);
  let outcomes: InventoryOutcome[];
  if (source.kind === 'event') outcomes = await runTrigger(triggerDeps, settings, source.event);
  else {
    const ref = parseS3Uri(source.uri);
    if (!ref.key.endsWith('/manifest.json'))
      throw new PipelineInputError(`${source.uri} is not an S3 Inventory manifest.json`, source.uri);
    outcomes = [await triggerInventory(triggerDeps, settings, ref)];
  }
  const handled = outcomes.filter(
    (x): x is Exclude<InventoryOutcome, { status: 'ignored' }> => x.status !== 'ignored',
  );
  if (handled.length === 0) {
    const why = outcomes.map((x) => (x.status === 'ignored' ? x.reason : '')).join('; ');
    throw new PipelineInputError(`the event names no S3 Inventory manifest to process: ${why}`, 'event');
  }
  if (handled.length > 1)
    throw new PipelineInputError(
      `the event names ${handled.length} inventory manifests; run one inventory at a time`,
      'event',
    );
  const outcome = handled[0]!;
  const document = await readPlan(deps.s3, r.manifests.bucket, outcome.planKey);
  if (!document) throw new PipelineInputError(`plan.json is missing at ${outcome.planKey}`, outcome.planKey);
  const plan = { bucket: r.manifests.bucket, key: outcome.planKey, document };
  const planCost = planCostOf(r, o, document);
  const blocked = await blockedSample(deps.s3, document);
  const base = {
    targetKeyArn: r.targetKeyArn,
    accountId: r.accountId,
    plan,
    ...(planCost ? { planCost } : {}),
    blocked,
  };
  if (outcome.status === 'compliant' || outcome.status === 'blocked-only')
    return { ...base, status: outcome.status, jobs: [] };
  // The trigger filters in process here (no fan-out given), so it always ends with jobs or none.
  if (outcome.status !== 'jobs-created' && outcome.status !== 'existing-jobs')
    throw new PipelineError(
      `the trigger ended with status ${outcome.status}, which a local run does not expect`,
    );
  const planned = outcome.jobs;
  const ours = outcome.status === 'jobs-created';
  if (ours) run.track(planned.map((j) => j.jobId));
  run.emit({
    type: 'stage',
    stage: 'jobs',
    message: ours
      ? `running ${planned.length} job(s), ${planned.reduce((a, j) => a + j.tasks, 0)} tasks`
      : 'this inventory delivery already has its jobs; none created',
  });
  const jobs = await finishJobs(
    run,
    planned.map((j) => ({
      jobId: j.jobId,
      kind: j.kind,
      manifest: { bucket: r.manifests.bucket, key: j.manifestKey },
      ours,
    })),
  );
  return { ...base, status: ours ? statusOf(jobs) : 'already-processed', jobs };
}

async function csvRun(
  run: Run,
  source: Extract<LocalPipelineOptions['source'], { kind: 'csv' | 'csv-file' }>,
): Promise<Omit<LocalPipelineResult, 'totals'>> {
  const { deps, r, engine } = run;
  const csv = await prepareCsvManifest(deps.s3, source, r.manifests);
  const userArguments = userArgumentsFor(r, csv.hints);
  const uri = `s3://${csv.spec.bucket}/${csv.spec.key}`;
  const request: CreateJobRequest = {
    accountId: r.accountId,
    clientRequestToken: createHash('sha256')
      .update(`${uri}\n${csv.spec.etag}\n${JSON.stringify(userArguments)}`)
      .digest('hex'),
    operation: {
      kind: 'LambdaInvoke',
      functionArn: r.functionArn,
      invocationSchemaVersion: '2.0',
      userArguments,
    },
    manifest: csv.spec,
    report: { ...r.reports, scope: 'AllTasks' },
    priority: 10,
    roleArn: r.roleArn,
    confirmationRequired: false,
    description: `s3-reencrypt local run ${uri}`.slice(0, 256),
  };
  const { jobId } = await engine.create(request);
  run.track([jobId]);
  run.emit({ type: 'stage', stage: 'jobs', message: `running job ${jobId} over ${uri}` });
  const jobs = await finishJobs(run, [
    { jobId, kind: 'csv', manifest: { bucket: csv.spec.bucket, key: csv.spec.key }, ours: true },
  ]);
  return { status: statusOf(jobs), targetKeyArn: r.targetKeyArn, accountId: r.accountId, blocked: [], jobs };
}

const statusOf = (jobs: readonly PipelineJob[]): PipelineStatus =>
  jobs.some((j) => j.description?.status === 'Cancelled') ? 'cancelled' : 'completed';

function totalsOf(jobs: readonly PipelineJob[], plan: PlanDocument | undefined): PipelineTotals {
  const routes = Object.fromEntries(
    SummaryRoutes.map((k) => [k, { objects: 0, bytes: 0, sseKmsSources: 0 }]),
  ) as Record<(typeof SummaryRoutes)[number], { objects: number; bytes: number; sseKmsSources: number }>;
  const failuresByCause: Record<string, number> = {};
  let tasks = 0;
  let succeeded = 0;
  let failed = 0;
  let retryable = 0;
  let redrives = 0;
  for (const j of jobs) {
    redrives += j.description?.progress.redrives ?? 0;
    const s = j.summary?.summary;
    if (!s) {
      const p = j.description?.progress;
      tasks += p ? p.succeeded + p.failed : 0;
      succeeded += p?.succeeded ?? 0;
      failed += p?.failed ?? 0;
      continue;
    }
    tasks += s.tasks.total;
    succeeded += s.tasks.succeeded;
    failed += s.tasks.failed;
    retryable += s.tasks.retryable;
    for (const k of SummaryRoutes) {
      routes[k].objects += s.routes[k].objects;
      routes[k].bytes += s.routes[k].bytes;
      routes[k].sseKmsSources += s.routes[k].sseKmsSources;
    }
    for (const c of s.failures.byCause) failuresByCause[c.cause] = (failuresByCause[c.cause] ?? 0) + c.count;
  }
  return {
    tasks,
    succeeded,
    failed,
    retryable,
    routes,
    failuresByCause,
    blockedBeforeJob: plan?.stats.byRoute.blocked.objects ?? 0,
    redrives,
  };
}

/**
 * What AWS does, in this process: the trigger turns an inventory delivery (or the S3 event announcing it)
 * into Batch manifests, plan.json and jobs; the local Batch engine runs each job through the re-encrypt
 * handler and writes the completion report in the AWS layout; the completion-report use case reads that
 * report and writes summary.json/summary.md beside it. A CSV manifest skips the trigger. The same functions
 * run in the Lambdas; only who drives the tasks differs.
 *
 * @example
 * const result = await runLocalPipeline({ s3, kms }, {
 *   source: { kind: 'inventory', uri: 's3://inv/inventory/data/daily/2026-01-01T00-00Z/manifest.json' },
 *   targetKey: 'alias/data', region: 'eu-west-1', updateRoute: 'enabled',
 *   reports: { bucket: 'work-bucket' },
 * });
 */
export async function runLocalPipeline(
  deps: LocalPipelineDeps,
  o: LocalPipelineOptions,
): Promise<LocalPipelineResult> {
  const listener = o.onProgress;
  const emit = (e: PipelineEvent) => {
    try {
      listener?.(e);
    } catch (error) {
      deps.logger?.warn('pipeline progress listener failed', { error: String(error) });
    }
  };
  o.signal?.throwIfAborted();
  emit({ type: 'stage', stage: 'key', message: `checking target key ${o.targetKey}` });
  const key = await validateTargetKey(deps.kms, o.targetKey, o.region);
  const r = resolvePipeline(o, key);
  const engine = new LocalBatchEngine({
    s3: deps.s3,
    handler: makeHandler(deps, o, r),
    ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
    ...o.engine,
    onEvent: emit,
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  const started: string[] = [];
  // A job that already ended refuses the cancel; nothing else can go wrong here worth failing the run for.
  const cancel = (jobIds: readonly string[]) => {
    for (const jobId of jobIds) engine.cancel(r.accountId, jobId, 'interrupted').catch(() => undefined);
  };
  const track = (jobIds: readonly string[]) => {
    started.push(...jobIds);
    if (o.signal?.aborted) cancel(jobIds);
  };
  const run: Run = { deps, o, r, engine, emit, track };
  const onAbort = () => cancel(started);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const source = o.source;
    const partial =
      source.kind === 'csv' || source.kind === 'csv-file'
        ? await csvRun(run, source)
        : await inventoryRun(run, source);
    if (o.signal?.aborted && partial.jobs.length === 0)
      throw new PipelineCancelledError('the run was interrupted before any job started', []);
    return { ...partial, totals: totalsOf(partial.jobs, partial.plan?.document) };
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
}
