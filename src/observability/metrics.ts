import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** One namespace for every function; the dashboard in serverless.yml reads these exact names. */
export const METRICS_NAMESPACE = 'S3Reencrypt';

export const MetricNames = {
  /** Dimensions: Route (skip/update/copy/multipart/blocked). */
  ObjectsProcessed: 'ObjectsProcessed',
  /** Dimensions: Route. */
  BytesProcessed: 'BytesProcessed',
  /** Dimensions: Cause (a FailureCause). */
  TaskFailures: 'TaskFailures',
  /** Tasks answered TemporaryFailure (to be redriven). Dimensions: Cause. */
  TaskRetries: 'TaskRetries',
  /** Update route unavailable at the endpoint; copy used instead. */
  UpdateFallbacks: 'UpdateFallbacks',
  /** Estimated KMS requests made on the pipeline's behalf. */
  EstimatedKmsRequests: 'EstimatedKmsRequests',
  /** Inventory rows read / kept by the trigger. Dimensions: Bucket. */
  InventoryRowsScanned: 'InventoryRowsScanned',
  InventoryRowsSelected: 'InventoryRowsSelected',
  /** Objects not compliant in the newest inventory. Dimensions: Bucket. */
  NonCompliantObjects: 'NonCompliantObjects',
  /** Non-compliant objects in an inventory taken after the bucket's last completed job (alarmed). */
  DriftAfterCompletedRun: 'DriftAfterCompletedRun',
  JobsCreated: 'JobsCreated',
  /** Completed job tasks by outcome. Dimensions: Bucket. */
  JobTasksSucceeded: 'JobTasksSucceeded',
  JobTasksFailed: 'JobTasksFailed',
  /** Running jobs' progress (percent). Dimensions: JobId. */
  JobProgressPercent: 'JobProgressPercent',
} as const;
export type MetricName = (typeof MetricNames)[keyof typeof MetricNames];

export const Units = {
  Count: MetricUnit.Count,
  Bytes: MetricUnit.Bytes,
  Milliseconds: MetricUnit.Milliseconds,
  Percent: MetricUnit.Percent,
} as const;
export type Unit = keyof typeof Units;

/** What domain code records; adapters decide how (EMF in Lambda, in memory in tests and the CLI). */
export interface MetricsPort {
  add(name: MetricName, unit: Unit, value: number, dimensions?: Readonly<Record<string, string>>): void;
}

export const noopMetrics: MetricsPort = { add: () => {} };

/** Records in memory; tests assert on `records`, the CLI sums them. */
export class RecordingMetrics implements MetricsPort {
  readonly records: { name: MetricName; unit: Unit; value: number; dimensions: Record<string, string> }[] =
    [];
  add(name: MetricName, unit: Unit, value: number, dimensions: Readonly<Record<string, string>> = {}): void {
    this.records.push({ name, unit, value, dimensions: { ...dimensions } });
  }
  sum(name: MetricName, filter: Readonly<Record<string, string>> = {}): number {
    return this.records
      .filter((r) => r.name === name && Object.entries(filter).every(([k, v]) => r.dimensions[k] === v))
      .reduce((a, r) => a + r.value, 0);
  }
}

/**
 * EMF through Powertools. Metrics without extra dimensions are batched and flushed by `publish()`;
 * ones with dimensions go out as single metrics (Powertools keeps one dimension set per batch).
 */
export class EmfMetrics implements MetricsPort {
  readonly powertools: Metrics;
  constructor(serviceName: string, namespace: string = METRICS_NAMESPACE) {
    this.powertools = new Metrics({ namespace, serviceName });
  }
  add(name: MetricName, unit: Unit, value: number, dimensions: Readonly<Record<string, string>> = {}): void {
    const entries = Object.entries(dimensions);
    if (entries.length === 0) {
      this.powertools.addMetric(name, Units[unit], value);
      return;
    }
    const single = this.powertools.singleMetric();
    for (const [k, v] of entries) single.addDimension(k, v);
    single.addMetric(name, Units[unit], value);
  }
  publish(): void {
    this.powertools.publishStoredMetrics();
  }
}
