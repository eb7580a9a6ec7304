import type { Context } from 'aws-lambda';
import { awsSettingsFromEnv } from '../src/aws/clients.js';
import { loadTriggerConfig } from '../src/config/trigger.js';
import { makeTriggerDeps } from '../src/trigger/deps.js';
import { runTrigger } from '../src/trigger/run.js';
import type { InventoryOutcome } from '../src/trigger/types.js';

// Built once per container: clients keep their sockets between invocations.
const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 's3-reencrypt';
const aws = awsSettingsFromEnv(process.env);
const settings = loadTriggerConfig(process.env, aws);
const { deps, logger, metrics } = makeTriggerDeps(aws, serviceName, {
  deletePriorVersion: settings.deletePriorVersion,
});

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
