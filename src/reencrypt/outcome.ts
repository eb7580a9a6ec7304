import { encodeResultString, type Route, type TaskResult } from '../batch/result-string.js';
import { type BatchTaskResult, type ResultCode, ResultCodes } from '../batch/types.js';
import { type Classification, classifyError, errorMessage } from './classify.js';

/** How one task ended; `toBatchResult` is the only place that turns it into a Batch result code. */
export interface TaskOutcome {
  readonly status: 'succeeded' | 'failed';
  /** For failures: whether a redrive can help (TemporaryFailure) or not (PermanentFailure). */
  readonly retryable: boolean;
  readonly result: TaskResult;
}

/** What is known about the task when it ends (filled in as the task progresses). */
export interface TaskFacts {
  readonly route?: Route;
  readonly bytes: number;
  readonly source: string;
  readonly ms: number;
  readonly fallback?: TaskResult['fallback'];
}

const base = (f: TaskFacts, route: Route): TaskResult => ({
  route,
  bytes: f.bytes,
  source: f.source,
  ms: f.ms,
  ...(f.fallback ? { fallback: f.fallback } : {}),
});

export const succeeded = (f: TaskFacts, route: Route, extra: Partial<TaskResult> = {}): TaskOutcome => ({
  status: 'succeeded',
  retryable: false,
  result: { ...base(f, route), ...extra },
});

export const failed = (f: TaskFacts, c: Classification, reason: string, route?: Route): TaskOutcome => ({
  status: 'failed',
  retryable: c.retryable,
  result: { ...base(f, route ?? f.route ?? 'failed'), cause: c.cause, reason },
});

/** A failure from any thrown error, classified by the one error table. */
export const failedWith = (f: TaskFacts, error: unknown): TaskOutcome =>
  failed(f, classifyError(error), errorMessage(error));

export function resultCodeOf(o: TaskOutcome): ResultCode {
  if (o.status === 'succeeded') return ResultCodes.Succeeded;
  return o.retryable ? ResultCodes.TemporaryFailure : ResultCodes.PermanentFailure;
}

export const toBatchResult = (taskId: string, o: TaskOutcome): BatchTaskResult => ({
  taskId,
  resultCode: resultCodeOf(o),
  resultString: encodeResultString(o.result),
});
