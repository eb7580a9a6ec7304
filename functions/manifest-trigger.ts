import type { Context } from 'aws-lambda';
import { awsSettingsFromEnv, makeKmsClient, makeS3Client, makeS3ControlClient } from '../src/aws/clients.js';
import { loadTriggerConfig } from '../src/config/trigger.js';
import { fullModelEstimator } from '../src/cost/plan-estimator.js';
import { S3ControlJobs } from '../src/jobs/s3-control-jobs.js';
import { loggerPort, makeLogger } from '../src/observability/logger.js';
import { EmfMetrics } from '../src/observability/metrics.js';
import { runTrigger } from '../src/trigger/run.js';
import type { InventoryOutcome } from '../src/trigger/types.js';

// Built once per container: clients keep their sockets between invocations.
const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 's3-reencrypt';
const aws = awsSettingsFromEnv(process.env);
const settings = loadTriggerConfig(process.env, aws);
const logger = makeLogger(serviceName);
const metrics = new EmfMetrics(serviceName);
const deps = {
  s3: makeS3Client(aws),
  kms: makeKmsClient(aws),
  jobs: new S3ControlJobs({ client: makeS3ControlClient(aws) }),
  logger: loggerPort(logger),
  metrics,
  // Hinted jobs let the function skip its HEAD; plain ones are the rare rows whose hints do not fit.
  estimate: fullModelEstimator({ hints: true, deletePriorVersion: settings.deletePriorVersion }),
};

/** S3 notification or EventBridge "Object Created" → jobs for each inventory manifest.json it names. */
export const handler = async (
  event: unknown,
  context: Context,
): Promise<{ outcomes: InventoryOutcome[] }> => {
  logger.addContext(context);
  try {
    // Errors propagate: the invocation is retried, and a redelivery cannot create a second job.
    return { outcomes: await runTrigger(deps, settings, event) };
  } finally {
    if (metrics.powertools.hasStoredMetrics()) metrics.publish();
  }
};
