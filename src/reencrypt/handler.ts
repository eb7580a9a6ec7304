import type { S3Client } from '@aws-sdk/client-s3';
import { type AwsSettings, isCustomS3Endpoint } from '../aws/clients.js';
import type { BatchHandler, BatchTaskResult, InvocationContext } from '../batch/types.js';
import { mapLimit } from '../concurrency/map-limit.js';
import type { ReencryptConfig } from '../config/reencrypt.js';
import { type LoggerPort, silentLogger } from '../observability/logger.js';
import { type MetricsPort, noopMetrics } from '../observability/metrics.js';
import { ContainerState } from './container-state.js';
import { InvalidTaskError } from './errors.js';
import { type ParsedInvocation, parseInvocation, parseTask, type RawTask } from './event.js';
import { failed, failedWith, type TaskOutcome, toBatchResult } from './outcome.js';
import { reencryptObject } from './reencrypt-object.js';
import { resolveJobSettings, type SettingDefaults, unknownArguments } from './settings.js';
import { logTask, recordTaskMetrics } from './task-telemetry.js';
import type { JobSettings, MultipartCopier } from './types.js';

/** What the handler works with; build once per container (Lambda) or per run (local engine, CLI). */
export interface ReencryptDeps {
  readonly s3: S3Client;
  readonly logger?: LoggerPort;
  readonly metrics?: MetricsPort;
  /** Objects above the multipart threshold fail with cause multipart-required without one. */
  readonly multipart?: MultipartCopier;
  readonly now?: () => number;
  /** Per-container memory; one is made per handler when not given. */
  readonly state?: ContainerState;
}

export interface ReencryptOptions extends SettingDefaults {
  /**
   * `enabled` only where S3 implements UpdateObjectEncryption: AWS itself, or a custom endpoint the user
   * vouches for. moto overwrites the object when it receives that request (testing.md).
   */
  readonly updateRoute: 'enabled' | 'disabled';
  /** Default 4. */
  readonly taskConcurrency?: number;
  /** Tasks not started with less time left are answered TemporaryFailure (default 15 s). */
  readonly deadlineMarginMs?: number;
}

/** The update route is on for AWS endpoints, off for custom ones unless explicitly allowed. */
export const updateRouteFor = (aws: AwsSettings, allowOnCustomEndpoint: boolean): 'enabled' | 'disabled' =>
  !isCustomS3Endpoint(aws) || allowOnCustomEndpoint ? 'enabled' : 'disabled';

export const reencryptOptionsFromConfig = (c: ReencryptConfig, aws: AwsSettings): ReencryptOptions => ({
  ...(c.target ? { target: c.target } : {}),
  bucketKey: c.bucketKey,
  strategy: c.strategy,
  multipartThresholdBytes: c.multipartThresholdBytes,
  deletePriorVersion: c.deletePriorVersion,
  preflight: c.preflight,
  updateRoute: updateRouteFor(aws, c.allowUpdateOnCustomEndpoint),
  taskConcurrency: c.taskConcurrency,
  deadlineMarginMs: c.deadlineMarginMs,
});

const NO_FACTS = { bytes: 0, source: 'unknown', ms: 0 } as const;

/**
 * The Batch Operations LambdaInvoke handler for re-encryption (schema 1.0 and 2.0). The Lambda, the
 * local Batch engine and the CLI all call the function this returns.
 */
export function makeReencryptHandler(deps: ReencryptDeps, options: ReencryptOptions): BatchHandler {
  const logger = deps.logger ?? silentLogger;
  const metrics = deps.metrics ?? noopMetrics;
  const now = deps.now ?? Date.now;
  const state = deps.state ?? new ContainerState(deps.s3, options.updateRoute);
  const margin = options.deadlineMarginMs ?? 15_000;
  const work = {
    s3: deps.s3,
    state,
    logger,
    now,
    deadlineMarginMs: margin,
    ...(deps.multipart ? { multipart: deps.multipart } : {}),
  };

  async function runTask(
    inv: ParsedInvocation,
    settings: JobSettings | InvalidTaskError,
    raw: RawTask,
    i: number,
    context: InvocationContext,
  ): Promise<BatchTaskResult> {
    let outcome: TaskOutcome;
    let keys: { bucket?: string; key?: string; versionId?: string } = {};
    if (settings instanceof InvalidTaskError) {
      outcome = failedWith(NO_FACTS, settings);
    } else if (context.getRemainingTimeInMillis() < margin) {
      outcome = failed(
        NO_FACTS,
        { cause: 'deadline', retryable: true },
        'not started: the invocation is about to time out',
      );
    } else {
      try {
        const task = parseTask(raw, i, inv.schemaVersion, settings.hints);
        keys = {
          bucket: task.bucket,
          key: task.key,
          ...(task.versionId ? { versionId: task.versionId } : {}),
        };
        outcome = await reencryptObject(work, task, settings, () => context.getRemainingTimeInMillis());
      } catch (error) {
        outcome = failedWith(NO_FACTS, error);
      }
    }
    const result = toBatchResult(raw.taskId, outcome);
    recordTaskMetrics(metrics, outcome);
    logTask(
      logger,
      { jobId: inv.jobId, invocationId: inv.invocationId, taskId: raw.taskId, ...keys },
      result.resultCode,
      outcome,
    );
    return result;
  }

  return async (event, context) => {
    const inv = parseInvocation(event);
    let settings: JobSettings | InvalidTaskError;
    try {
      settings = resolveJobSettings(inv, options);
    } catch (error) {
      if (!(error instanceof InvalidTaskError)) throw error;
      // Every task is answered with the reason, so the completion report names the bad argument.
      settings = error;
    }
    const ignored = unknownArguments(inv);
    if (ignored.length > 0) logger.warn('ignoring unknown job arguments', { jobId: inv.jobId, ignored });
    const results = await mapLimit(inv.tasks, options.taskConcurrency ?? 4, (raw, i) =>
      runTask(inv, settings, raw, i, context),
    );
    return {
      invocationSchemaVersion: inv.schemaVersion,
      // Every task is answered; one missing would be a bug, better reported than redriven forever.
      treatMissingKeysAs: 'PermanentFailure',
      invocationId: inv.invocationId,
      results,
    };
  };
}
