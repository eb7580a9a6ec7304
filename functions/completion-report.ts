import type { Context } from 'aws-lambda';
import { awsSettingsFromEnv, makeS3Client, makeS3ControlClient, makeSnsClient } from '../src/aws/clients.js';
import { loadReportConfig } from '../src/config/report.js';
import { S3ControlJobs } from '../src/jobs/s3-control-jobs.js';
import { SnsNotifier } from '../src/notify/sns.js';
import { loggerPort, makeLogger } from '../src/observability/logger.js';
import { EmfMetrics } from '../src/observability/metrics.js';
import { parseReportEvent } from '../src/report/events.js';
import { makeCompletionReport, type ReportOutcome } from '../src/report/process.js';

// Built once per container: clients keep their sockets between invocations.
const config = loadReportConfig(process.env);
const aws = awsSettingsFromEnv(process.env);
const logger = makeLogger(config.serviceName);
const log = loggerPort(logger);
const metrics = new EmfMetrics(config.serviceName);
const processReport = makeCompletionReport({
  s3: makeS3Client(aws),
  settings: config,
  metrics,
  logger: log,
  jobs: new S3ControlJobs({ client: makeS3ControlClient(aws) }),
  ...(config.topicArn ? { notifier: new SnsNotifier(makeSnsClient(aws), config.topicArn) } : {}),
});

export const handler = async (
  event: unknown,
  context: Context,
): Promise<{ outcomes: ReportOutcome['status'][] }> => {
  logger.addContext(context);
  const { triggers, ignored } = parseReportEvent(event);
  for (const why of ignored) log.info('event ignored', { why });
  try {
    const outcomes: ReportOutcome['status'][] = [];
    // One at a time: records of one S3 notification are few, and each report is CPU-bound to read.
    for (const t of triggers) outcomes.push((await processReport(t)).status);
    return { outcomes };
  } finally {
    if (metrics.powertools.hasStoredMetrics()) metrics.publish();
  }
};
