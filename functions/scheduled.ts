import type { Context } from 'aws-lambda';
import { awsSettingsFromEnv, makeKmsClient, makeS3Client, makeS3ControlClient } from '../src/aws/clients.js';
import { loadScheduledConfig } from '../src/config/scheduled.js';
import { fullModelEstimator } from '../src/cost/plan-estimator.js';
import { S3ControlJobs } from '../src/jobs/s3-control-jobs.js';
import { loggerPort, makeLogger } from '../src/observability/logger.js';
import { EmfMetrics } from '../src/observability/metrics.js';
import { runScheduled, type ScheduledOutcome } from '../src/scheduled/run.js';

// Built once per container.
const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'scheduled';
const aws = awsSettingsFromEnv(process.env);
const settings = loadScheduledConfig(process.env, aws);
const logger = makeLogger(serviceName);
const metrics = new EmfMetrics(serviceName);
const deps = {
  s3: makeS3Client(aws),
  kms: makeKmsClient(aws),
  jobs: new S3ControlJobs({ client: makeS3ControlClient(aws) }),
  logger: loggerPort(logger),
  metrics,
  // Hinted jobs let the function skip its HEAD; plain ones are the rare rows whose hints do not fit.
  estimate: fullModelEstimator({ hints: true, deletePriorVersion: settings.trigger.deletePriorVersion }),
};

/** EventBridge schedule: missed inventories, drift, running-job progress. */
export const handler = async (_event: unknown, context: Context): Promise<ScheduledOutcome> => {
  logger.addContext(context);
  try {
    return await runScheduled(deps, settings);
  } finally {
    if (metrics.powertools.hasStoredMetrics()) metrics.publish();
  }
};
