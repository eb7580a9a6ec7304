/**
 * Malformed Batch Operations LambdaInvoke events for the re-encrypt handler (aws-facts §1.2–1.3).
 * `throws`: the envelope cannot be answered at all, so the invocation fails (InvalidTaskError naming the
 * field). `task`: the envelope is fine, so the task is answered PermanentFailure with the reason in its
 * resultString (the completion report then names the bad field); nothing is retried.
 */
import { encodeKey } from '../../../src/batch/keys.js';
import type { BadInputCase, World } from './types.js';

export type BatchRefusal = 'throws' | 'task';

export interface BatchEventInput {
  readonly event: (w: World) => unknown;
  readonly refusal: BatchRefusal;
  /** The function has TARGET_KEY_ARN configured (schema 1.0 needs it); default: not. */
  readonly configuredTarget?: boolean;
}

const v2 = (w: World, task: Record<string, unknown> = {}, userArguments: unknown = undefined) => ({
  invocationSchemaVersion: '2.0',
  invocationId: 'inv-bad-input',
  job: { id: 'job-bad-input', userArguments: userArguments ?? { targetKeyArn: w.targetKeyArn } },
  tasks: [{ taskId: 't-1', s3Key: encodeKey(w.dataKey), s3VersionId: null, s3Bucket: w.dataBucket, ...task }],
});

const v1 = (w: World, task: Record<string, unknown> = {}) => ({
  invocationSchemaVersion: '1.0',
  invocationId: 'inv-bad-input',
  job: { id: 'job-bad-input' },
  tasks: [
    {
      taskId: 't-1',
      s3Key: encodeKey(w.dataKey),
      s3VersionId: null,
      s3BucketArn: `arn:aws:s3:::${w.dataBucket}`,
      ...task,
    },
  ],
});

const args = (w: World, extra: Record<string, unknown>) => ({ targetKeyArn: w.targetKeyArn, ...extra });

const throws = (
  name: string,
  event: (w: World) => unknown,
  names: RegExp,
): BadInputCase<BatchEventInput> => ({
  name,
  input: { event, refusal: 'throws' },
  names,
});
const task = (name: string, event: (w: World) => unknown, names: RegExp): BadInputCase<BatchEventInput> => ({
  name,
  input: { event, refusal: 'task' },
  names,
});

export const BATCH_EVENT_CASES: readonly BadInputCase<BatchEventInput>[] = [
  throws('an event that is not a JSON object', () => 'tasks: everything', /Batch event is not a JSON object/),
  throws(
    'an unknown invocationSchemaVersion',
    (w) => ({ ...v2(w), invocationSchemaVersion: '3.0' }),
    /invocationSchemaVersion must be "1\.0" or "2\.0", got "3\.0"/,
  ),
  throws('no invocationId', (w) => ({ ...v2(w), invocationId: undefined }), /invocationId is missing/),
  throws('no job id', (w) => ({ ...v2(w), job: { userArguments: {} } }), /job\.id is missing/),
  throws(
    'tasks that are not a list',
    (w) => ({ ...v2(w), tasks: { taskId: 't-1' } }),
    /tasks must be a non-empty array/,
  ),
  throws('an empty task list', (w) => ({ ...v2(w), tasks: [] }), /tasks must be a non-empty array/),
  throws(
    'a task without a taskId',
    (w) => ({ ...v2(w), tasks: [{ s3Key: encodeKey(w.dataKey), s3Bucket: w.dataBucket }] }),
    /tasks\[0\]\.taskId is missing/,
  ),
  throws(
    'userArguments that are not an object',
    (w) => ({ ...v2(w), job: { id: 'job-bad-input', userArguments: 'targetKeyArn=x' } }),
    /job\.userArguments must be an object/,
  ),
  throws(
    'a user argument that is not a string',
    (w) => v2(w, {}, { targetKeyArn: w.targetKeyArn, bucketKey: true }),
    /job\.userArguments\.bucketKey must be a string/,
  ),
  task(
    'a target key given as an alias',
    (w) => v2(w, {}, { targetKeyArn: 'alias/data-key' }),
    /targetKeyArn must be a full KMS key ARN.*alias\/data-key/,
  ),
  task(
    'no target key at all',
    (w) => v2(w, {}, { bucketKey: 'true' }),
    /job\.userArguments\.targetKeyArn is required/,
  ),
  task(
    'bucketKey that is not a boolean',
    (w) => v2(w, {}, args(w, { bucketKey: 'maybe' })),
    /job\.userArguments\.bucketKey.*"maybe"/,
  ),
  task(
    'an unknown strategy',
    (w) => v2(w, {}, args(w, { strategy: 'fast' })),
    /job\.userArguments\.strategy must be auto, copy or update/,
  ),
  task(
    'a negative multipart threshold',
    (w) => v2(w, {}, args(w, { multipartThresholdBytes: '-5' })),
    /job\.userArguments\.multipartThresholdBytes must be a positive whole number.*"-5"/,
  ),
  task(
    'hints that are not 0 or 1',
    (w) => v2(w, {}, args(w, { hints: 'yes' })),
    /job\.userArguments\.hints must be "1" or "0"/,
  ),
  task(
    'a bucket name with spaces',
    (w) => v2(w, { s3Bucket: 'my data bucket' }),
    /tasks\[0\]\.s3Bucket does not name a valid bucket/,
  ),
  task('no bucket', (w) => v2(w, { s3Bucket: undefined }), /tasks\[0\]\.s3Bucket is missing/),
  task('an empty key', (w) => v2(w, { s3Key: '' }), /tasks\[0\]\.s3Key is missing or empty/),
  task(
    'a key that is not valid URL encoding',
    (w) => v2(w, { s3Key: 'photos%E0%A4%A' }),
    /tasks\[0\]\.s3Key is not valid URL encoding/,
  ),
  task(
    'a key longer than 1,024 bytes',
    (w) => v2(w, { s3Key: 'k'.repeat(1025) }),
    /tasks\[0\]\.s3Key decodes to more than 1024 bytes/,
  ),
  task(
    'a version id that is a number',
    (w) => v2(w, { s3VersionId: 42 }),
    /tasks\[0\]\.s3VersionId must be a string or null/,
  ),
  task(
    'hints=1 and a key that is no task-hints document',
    (w) => v2(w, {}, args(w, { hints: '1' })),
    /tasks\[0\]\.s3Key: s3Key is not a task-hints JSON document/,
  ),
  task(
    'schema 1.0 with no TARGET_KEY_ARN configured',
    (w) => v1(w),
    /TARGET_KEY_ARN must be configured for invocation schema 1\.0/,
  ),
  {
    name: 'schema 1.0 without s3BucketArn',
    input: { event: (w) => v1(w, { s3BucketArn: undefined }), refusal: 'task', configuredTarget: true },
    names: /tasks\[0\]\.s3BucketArn is missing/,
  },
];
