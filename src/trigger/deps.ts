import type { Logger } from '@aws-lambda-powertools/logger';
import { type AwsSettings, makeKmsClient, makeS3Client, makeS3ControlClient } from '../aws/clients.js';
import { fullModelEstimator } from '../cost/plan-estimator.js';
import { S3ControlJobs } from '../jobs/s3-control-jobs.js';
import { loggerPort, makeLogger } from '../observability/logger.js';
import { EmfMetrics } from '../observability/metrics.js';
import type { TriggerDeps } from './types.js';

/**
 * What the manifest-trigger and scheduled Lambdas build once per container: clients, S3 Control jobs,
 * logger, EMF metrics and the full cost model for plan.json.
 */
export function makeTriggerDeps(
  aws: AwsSettings,
  serviceName: string,
  options: { readonly deletePriorVersion: boolean },
): { readonly deps: TriggerDeps; readonly logger: Logger; readonly metrics: EmfMetrics } {
  const logger = makeLogger(serviceName);
  const metrics = new EmfMetrics(serviceName);
  const deps: TriggerDeps = {
    s3: makeS3Client(aws),
    kms: makeKmsClient(aws),
    jobs: new S3ControlJobs({ client: makeS3ControlClient(aws) }),
    logger: loggerPort(logger),
    metrics,
    // Hinted jobs let the function skip its HEAD; plain ones are the rare rows whose hints do not fit.
    estimate: fullModelEstimator({ hints: true, deletePriorVersion: options.deletePriorVersion }),
  };
  return { deps, logger, metrics };
}
