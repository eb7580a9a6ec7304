import type { Context } from 'aws-lambda';
import { awsSettingsFromEnv } from '../src/aws/clients.js';
import { loadScheduledConfig } from '../src/config/scheduled.js';
import { runScheduled, type ScheduledOutcome } from '../src/scheduled/run.js';
import { makeTriggerDeps } from '../src/trigger/deps.js';

// Built once per container.
const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'scheduled';
const aws = awsSettingsFromEnv(process.env);
const settings = loadScheduledConfig(process.env, aws);
const { deps, logger, metrics } = makeTriggerDeps(aws, serviceName, {
  deletePriorVersion: settings.trigger.deletePriorVersion,
});

/** EventBridge schedule: missed inventories, drift, running-job progress. */
export const handler = async (_event: unknown, context: Context): Promise<ScheduledOutcome> => {
  logger.addContext(context);
  try {
    return await runScheduled(deps, settings);
  } finally {
    if (metrics.powertools.hasStoredMetrics()) metrics.publish();
  }
};
