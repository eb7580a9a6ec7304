// Variable source for serverless.yml: the CloudWatch dashboard body. Custom metrics are selected with
// SEARCH so a widget shows every bucket / route / cause the functions emit, whatever the values.
// test/integration/template/dashboard.test.ts checks each metric name here is really emitted.
'use strict';

const NAMESPACE = 'S3Reencrypt';

// A schema (namespace + the exact dimension set) selects one series family: the per-object metrics of
// the re-encrypt function ({Route, service}) are not summed with the per-job ones of the report.
const search = (metric, dims, stat, label) => ({
  expression: `SEARCH('{${[NAMESPACE, ...dims, 'service'].join(',')}} MetricName="${metric}"', '${stat}', 300)`,
  label,
  id: `${metric.toLowerCase()}${stat.toLowerCase()}`,
});

const customWidget = (title, metric, dims, stat, x, y, view = 'timeSeries') => ({
  type: 'metric',
  x,
  y,
  width: 8,
  height: 6,
  properties: {
    title,
    view,
    stacked: view === 'timeSeries',
    region: '${AWS::Region}',
    period: 300,
    metrics: [[search(metric, dims, stat, metric)]],
  },
});

const lambdaWidget = (title, metric, stat, functions, x, y) => ({
  type: 'metric',
  x,
  y,
  width: 8,
  height: 6,
  properties: {
    title,
    view: 'timeSeries',
    region: '${AWS::Region}',
    period: 300,
    stat,
    metrics: functions.map((fn) => ['AWS/Lambda', metric, 'FunctionName', fn]),
  },
});

module.exports = async ({ resolveVariable }) => {
  const service = await resolveVariable('self:service');
  const stage = await resolveVariable('sls:stage');
  const fns = ['reencrypt-object', 'manifest-trigger', 'completion-report', 'scheduled'].map(
    (f) => `${service}-${stage}-${f}`,
  );
  const widgets = [
    customWidget('Objects by route', 'ObjectsProcessed', ['Route'], 'Sum', 0, 0),
    customWidget('Bytes by route', 'BytesProcessed', ['Route'], 'Sum', 8, 0),
    customWidget('Task failures by cause', 'TaskFailures', ['Cause'], 'Sum', 16, 0),
    customWidget('Temporary failures (redriven) by cause', 'TaskRetries', ['Cause'], 'Sum', 0, 6),
    customWidget('Job progress (%)', 'JobProgressPercent', ['JobId'], 'Maximum', 8, 6),
    customWidget(
      'Non-compliant objects in the newest inventory',
      'NonCompliantObjects',
      ['Bucket'],
      'Maximum',
      16,
      6,
    ),
    customWidget('Estimated KMS requests per job', 'EstimatedKmsRequests', ['JobId'], 'Sum', 0, 12),
    customWidget('Job tasks succeeded', 'JobTasksSucceeded', ['Bucket'], 'Sum', 8, 12),
    customWidget('Job tasks failed', 'JobTasksFailed', ['Bucket'], 'Sum', 16, 12),
    customWidget('Inventory rows scanned', 'InventoryRowsScanned', ['Bucket'], 'Sum', 0, 18),
    customWidget('Inventory rows selected for work', 'InventoryRowsSelected', ['Bucket'], 'Sum', 8, 18),
    customWidget('Update route fallbacks to copy', 'UpdateFallbacks', [], 'Sum', 16, 18),
    lambdaWidget('Lambda duration (p99)', 'Duration', 'p99', fns, 0, 24),
    lambdaWidget('Lambda errors', 'Errors', 'Sum', fns, 8, 24),
    lambdaWidget('Lambda throttles', 'Throttles', 'Sum', fns, 16, 24),
    lambdaWidget('Lambda concurrency', 'ConcurrentExecutions', 'Maximum', fns, 0, 30),
    customWidget('Drift after a completed run (alarmed)', 'DriftAfterCompletedRun', [], 'Maximum', 8, 30),
    customWidget('Jobs created', 'JobsCreated', [], 'Sum', 16, 30),
  ];
  return { 'Fn::Sub': JSON.stringify({ widgets }) };
};
