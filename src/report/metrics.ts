import { MetricNames, type MetricsPort } from '../observability/metrics.js';
import type { ReportSummary } from './summary.js';

/**
 * Per-job totals from the report. ObjectsProcessed, BytesProcessed and TaskFailures carry a JobId dimension:
 * the re-encrypt function already emits them per task under {Route} / {Cause} alone, and CloudWatch keeps
 * each dimension set a separate metric, so these never double-count on the dashboard.
 */
export function emitReportMetrics(
  metrics: MetricsPort,
  s: ReportSummary,
  extra: { readonly estimatedKmsRequests?: number; readonly dataBuckets: readonly string[] },
): void {
  const bucket = extra.dataBuckets.length === 1 ? (extra.dataBuckets[0] as string) : 'multiple';
  metrics.add(MetricNames.JobTasksSucceeded, 'Count', s.tasks.succeeded, { Bucket: bucket });
  metrics.add(MetricNames.JobTasksFailed, 'Count', s.tasks.failed, { Bucket: bucket });
  // Without the bucket as well: the failure alarm needs one fixed dimension set whatever the bucket.
  metrics.add(MetricNames.JobTasksFailed, 'Count', s.tasks.failed);
  for (const route of ['skip', 'update', 'copy', 'multipart', 'blocked'] as const) {
    const t = s.routes[route];
    if (t.objects === 0) continue;
    metrics.add(MetricNames.ObjectsProcessed, 'Count', t.objects, { JobId: s.jobId, Route: route });
    metrics.add(MetricNames.BytesProcessed, 'Bytes', t.bytes, { JobId: s.jobId, Route: route });
  }
  for (const c of s.failures.byCause)
    metrics.add(MetricNames.TaskFailures, 'Count', c.count, { JobId: s.jobId, Cause: c.cause });
  if (extra.estimatedKmsRequests !== undefined)
    metrics.add(MetricNames.EstimatedKmsRequests, 'Count', extra.estimatedKmsRequests, { JobId: s.jobId });
}
