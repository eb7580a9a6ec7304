import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { BatchEvent, BatchHandler, BatchTaskResult } from '../../src/batch/types.js';
import type { CreateJobRequest, JobManifestSpec, JobOperationSpec } from '../../src/jobs/port.js';

export const ACCOUNT_ID = '123456789012';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/s3-reencrypt-batch`;
export const FUNCTION_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:s3-reencrypt-object`;
export const TARGET_KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const MANIFEST_ETAG = '0123456789abcdef0123456789abcdef';

export const lambdaOperation = (
  overrides: Partial<Extract<JobOperationSpec, { kind: 'LambdaInvoke' }>> = {},
) =>
  ({
    kind: 'LambdaInvoke',
    functionArn: FUNCTION_ARN,
    invocationSchemaVersion: '2.0',
    userArguments: { targetKeyArn: TARGET_KEY_ARN, bucketKey: 'true' },
    ...overrides,
  }) satisfies JobOperationSpec;

export const csvManifest = (
  overrides: Partial<Extract<JobManifestSpec, { format: 'S3BatchOperations_CSV_20180820' }>> = {},
) =>
  ({
    format: 'S3BatchOperations_CSV_20180820',
    bucket: 'manifests-bucket',
    key: 'plans/2026-01-01/manifest.csv',
    etag: MANIFEST_ETAG,
    fields: ['Bucket', 'Key'],
    ...overrides,
  }) satisfies JobManifestSpec;

/** A valid CreateJobRequest for a schema 2.0 Lambda job; override what a test is about. */
export function aCreateJobRequest(overrides: Partial<CreateJobRequest> = {}): CreateJobRequest {
  return {
    accountId: ACCOUNT_ID,
    clientRequestToken: 'token-0001',
    operation: lambdaOperation(),
    manifest: csvManifest(),
    report: { bucket: 'reports-bucket', prefix: 'reports', scope: 'AllTasks' },
    priority: 10,
    roleArn: ROLE_ARN,
    confirmationRequired: false,
    description: 're-encrypt source-bucket',
    tags: [{ key: 'source-bucket', value: 'source-bucket' }],
    ...overrides,
  };
}

/** A handler that answers every task with `answer(task, event)`; records each event it receives. */
export function recordingHandler(
  answer: (
    task: BatchEvent['tasks'][number],
    event: BatchEvent,
  ) => Omit<BatchTaskResult, 'taskId'> | Promise<Omit<BatchTaskResult, 'taskId'>>,
) {
  const events: BatchEvent[] = [];
  const handler: BatchHandler = async (event) => {
    events.push(event);
    const results = [];
    for (const task of event.tasks) results.push({ taskId: task.taskId, ...(await answer(task, event)) });
    return {
      invocationSchemaVersion: event.invocationSchemaVersion,
      treatMissingKeysAs: 'PermanentFailure',
      invocationId: event.invocationId,
      results,
    };
  };
  return { handler, events };
}

export const succeeded = (resultString = '{"r":"copy"}') => ({
  resultCode: 'Succeeded' as const,
  resultString,
});
export const permanent = (resultString = 'access denied') => ({
  resultCode: 'PermanentFailure' as const,
  resultString,
});
export const temporary = (resultString = 'throttled') => ({
  resultCode: 'TemporaryFailure' as const,
  resultString,
});

/** Text of a Batch CSV manifest: one `bucket,key[,version]` row per entry, each line ending in \n. */
export const csvManifestText = (rows: readonly (readonly string[])[]): string =>
  rows.map((r) => `${r.join(',')}\n`).join('');

/** A promise that stays pending until `open()` is called. */
export function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** One CSV inventory data file (gzip) and the manifest.json that lists it, as S3 Inventory delivers them. */
export function csvInventory(options: {
  readonly sourceBucket: string;
  readonly destinationBucket: string;
  readonly dataKey: string;
  /** Values in fileSchema order; keys URL-encoded as S3 Inventory writes them. */
  readonly rows: readonly (readonly string[])[];
  readonly fileSchema?: string;
  readonly fileFormat?: string;
}) {
  const csv = options.rows.map((r) => `${r.map((v) => `"${v}"`).join(',')}\n`).join('');
  const data = gzipSync(Buffer.from(csv));
  const manifest = {
    sourceBucket: options.sourceBucket,
    destinationBucket: `arn:aws:s3:::${options.destinationBucket}`,
    version: '2016-11-30',
    creationTimestamp: '1767225600000',
    fileFormat: options.fileFormat ?? 'CSV',
    fileSchema: options.fileSchema ?? 'Bucket, Key, Size, EncryptionStatus',
    files: [
      { key: options.dataKey, size: data.length, MD5checksum: createHash('md5').update(data).digest('hex') },
    ],
  };
  return { data, manifestJson: JSON.stringify(manifest) };
}
