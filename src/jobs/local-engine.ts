import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { decodeKey } from '../batch/keys.js';
import { type BatchHandler, type ResultCode, ResultCodes } from '../batch/types.js';
import type { LoggerPort } from '../observability/logger.js';
import {
  JobIdempotencyError,
  JobNotFoundError,
  JobPreparationError,
  JobStatusError,
  UnsupportedOperationError,
} from './errors.js';
import { csvManifestSource } from './local/csv-manifest-source.js';
import { inventoryManifestSource } from './local/inventory-manifest-source.js';
import { describeJob, type LocalJob, progressOf, stableJson } from './local/job-record.js';
import {
  buildEvent,
  functionNameOf,
  type InvocationOutcome,
  invokeOnce,
  newTaskId,
} from './local/lambda-invoker.js';
import { checkManifestObject, checkReportBucket } from './local/preflight.js';
import { DEFAULT_REDRIVE_POLICY, type RedrivePolicy, redriveDelayMs } from './local/redrive.js';
import { CompletionReportWriter } from './local/report-writer.js';
import type { InventoryTaskSourceFactory, ManifestTask, TaskSource } from './local/task-source.js';
import {
  type BatchJobs,
  type CreateJobRequest,
  type JobDescription,
  type JobOperationSpec,
  type JobProgress,
  type JobStatus,
  type ListJobsFilter,
  TERMINAL_STATUSES,
} from './port.js';
import { partitionOf, validateCreateJobRequest } from './validate.js';

/** Outcome of a native (non-Lambda) task, in completion-report terms. */
export interface NativeTaskResult {
  readonly succeeded: boolean;
  readonly httpStatusCode: number;
  /** S3 error code for failures (e.g. AccessDenied); empty on success. */
  readonly errorCode: string;
  readonly message: string;
  /** Worth a redrive (throttling, 5xx). */
  readonly retryable?: boolean;
}

/** Runs one S3UpdateObjectEncryption task; the key is decoded. */
export type UpdateObjectEncryptionExecutor = (
  task: { readonly bucket: string; readonly key: string; readonly versionId: string | null },
  operation: Extract<JobOperationSpec, { kind: 'S3UpdateObjectEncryption' }>,
) => Promise<NativeTaskResult>;

/** Progress notifications, e.g. for a progress bar. Listeners must be cheap; errors are logged and ignored. */
export type LocalJobEvent =
  | { readonly type: 'status'; readonly jobId: string; readonly status: JobStatus }
  | {
      readonly type: 'task';
      readonly jobId: string;
      /** `redrive`: a TemporaryFailure that will be retried; the others are final. */
      readonly outcome: 'succeeded' | 'failed' | 'redrive';
      readonly resultCode: ResultCode;
      readonly bucket: string;
      readonly key: string;
      readonly versionId: string | null;
      readonly progress: JobProgress;
    };

export interface FailureThreshold {
  /** The rate is only judged once this many tasks have finished (Batch: 1,000). */
  readonly minTasks: number;
  /** The job fails when failed / finished exceeds this (Batch: 0.5, strictly greater). */
  readonly ratio: number;
}

export const BATCH_FAILURE_THRESHOLD: FailureThreshold = Object.freeze({ minTasks: 1000, ratio: 0.5 });

export interface LocalBatchEngineOptions {
  /** Reads manifests and writes reports; any S3 API (AWS, moto, MinIO). */
  readonly s3: S3Client;
  /** Called for every LambdaInvoke task, whatever the job's FunctionArn. */
  readonly handler?: BatchHandler;
  /** Runs S3UpdateObjectEncryption tasks; without it such jobs are refused at create(). */
  readonly updateObjectEncryption?: UpdateObjectEncryptionExecutor;
  /** Tasks in flight at once per job (default 16). Memory is bounded by this, not by the manifest. */
  readonly concurrency?: number;
  /** The simulated Lambda timeout the handler's context counts down from (default 900,000 ms). */
  readonly functionTimeoutMs?: number;
  /** Record an overrunning invocation as Lambda's timeout error (default true). */
  readonly enforceTimeout?: boolean;
  readonly redrive?: Partial<RedrivePolicy>;
  readonly failureThreshold?: FailureThreshold;
  /** Results files are closed at this many rows (default 100,000) or bytes (default 16 MiB). */
  readonly report?: { readonly maxRowsPerFile?: number; readonly maxBytesPerFile?: number };
  /** Reader for S3InventoryReport_CSV_20161130 manifests (default: the src/inventory reader). */
  readonly inventorySource?: InventoryTaskSourceFactory;
  readonly onEvent?: (event: LocalJobEvent) => void;
  readonly logger?: LoggerPort;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * BatchJobs run in-process: the same manifest, the same invocation events, the same redrive and
 * failure-threshold rules and the same completion report as S3 Batch Operations, against any S3
 * API. `create()` returns at once; the job runs in the background and `describe()`/`list()` show its
 * progress; `waitFor()` resolves when it ends.
 */
export class LocalBatchEngine implements BatchJobs {
  readonly #o: LocalBatchEngineOptions;
  readonly #redrive: RedrivePolicy;
  readonly #threshold: FailureThreshold;
  readonly #concurrency: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #jobs = new Map<string, LocalJob>();
  readonly #tokens = new Map<string, string>();

  constructor(options: LocalBatchEngineOptions) {
    this.#o = options;
    this.#redrive = { ...DEFAULT_REDRIVE_POLICY, ...options.redrive };
    this.#threshold = options.failureThreshold ?? BATCH_FAILURE_THRESHOLD;
    this.#concurrency = options.concurrency ?? 16;
    if (!Number.isInteger(this.#concurrency) || this.#concurrency < 1)
      throw new RangeError(`concurrency must be a whole number ≥ 1, got ${options.concurrency}`);
    if (!Number.isInteger(this.#redrive.maxRedrives) || this.#redrive.maxRedrives < 0)
      throw new RangeError(
        `redrive.maxRedrives must be a whole number ≥ 0, got ${this.#redrive.maxRedrives}`,
      );
    if (options.functionTimeoutMs !== undefined && !(options.functionTimeoutMs > 0))
      throw new RangeError(`functionTimeoutMs must be positive, got ${options.functionTimeoutMs}`);
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
    this.#random = options.random ?? Math.random;
  }

  async create(request: CreateJobRequest): Promise<{ readonly jobId: string }> {
    validateCreateJobRequest(request);
    this.#requireExecutor(request.operation);
    const fingerprint = stableJson(request);
    const tokenKey = `${request.accountId}/${request.clientRequestToken}`;
    const existing = this.#tokens.get(tokenKey);
    if (existing !== undefined) {
      // Same token, same request: the job already exists (CreateJob is idempotent by token).
      if (this.#jobs.get(existing)?.fingerprint === fingerprint) return { jobId: existing };
      throw new JobIdempotencyError(
        request.clientRequestToken,
        `ClientRequestToken "${request.clientRequestToken}" was already used for job ${existing} with different parameters`,
        { jobId: existing },
      );
    }
    const job: LocalJob = {
      id: randomUUID(),
      accountId: request.accountId,
      request,
      fingerprint,
      createdAt: new Date(this.#now()),
      status: 'New',
      total: 0,
      succeeded: 0,
      failed: 0,
      redrives: 0,
      failureReasons: [],
      cancelRequested: false,
      thresholdExceeded: false,
      abort: new AbortController(),
    };
    this.#jobs.set(job.id, job);
    this.#tokens.set(tokenKey, job.id);
    job.done = this.#run(job);
    return { jobId: job.id };
  }

  async describe(accountId: string, jobId: string): Promise<JobDescription> {
    return describeJob(this.#job(accountId, jobId), this.#now());
  }

  async list(accountId: string, filter: ListJobsFilter = {}): Promise<readonly JobDescription[]> {
    const statuses = filter.statuses ? new Set(filter.statuses) : undefined;
    return [...this.#jobs.values()]
      .filter((j) => j.accountId === accountId && (!statuses || statuses.has(j.status)))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .slice(0, filter.maxResults ?? Number.POSITIVE_INFINITY)
      .map((j) => describeJob(j, this.#now()));
  }

  /** Stops launching tasks; tasks in flight finish and are reported, then the job is Cancelled. */
  async cancel(accountId: string, jobId: string, reason?: string): Promise<void> {
    const job = this.#job(accountId, jobId);
    if (TERMINAL_STATUSES.has(job.status) || job.status === 'Failing')
      throw new JobStatusError(`job ${jobId} is ${job.status} and cannot be cancelled`, {
        jobId,
        status: job.status,
      });
    if (job.cancelRequested) return;
    job.cancelRequested = true;
    if (reason) job.statusUpdateReason = reason;
    job.abort.abort();
    this.#setStatus(job, 'Cancelling');
    job.release?.();
  }

  /** Moves a job waiting in Suspended (ConfirmationRequired) on to Ready. */
  async confirm(accountId: string, jobId: string): Promise<void> {
    const job = this.#job(accountId, jobId);
    if (job.status !== 'Suspended' || !job.release)
      throw new JobStatusError(`job ${jobId} is ${job.status}, not Suspended awaiting confirmation`, {
        jobId,
        status: job.status,
      });
    job.release();
  }

  /** Resolves with the final description once the job is Complete, Failed or Cancelled. */
  async waitFor(jobId: string): Promise<JobDescription> {
    const job = this.#jobs.get(jobId);
    if (!job?.done) throw new JobNotFoundError(`no local job ${jobId}`, { jobId });
    return job.done;
  }

  #job(accountId: string, jobId: string): LocalJob {
    const job = this.#jobs.get(jobId);
    if (!job || job.accountId !== accountId)
      throw new JobNotFoundError(`no job ${jobId} in account ${accountId}`, { jobId });
    return job;
  }

  #requireExecutor(op: JobOperationSpec): void {
    if (op.kind === 'LambdaInvoke' && !this.#o.handler)
      throw new UnsupportedOperationError(
        'LambdaInvoke jobs need a handler: pass `handler` to LocalBatchEngine',
      );
    if (op.kind === 'S3UpdateObjectEncryption' && !this.#o.updateObjectEncryption)
      throw new UnsupportedOperationError(
        'S3UpdateObjectEncryption jobs need an executor: pass `updateObjectEncryption` to LocalBatchEngine',
      );
  }

  #source(job: LocalJob): TaskSource {
    const spec = job.request.manifest;
    if (spec.format === 'S3BatchOperations_CSV_20180820') return csvManifestSource(spec, this.#o.s3);
    return (this.#o.inventorySource ?? inventoryManifestSource)(spec, this.#o.s3);
  }

  #emit(event: LocalJobEvent): void {
    if (!this.#o.onEvent) return;
    try {
      this.#o.onEvent(event);
    } catch (error) {
      this.#o.logger?.warn('local batch engine: progress listener failed', { error: String(error) });
    }
  }

  #setStatus(job: LocalJob, status: JobStatus): void {
    if (job.status === status) return;
    job.status = status;
    if (status === 'Active') job.activeSince = this.#now();
    if (TERMINAL_STATUSES.has(status)) {
      job.terminatedAt = new Date(this.#now());
      if (job.activeSince !== undefined) job.activeUntil = this.#now();
    }
    this.#o.logger?.info('batch job status', { jobId: job.id, status });
    this.#emit({ type: 'status', jobId: job.id, status });
  }

  #fail(job: LocalJob, code: string, reason: string): void {
    job.failureReasons.push({ code, reason: reason.slice(0, 256) });
    if (job.status !== 'Failing') this.#setStatus(job, 'Failing');
  }

  async #run(job: LocalJob): Promise<JobDescription> {
    try {
      await this.#lifecycle(job);
    } catch (error) {
      // Only a defect gets here; the job must still end in a terminal status.
      this.#o.logger?.error('local batch engine: job crashed', { jobId: job.id, error: String(error) });
      if (!TERMINAL_STATUSES.has(job.status)) {
        this.#fail(job, 'InternalError', `local batch engine error: ${String(error)}`);
        this.#setStatus(job, 'Failed');
      }
    }
    return describeJob(job, this.#now());
  }

  async #lifecycle(job: LocalJob): Promise<void> {
    // Start on a later turn of the event loop: create() answers first and the job is seen as New, as with CreateJob.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!job.cancelRequested) this.#setStatus(job, 'Preparing');
    try {
      await this.#prepare(job);
    } catch (error) {
      // A cancel aborts the manifest read; that is not a manifest problem.
      if (job.cancelRequested) {
        this.#setStatus(job, 'Cancelled');
        return;
      }
      if (!(error instanceof JobPreparationError)) throw error;
      this.#fail(job, error.code, error.message);
      this.#setStatus(job, 'Failed');
      return;
    }
    if (!job.cancelRequested && job.request.confirmationRequired) {
      this.#setStatus(job, 'Suspended');
      await new Promise<void>((resolve) => {
        job.release = resolve;
      });
      job.release = undefined;
    }
    if (job.cancelRequested) {
      this.#setStatus(job, 'Cancelled');
      return;
    }
    this.#setStatus(job, 'Ready');
    this.#setStatus(job, 'Active');
    const writer = new CompletionReportWriter({
      s3: this.#o.s3,
      bucket: job.request.report.bucket,
      prefix: job.request.report.prefix,
      jobId: job.id,
      scope: job.request.report.scope,
      now: this.#now,
      maxRowsPerFile: this.#o.report?.maxRowsPerFile ?? 100_000,
      maxBytesPerFile: this.#o.report?.maxBytesPerFile ?? 16 * 1024 * 1024,
    });
    try {
      await this.#execute(job, writer);
    } catch (error) {
      if (error instanceof JobPreparationError) this.#fail(job, error.code, error.message);
      else this.#fail(job, 'InternalError', `running tasks failed: ${String(error)}`);
    }
    if (!job.cancelRequested && job.status === 'Active') this.#setStatus(job, 'Completing');
    // Batch writes a report for completed, failed and cancelled jobs once at least one task ran.
    if (job.succeeded + job.failed > 0) {
      try {
        await writer.finish();
      } catch (error) {
        this.#fail(job, 'ReportWriteFailed', `writing the completion report failed: ${String(error)}`);
      }
    }
    this.#setStatus(
      job,
      job.status === 'Failing' ? 'Failed' : job.cancelRequested ? 'Cancelled' : 'Complete',
    );
  }

  /** Batch's Preparing step: report bucket, manifest object and ETag, then every row validated and counted. */
  async #prepare(job: LocalJob): Promise<void> {
    await checkReportBucket(this.#o.s3, job.request.report.bucket);
    await checkManifestObject(this.#o.s3, job.request.manifest);
    let total = 0;
    for await (const _ of this.#source(job).tasks(job.abort.signal)) {
      total++;
      if (job.cancelRequested) return;
    }
    job.total = total;
  }

  /** Workers pull from one shared manifest stream until it ends or the job stops launching tasks. */
  async #execute(job: LocalJob, writer: CompletionReportWriter): Promise<void> {
    const iterator = this.#source(job).tasks()[Symbol.asyncIterator]();
    let failure: unknown;
    const stopped = () => failure !== undefined || job.cancelRequested || job.thresholdExceeded;
    const worker = async () => {
      for (let n = 1; !stopped(); n++) {
        // A fast handler can keep this loop on microtasks alone; yield so timers (timeouts, progress) still run.
        if (n % 64 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
        let next: IteratorResult<ManifestTask>;
        try {
          next = await iterator.next();
        } catch (error) {
          failure ??= error;
          return;
        }
        if (next.done || stopped()) return;
        try {
          await this.#runTask(job, next.value, writer);
        } catch (error) {
          failure ??= error;
        }
      }
    };
    // Wait for every worker before closing the stream: a task in flight still reports its result.
    await Promise.all(Array.from({ length: this.#concurrency }, worker));
    await iterator.return?.(undefined);
    if (failure !== undefined) throw failure;
  }

  async #runTask(job: LocalJob, task: ManifestTask, writer: CompletionReportWriter): Promise<void> {
    const taskId = newTaskId();
    let outcome: TaskOutcome;
    if (task.versionId === '') {
      // Batch fails tasks whose version id is empty (the null version is spelled "null"; aws-facts §2.2).
      outcome = {
        code: ResultCodes.PermanentFailure,
        message: 'Task has an empty version id; write "null" for the null version',
        httpStatusCode: 400,
      };
    } else {
      for (let redrive = 0; ; redrive++) {
        outcome = await this.#invoke(job, task, taskId);
        if (outcome.code !== ResultCodes.TemporaryFailure || redrive >= this.#redrive.maxRedrives) break;
        if (job.cancelRequested || job.thresholdExceeded) break;
        job.redrives++;
        this.#emitTask(job, task, 'redrive', outcome.code);
        await this.#sleep(redriveDelayMs(this.#redrive, redrive + 1, this.#random));
      }
    }
    const succeeded = outcome.code === ResultCodes.Succeeded;
    if (succeeded) job.succeeded++;
    else job.failed++;
    this.#checkThreshold(job);
    this.#emitTask(job, task, succeeded ? 'succeeded' : 'failed', outcome.code);
    await writer.add({
      bucket: task.bucket,
      key: task.keyField,
      versionId: task.versionId,
      status: succeeded ? 'succeeded' : 'failed',
      httpStatusCode: outcome.httpStatusCode,
      errorCode: succeeded ? '' : (outcome.errorCode ?? outcome.code),
      resultMessage: outcome.message,
    });
  }

  async #invoke(job: LocalJob, task: ManifestTask, taskId: string): Promise<TaskOutcome> {
    const op = job.request.operation;
    if (op.kind === 'LambdaInvoke') {
      const event = buildEvent(job.id, op, task, taskId, partitionOf(job.request.roleArn));
      const outcome: InvocationOutcome = await invokeOnce(event, taskId, {
        handler: this.#o.handler!,
        functionTimeoutMs: this.#o.functionTimeoutMs ?? 900_000,
        enforceTimeout: this.#o.enforceTimeout ?? true,
        now: this.#now,
        functionName: functionNameOf(op.functionArn),
      });
      // Batch reports the Lambda call itself, which succeeded, as HTTP 200 (aws-facts §3.4 examples).
      return { ...outcome, httpStatusCode: 200 };
    }
    const r = await this.#o.updateObjectEncryption!(
      { bucket: task.bucket, key: decodeKey(task.keyField), versionId: task.versionId },
      op,
    );
    return {
      code: r.succeeded
        ? ResultCodes.Succeeded
        : r.retryable
          ? ResultCodes.TemporaryFailure
          : ResultCodes.PermanentFailure,
      message: r.message,
      httpStatusCode: r.httpStatusCode,
      errorCode: r.errorCode,
    };
  }

  /** Batch: once ≥ minTasks tasks have run, a failure rate above the ratio fails the job (aws-facts §1.8). */
  #checkThreshold(job: LocalJob): void {
    if (job.thresholdExceeded) return;
    const run = job.succeeded + job.failed;
    if (run < this.#threshold.minTasks || job.failed / run <= this.#threshold.ratio) return;
    job.thresholdExceeded = true;
    this.#fail(
      job,
      'TaskFailureThresholdExceeded',
      `${job.failed} of ${run} tasks failed, more than ${this.#threshold.ratio * 100}% after at least ${this.#threshold.minTasks} tasks; no further tasks were started`,
    );
  }

  #emitTask(
    job: LocalJob,
    task: ManifestTask,
    outcome: 'succeeded' | 'failed' | 'redrive',
    code: ResultCode,
  ): void {
    this.#emit({
      type: 'task',
      jobId: job.id,
      outcome,
      resultCode: code,
      bucket: task.bucket,
      key: task.keyField,
      versionId: task.versionId,
      progress: progressOf(job, this.#now()),
    });
  }
}

interface TaskOutcome extends InvocationOutcome {
  readonly httpStatusCode: number;
  readonly errorCode?: string;
}
