/** Failures of the local pipeline that are about its input, not about one object. */
export class PipelineError extends Error {
  override readonly name: string = 'PipelineError';
}

/** The source given to the pipeline cannot be used (bad URI, not an inventory, empty or malformed CSV). */
export class PipelineInputError extends PipelineError {
  override readonly name = 'PipelineInputError';
  /** What was given, e.g. `s3://bucket/key` or a file path. */
  readonly input: string;
  constructor(message: string, input: string, options?: ErrorOptions) {
    super(message, options);
    this.input = input;
  }
}

/** The run was stopped through its AbortSignal; the jobs it started were cancelled. */
export class PipelineCancelledError extends PipelineError {
  override readonly name = 'PipelineCancelledError';
  readonly jobIds: readonly string[];
  constructor(message: string, jobIds: readonly string[], options?: ErrorOptions) {
    super(message, options);
    this.jobIds = jobIds;
  }
}
