import type {
  CreateJobCommandInput,
  JobDescriptor,
  JobListDescriptor,
  JobOperation,
} from '@aws-sdk/client-s3-control';
import type { CreateJobRequest, JobDescription, JobOperationSpec, JobStatus } from './port.js';
import { bareEtag, partitionOf } from './validate.js';

/** The completion-report format, the only one S3 Control knows (aws-facts §3.1). */
export const REPORT_FORMAT = 'Report_CSV_20180820';

const bucketArn = (partition: string, bucket: string) => `arn:${partition}:s3:::${bucket}`;

/** Bucket name from `arn:aws:s3:::name` (S3 Control returns the report bucket as an ARN). */
export const bucketNameFromArn = (arn: string): string => arn.slice(arn.lastIndexOf(':') + 1);

function toOperation(op: JobOperationSpec): JobOperation {
  if (op.kind === 'S3UpdateObjectEncryption') {
    return {
      S3UpdateObjectEncryption: {
        ObjectEncryption: { SSEKMS: { KMSKeyArn: op.kmsKeyArn, BucketKeyEnabled: op.bucketKeyEnabled } },
      },
    };
  }
  const args = op.userArguments && Object.keys(op.userArguments).length > 0 ? op.userArguments : undefined;
  return {
    LambdaInvoke: {
      FunctionArn: op.functionArn,
      InvocationSchemaVersion: op.invocationSchemaVersion,
      // An empty map breaks the API's 1–10 entries rule; no arguments means leave the member out.
      ...(args ? { UserArguments: { ...args } } : {}),
    },
  };
}

/** CreateJobRequest → CreateJob input, field for field (aws-facts §2.1–2.2, §3.1). */
export function toCreateJobInput(r: CreateJobRequest): CreateJobCommandInput {
  const partition = partitionOf(r.roleArn);
  const m = r.manifest;
  return {
    AccountId: r.accountId,
    ClientRequestToken: r.clientRequestToken,
    Operation: toOperation(r.operation),
    Manifest: {
      Spec:
        m.format === 'S3BatchOperations_CSV_20180820'
          ? { Format: m.format, Fields: [...m.fields] }
          : { Format: m.format },
      Location: {
        ObjectArn: `arn:${partition}:s3:::${m.bucket}/${m.key}`,
        ETag: bareEtag(m.etag),
        ...(m.versionId ? { ObjectVersionId: m.versionId } : {}),
      },
    },
    Report: {
      Enabled: true,
      Bucket: bucketArn(partition, r.report.bucket),
      Format: REPORT_FORMAT,
      ...(r.report.prefix ? { Prefix: r.report.prefix.replace(/\/+$/, '') } : {}),
      ReportScope: r.report.scope,
    },
    Priority: r.priority,
    RoleArn: r.roleArn,
    ConfirmationRequired: r.confirmationRequired,
    ...(r.description !== undefined ? { Description: r.description } : {}),
    ...(r.tags && r.tags.length > 0 ? { Tags: r.tags.map((t) => ({ Key: t.key, Value: t.value })) } : {}),
  };
}

const operationName = (op: JobOperation | string | undefined): string | undefined => {
  if (op === undefined || typeof op === 'string') return op;
  return Object.keys(op).find((k) => (op as Record<string, unknown>)[k] !== undefined);
};

/** DescribeJob's Job or a ListJobs entry → the port's JobDescription. */
export function toJobDescription(job: JobDescriptor | JobListDescriptor): JobDescription {
  const p = job.ProgressSummary;
  const full =
    'FailureReasons' in job || 'Report' in job || 'RoleArn' in job ? (job as JobDescriptor) : undefined;
  const report = full?.Report;
  const operation = operationName(job.Operation);
  return {
    jobId: job.JobId ?? '',
    status: (job.Status ?? 'New') as JobStatus,
    ...(job.Description !== undefined ? { description: job.Description } : {}),
    ...(job.Priority !== undefined ? { priority: job.Priority } : {}),
    ...(job.CreationTime ? { creationTime: job.CreationTime } : {}),
    ...(job.TerminationDate ? { terminationDate: job.TerminationDate } : {}),
    progress: {
      totalTasks: p?.TotalNumberOfTasks ?? 0,
      succeeded: p?.NumberOfTasksSucceeded ?? 0,
      failed: p?.NumberOfTasksFailed ?? 0,
      ...(p?.Timers?.ElapsedTimeInActiveSeconds !== undefined
        ? { elapsedSeconds: p.Timers.ElapsedTimeInActiveSeconds }
        : {}),
    },
    failureReasons: (full?.FailureReasons ?? []).map((f) => ({
      code: f.FailureCode ?? '',
      reason: f.FailureReason ?? '',
    })),
    ...(full?.StatusUpdateReason ? { statusUpdateReason: full.StatusUpdateReason } : {}),
    ...(full?.ConfirmationRequired !== undefined ? { confirmationRequired: full.ConfirmationRequired } : {}),
    ...(operation ? { operation } : {}),
    ...(report?.Enabled && report.Bucket
      ? { report: { bucket: bucketNameFromArn(report.Bucket), prefix: report.Prefix ?? '' } }
      : {}),
  };
}
