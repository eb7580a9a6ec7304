import {
  type JobStatus as AwsJobStatus,
  CreateJobCommand,
  DescribeJobCommand,
  ListJobsCommand,
  type S3ControlClient,
  UpdateJobStatusCommand,
} from '@aws-sdk/client-s3-control';
import {
  JobIdempotencyError,
  JobNotFoundError,
  JobRequestRejectedError,
  JobStatusError,
  JobsError,
  JobsThrottledError,
} from './errors.js';
import type { BatchJobs, CreateJobRequest, JobDescription, ListJobsFilter } from './port.js';
import { toCreateJobInput, toJobDescription } from './s3-control-mapping.js';
import { statusUpdateReason, validateCreateJobRequest } from './validate.js';

/** ListJobs returns at most this many jobs per page (aws-facts §2.4). */
const LIST_PAGE_MAX = 1000;

export interface S3ControlJobsOptions {
  /** Built once per container; its own retry strategy already retries TooManyRequests and 5xx. */
  readonly client: S3ControlClient;
}

/**
 * BatchJobs over the real S3 Control API. Throttling is retried by the SDK client (standard retry
 * mode, `maxAttempts`); what is left after that surfaces as JobsThrottledError (`retryable`), which a
 * trigger can let fail so its event is redelivered — CreateJob is idempotent by ClientRequestToken,
 * so the redelivery cannot create a second job.
 */
export class S3ControlJobs implements BatchJobs {
  readonly #client: S3ControlClient;

  constructor(options: S3ControlJobsOptions) {
    this.#client = options.client;
  }

  async create(request: CreateJobRequest): Promise<{ readonly jobId: string }> {
    validateCreateJobRequest(request);
    const out = await this.#call(() => this.#client.send(new CreateJobCommand(toCreateJobInput(request))), {
      token: request.clientRequestToken,
    });
    if (!out.JobId) throw new JobsError('CreateJob answered without a JobId');
    return { jobId: out.JobId };
  }

  async describe(accountId: string, jobId: string): Promise<JobDescription> {
    const out = await this.#call(
      () => this.#client.send(new DescribeJobCommand({ AccountId: accountId, JobId: jobId })),
      { jobId },
    );
    if (!out.Job) throw new JobNotFoundError(`DescribeJob returned no job for ${jobId}`, { jobId });
    return toJobDescription(out.Job);
  }

  /** Follows NextToken until `maxResults` jobs (default: all) have been read. */
  async list(accountId: string, filter: ListJobsFilter = {}): Promise<readonly JobDescription[]> {
    const jobs: JobDescription[] = [];
    const wanted = filter.maxResults ?? Number.POSITIVE_INFINITY;
    if (wanted <= 0) return jobs;
    let nextToken: string | undefined;
    do {
      const pageSize = Math.min(LIST_PAGE_MAX, wanted - jobs.length);
      const out = await this.#call(
        () =>
          this.#client.send(
            new ListJobsCommand({
              AccountId: accountId,
              ...(filter.statuses?.length ? { JobStatuses: [...filter.statuses] as AwsJobStatus[] } : {}),
              MaxResults: pageSize,
              ...(nextToken ? { NextToken: nextToken } : {}),
            }),
          ),
        {},
      );
      for (const j of out.Jobs ?? []) if (jobs.length < wanted) jobs.push(toJobDescription(j));
      nextToken = out.NextToken;
    } while (nextToken && jobs.length < wanted);
    return jobs;
  }

  async cancel(accountId: string, jobId: string, reason?: string): Promise<void> {
    await this.#updateStatus(accountId, jobId, 'Cancelled', reason);
  }

  async confirm(accountId: string, jobId: string): Promise<void> {
    await this.#updateStatus(accountId, jobId, 'Ready');
  }

  async #updateStatus(
    accountId: string,
    jobId: string,
    requested: 'Ready' | 'Cancelled',
    reason?: string,
  ): Promise<void> {
    await this.#call(
      () =>
        this.#client.send(
          new UpdateJobStatusCommand({
            AccountId: accountId,
            JobId: jobId,
            RequestedJobStatus: requested,
            ...(reason ? { StatusUpdateReason: statusUpdateReason(reason) } : {}),
          }),
        ),
      { jobId },
    );
  }

  async #call<T>(fn: () => Promise<T>, context: { jobId?: string; token?: string }): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw mapError(error, context);
    }
  }
}

/** S3 Control exceptions → the port's errors; unknown errors pass through untouched. */
function mapError(error: unknown, context: { jobId?: string; token?: string }): unknown {
  if (!(error instanceof Error)) return error;
  const ctx = context.jobId ? { jobId: context.jobId } : {};
  const what = context.jobId ? `job ${context.jobId}` : 'S3 Control';
  switch (error.name) {
    case 'IdempotencyException':
      return new JobIdempotencyError(
        context.token ?? '',
        `ClientRequestToken "${context.token}" was already used for a job with different parameters: ${error.message}`,
        ctx,
        { cause: error },
      );
    case 'TooManyRequestsException':
      return new JobsThrottledError(`${what}: S3 Control is throttling requests; try again later`, ctx, {
        cause: error,
      });
    case 'NotFoundException':
    case 'NoSuchJobException':
      return new JobNotFoundError(
        `no job ${context.jobId} in this account and Region (terminal jobs expire after 90 days)`,
        ctx,
        { cause: error },
      );
    case 'JobStatusException':
      return new JobStatusError(`${what}: status change refused: ${error.message}`, ctx, { cause: error });
    case 'BadRequestException':
    case 'InvalidRequestException':
      return new JobRequestRejectedError(`${what}: request rejected: ${error.message}`, ctx, {
        cause: error,
      });
    case 'InternalServiceException':
      return new JobsError(
        `${what}: S3 Control internal error: ${error.message}`,
        { ...ctx, retryable: true },
        {
          cause: error,
        },
      );
    default:
      return error;
  }
}
