import { encodeKey } from '../../../../src/batch/keys.js';
import type { BatchEventV1, BatchEventV2, InvocationContext } from '../../../../src/batch/types.js';

/** A task as a test names it: decoded key; the builders encode it the way Batch does. */
export interface TaskSpec {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string | null;
  readonly taskId?: string;
  /** Send this exact s3Key instead of encoding `key` (hinted tasks, form-style `+`). */
  readonly rawKey?: string;
}

const taskId = (t: TaskSpec, i: number) => t.taskId ?? `task-${i}`;
const keyField = (t: TaskSpec) => t.rawKey ?? encodeKey(t.key);

/** Schema 1.0 event (aws-facts §1.2): bucket ARN, no job arguments. */
export function eventV1(tasks: readonly TaskSpec[], invocationId = 'inv-1', jobId = 'job-1'): BatchEventV1 {
  return {
    invocationSchemaVersion: '1.0',
    invocationId,
    job: { id: jobId },
    tasks: tasks.map((t, i) => ({
      taskId: taskId(t, i),
      s3Key: keyField(t),
      s3VersionId: t.versionId ?? null,
      s3BucketArn: `arn:aws:s3:::${t.bucket}`,
    })),
  };
}

/** Schema 2.0 event (aws-facts §1.3): bucket name, job userArguments. */
export function eventV2(
  tasks: readonly TaskSpec[],
  userArguments: Readonly<Record<string, string>>,
  invocationId = 'inv-2',
  jobId = 'job-2',
): BatchEventV2 {
  return {
    invocationSchemaVersion: '2.0',
    invocationId,
    job: { id: jobId, userArguments },
    tasks: tasks.map((t, i) => ({
      taskId: taskId(t, i),
      s3Key: keyField(t),
      s3VersionId: t.versionId ?? null,
      s3Bucket: t.bucket,
    })),
  };
}

/** The slice of a Lambda context the handler reads. */
export const lambdaContext = (remainingMs = 600_000): InvocationContext => ({
  getRemainingTimeInMillis: () => remainingMs,
  awsRequestId: 'req-1',
  functionName: 'reencrypt-object',
});

export const TARGET_KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1111aaaa-2222-bbbb-3333-cccc4444dddd';
export const OTHER_KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/9999ffff-8888-eeee-7777-dddd6666cccc';
