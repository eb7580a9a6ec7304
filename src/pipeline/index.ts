/** The whole pipeline in one process (the CLI's `run` and `demo`): trigger → local Batch engine → report. */
export { PipelineCancelledError, PipelineError, PipelineInputError } from './errors.js';
export { jobStatusChangedEvent, s3ObjectCreatedEvent } from './events.js';
export { runLocalPipeline } from './local.js';
export type {
  BlockedObject,
  LocalPipelineDeps,
  LocalPipelineOptions,
  LocalPipelineResult,
  PipelineEvent,
  PipelineJob,
  PipelineLocation,
  PipelineSource,
  PipelineStage,
  PipelineStatus,
  PipelineTotals,
} from './types.js';
export { PipelineStages } from './types.js';
