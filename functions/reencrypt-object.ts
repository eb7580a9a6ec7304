import type { Context } from 'aws-lambda';
import { awsSettingsFromEnv, makeS3Client } from '../src/aws/clients.js';
import type { BatchEvent, BatchResponse } from '../src/batch/types.js';
import { loadReencryptConfig } from '../src/config/reencrypt.js';
import { loggerPort, makeLogger } from '../src/observability/logger.js';
import { EmfMetrics } from '../src/observability/metrics.js';
import { makeReencryptHandler, reencryptOptionsFromConfig } from '../src/reencrypt/index.js';
import { makeMultipartCopier } from '../src/reencrypt/multipart/index.js';

// Built once per container: clients keep their sockets, the handler keeps what it learns about endpoints.
const config = loadReencryptConfig(process.env);
const aws = awsSettingsFromEnv(process.env);
const s3 = makeS3Client(aws);
const logger = makeLogger(config.serviceName);
const log = loggerPort(logger);
const metrics = new EmfMetrics(config.serviceName);
const multipart = config.checkpoints
  ? makeMultipartCopier({ s3, checkpoints: config.checkpoints, logger: log })
  : undefined;
const run = makeReencryptHandler(
  { s3, logger: log, metrics, ...(multipart ? { multipart } : {}) },
  reencryptOptionsFromConfig(config, aws),
);

export const handler = async (event: BatchEvent, context: Context): Promise<BatchResponse> => {
  logger.addContext(context);
  try {
    return await run(event, context);
  } finally {
    if (metrics.powertools.hasStoredMetrics()) metrics.publish();
  }
};
