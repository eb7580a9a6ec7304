import type { ResultCode } from '../batch/types.js';
import type { LoggerPort } from '../observability/logger.js';
import { MetricNames, type MetricsPort } from '../observability/metrics.js';
import type { TaskOutcome } from './outcome.js';

/** Metrics of one answered task (names and dimensions as the dashboard reads them). */
export function recordTaskMetrics(metrics: MetricsPort, o: TaskOutcome): void {
  const r = o.result;
  if (o.status === 'succeeded' || r.route === 'blocked') {
    metrics.add(MetricNames.ObjectsProcessed, 'Count', 1, { Route: r.route });
    if (o.status === 'succeeded')
      metrics.add(MetricNames.BytesProcessed, 'Bytes', r.bytes, { Route: r.route });
  }
  if (o.status === 'failed') {
    const name = o.retryable ? MetricNames.TaskRetries : MetricNames.TaskFailures;
    metrics.add(name, 'Count', 1, { Cause: r.cause ?? 'unknown' });
  }
  if (r.fallback) metrics.add(MetricNames.UpdateFallbacks, 'Count', 1);
}

export interface TaskLogKeys {
  readonly jobId: string;
  readonly invocationId: string;
  readonly taskId: string;
  readonly bucket?: string;
  readonly key?: string;
  readonly versionId?: string;
}

/** One structured line per task: what was done, and why it failed when it did. */
export function logTask(logger: LoggerPort, keys: TaskLogKeys, code: ResultCode, o: TaskOutcome): void {
  const r = o.result;
  const line = {
    ...keys,
    resultCode: code,
    route: r.route,
    bytes: r.bytes,
    source: r.source,
    ms: r.ms,
    ...(r.cause ? { cause: r.cause } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.fallback ? { fallback: r.fallback } : {}),
  };
  if (o.status === 'succeeded') logger.info('task done', line);
  else if (o.retryable) logger.warn('task to be retried', line);
  else logger.error('task failed', line);
}
