import { randomBytes, randomUUID } from 'node:crypto';
import {
  type BatchEvent,
  type BatchHandler,
  type InvocationContext,
  type ResultCode,
  ResultCodes,
} from '../../batch/types.js';
import type { JobOperationSpec } from '../port.js';
import type { ManifestTask } from './task-source.js';

type LambdaSpec = Extract<JobOperationSpec, { kind: 'LambdaInvoke' }>;

/** What one invocation of a task came to. */
export interface InvocationOutcome {
  readonly code: ResultCode;
  /** resultString, or the error text Batch would write for a failed task. */
  readonly message: string;
}

export interface InvokerOptions {
  readonly handler: BatchHandler;
  /** Simulated function timeout; the context counts down from it (Lambda's maximum is 900 s). */
  readonly functionTimeoutMs: number;
  /** Record an invocation that outlives the timeout as Lambda's "Task timed out" error, as Batch would. */
  readonly enforceTimeout: boolean;
  readonly now: () => number;
  /** Shown to the handler as `context.functionName`. */
  readonly functionName: string;
}

const validCodes = new Set<string>(Object.values(ResultCodes));

/** `arn:aws:s3:::bucket` — the schema 1.0 form (aws-facts §1.2). */
const bucketArn = (partition: string, bucket: string) => `arn:${partition}:s3:::${bucket}`;

/** Function name from its ARN (`arn:aws:lambda:r:a:function:name[:qualifier]`). */
export const functionNameOf = (arn: string): string => arn.split(':')[6] ?? arn;

/** Opaque ids in the style Batch sends (base64 text); only uniqueness matters to callers. */
export const newTaskId = (): string => randomBytes(18).toString('base64');
const newInvocationId = (): string => randomBytes(48).toString('base64');

/** The exact event Batch sends for one task (schema 1.0 or 2.0), key field passed through as written. */
export function buildEvent(
  jobId: string,
  op: LambdaSpec,
  task: ManifestTask,
  taskId: string,
  partition = 'aws',
): BatchEvent {
  const invocationId = newInvocationId();
  if (op.invocationSchemaVersion === '1.0') {
    return {
      invocationSchemaVersion: '1.0',
      invocationId,
      job: { id: jobId },
      tasks: [
        {
          taskId,
          s3Key: task.keyField,
          s3VersionId: task.versionId,
          s3BucketArn: bucketArn(partition, task.bucket),
        },
      ],
    };
  }
  const args =
    op.userArguments && Object.keys(op.userArguments).length > 0 ? { ...op.userArguments } : undefined;
  return {
    invocationSchemaVersion: '2.0',
    invocationId,
    job: { id: jobId, ...(args ? { userArguments: args } : {}) },
    tasks: [{ taskId, s3Key: task.keyField, s3VersionId: task.versionId, s3Bucket: task.bucket }],
  };
}

const functionError = (payload: Record<string, string>): InvocationOutcome => ({
  code: ResultCodes.PermanentFailure,
  message: `Lambda returned function error: ${JSON.stringify(payload)}`,
});

/** Reads the handler's answer for one task the way Batch does (aws-facts §1.5–1.6). */
export function outcomeFromResponse(response: unknown, taskId: string): InvocationOutcome {
  if (
    typeof response !== 'object' ||
    response === null ||
    !Array.isArray((response as { results?: unknown }).results)
  )
    return {
      code: ResultCodes.PermanentFailure,
      message: `Invalid JSON returned in Lambda payload: expected an object with a results array, got ${JSON.stringify(response)?.slice(0, 200)}`,
    };
  const r = response as { treatMissingKeysAs?: unknown; results: unknown[] };
  const result = r.results.find(
    (x): x is { resultCode?: unknown; resultString?: unknown } =>
      typeof x === 'object' && x !== null && (x as { taskId?: unknown }).taskId === taskId,
  );
  if (!result) {
    // Unanswered tasks take treatMissingKeysAs, which defaults to TemporaryFailure.
    const missing = r.treatMissingKeysAs === undefined ? ResultCodes.TemporaryFailure : r.treatMissingKeysAs;
    if (typeof missing !== 'string' || !validCodes.has(missing))
      return {
        code: ResultCodes.PermanentFailure,
        message: `Invalid treatMissingKeysAs "${String(missing)}" returned in Lambda payload`,
      };
    return { code: missing as ResultCode, message: `No result for task ${taskId} in Lambda payload` };
  }
  if (typeof result.resultCode !== 'string' || !validCodes.has(result.resultCode))
    return {
      code: ResultCodes.PermanentFailure,
      message: `Invalid resultCode "${String(result.resultCode)}" returned in Lambda payload`,
    };
  const message = typeof result.resultString === 'string' ? result.resultString : '';
  return { code: result.resultCode as ResultCode, message };
}

/** Calls the handler once for one task, as one synchronous Lambda invocation. */
export async function invokeOnce(
  event: BatchEvent,
  taskId: string,
  o: InvokerOptions,
): Promise<InvocationOutcome> {
  const deadline = o.now() + o.functionTimeoutMs;
  const requestId = randomUUID();
  const context: InvocationContext = {
    getRemainingTimeInMillis: () => Math.max(0, deadline - o.now()),
    awsRequestId: requestId,
    functionName: o.functionName,
  };
  const call = Promise.resolve().then(() => o.handler(event, context));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    if (!o.enforceTimeout) return;
    timer = setTimeout(() => resolve('timeout'), o.functionTimeoutMs);
    timer.unref();
  });
  try {
    const settled = await Promise.race([call.then((value) => ({ value })), timedOut]);
    if (settled === 'timeout') {
      // Lambda would have frozen the function; here it keeps running, so wait for it before the
      // task is retried or the job ends (no work may overlap its own redrive).
      await call.catch(() => undefined);
      return functionError({
        errorMessage: `${new Date(o.now()).toISOString()} ${requestId} Task timed out after ${(o.functionTimeoutMs / 1000).toFixed(2)} seconds`,
      });
    }
    return outcomeFromResponse(settled.value, taskId);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return functionError({ errorType: e.name, errorMessage: e.message });
  } finally {
    if (timer) clearTimeout(timer);
  }
}
