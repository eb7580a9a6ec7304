/**
 * S3ControlJobs against a client mock: moto does not implement S3 Batch Operations jobs
 * (testing.md), so these tests pin the exact request each port call sends instead.
 */
import {
  BadRequestException,
  CreateJobCommand,
  DescribeJobCommand,
  IdempotencyException,
  JobStatusException,
  ListJobsCommand,
  NotFoundException,
  S3ControlClient,
  TooManyRequestsException,
  UpdateJobStatusCommand,
} from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
// Registers the toReceive* aliases and their types (test/support/setup-matchers.ts registers only toHaveReceived*).
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, describe, expect, it } from 'vitest';
import {
  InvalidJobRequestError,
  JobIdempotencyError,
  JobNotFoundError,
  JobRequestRejectedError,
  JobStatusError,
  JobsThrottledError,
} from '../../../src/jobs/errors.js';
import { S3ControlJobs } from '../../../src/jobs/s3-control-jobs.js';
import {
  ACCOUNT_ID,
  aCreateJobRequest,
  csvManifest,
  FUNCTION_ARN,
  lambdaOperation,
  ROLE_ARN,
  TARGET_KEY_ARN,
} from '../../helpers/jobs.js';

const s3control = mockClient(S3ControlClient);
const jobs = new S3ControlJobs({ client: new S3ControlClient({ region: 'us-east-1' }) });
const JOB_ID = '6e3f1c2a-9d4b-4a7e-8c1f-0b2d3e4f5a6b';

afterEach(() => s3control.reset());

const metadata = { httpStatusCode: 400, $metadata: {} };

describe('S3ControlJobs.create', () => {
  it('sends a schema 2.0 LambdaInvoke CreateJob with every field mapped', async () => {
    // Prepare
    s3control.on(CreateJobCommand).resolves({ JobId: JOB_ID });
    // Act
    const out = await jobs.create(aCreateJobRequest());
    // Assess
    expect(out).toEqual({ jobId: JOB_ID });
    expect(s3control).toReceiveCommandTimes(CreateJobCommand, 1);
    expect(s3control.commandCalls(CreateJobCommand)[0]?.args[0].input).toEqual({
      AccountId: ACCOUNT_ID,
      ClientRequestToken: 'token-0001',
      Operation: {
        LambdaInvoke: {
          FunctionArn: FUNCTION_ARN,
          InvocationSchemaVersion: '2.0',
          UserArguments: { targetKeyArn: TARGET_KEY_ARN, bucketKey: 'true' },
        },
      },
      Manifest: {
        Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
        Location: {
          ObjectArn: 'arn:aws:s3:::manifests-bucket/plans/2026-01-01/manifest.csv',
          ETag: '0123456789abcdef0123456789abcdef',
        },
      },
      Report: {
        Enabled: true,
        Bucket: 'arn:aws:s3:::reports-bucket',
        Format: 'Report_CSV_20180820',
        Prefix: 'reports',
        ReportScope: 'AllTasks',
      },
      Priority: 10,
      RoleArn: ROLE_ARN,
      ConfirmationRequired: false,
      Description: 're-encrypt source-bucket',
      Tags: [{ Key: 'source-bucket', Value: 'source-bucket' }],
    });
  });

  it('maps an S3UpdateObjectEncryption job on an inventory manifest with a version id', async () => {
    // Prepare
    s3control.on(CreateJobCommand).resolves({ JobId: JOB_ID });
    const request = aCreateJobRequest({
      operation: { kind: 'S3UpdateObjectEncryption', kmsKeyArn: TARGET_KEY_ARN, bucketKeyEnabled: true },
      manifest: {
        format: 'S3InventoryReport_CSV_20161130',
        bucket: 'inventory-bucket',
        key: 'src/inv/2026-01-01T01-00Z/manifest.json',
        etag: '"fedcba9876543210fedcba9876543210"',
        versionId: 'v-123',
      },
      report: { bucket: 'reports-bucket', prefix: 'reports/', scope: 'FailedTasksOnly' },
      confirmationRequired: true,
      description: undefined,
      tags: undefined,
    });
    // Act
    await jobs.create(request);
    // Assess
    expect(s3control.commandCalls(CreateJobCommand)[0]?.args[0].input).toEqual({
      AccountId: ACCOUNT_ID,
      ClientRequestToken: 'token-0001',
      Operation: {
        S3UpdateObjectEncryption: {
          ObjectEncryption: { SSEKMS: { KMSKeyArn: TARGET_KEY_ARN, BucketKeyEnabled: true } },
        },
      },
      Manifest: {
        Spec: { Format: 'S3InventoryReport_CSV_20161130' },
        Location: {
          ObjectArn: 'arn:aws:s3:::inventory-bucket/src/inv/2026-01-01T01-00Z/manifest.json',
          ETag: 'fedcba9876543210fedcba9876543210',
          ObjectVersionId: 'v-123',
        },
      },
      Report: {
        Enabled: true,
        Bucket: 'arn:aws:s3:::reports-bucket',
        Format: 'Report_CSV_20180820',
        Prefix: 'reports',
        ReportScope: 'FailedTasksOnly',
      },
      Priority: 10,
      RoleArn: ROLE_ARN,
      ConfirmationRequired: true,
    });
  });

  it('sends schema 1.0 without UserArguments and uses the role partition in S3 ARNs', async () => {
    // Prepare
    s3control.on(CreateJobCommand).resolves({ JobId: JOB_ID });
    const request = aCreateJobRequest({
      roleArn: 'arn:aws-cn:iam::123456789012:role/batch',
      operation: lambdaOperation({
        functionArn: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:f:live',
        invocationSchemaVersion: '1.0',
        userArguments: {},
      }),
      manifest: csvManifest({ fields: ['Bucket', 'Key', 'VersionId'] }),
    });
    // Act
    await jobs.create(request);
    // Assess
    expect(s3control).toReceiveCommandWith(CreateJobCommand, {
      Operation: {
        LambdaInvoke: {
          FunctionArn: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:f:live',
          InvocationSchemaVersion: '1.0',
        },
      },
      Manifest: {
        Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key', 'VersionId'] },
        Location: {
          ObjectArn: 'arn:aws-cn:s3:::manifests-bucket/plans/2026-01-01/manifest.csv',
          ETag: '0123456789abcdef0123456789abcdef',
        },
      },
    });
    const sent = s3control.commandCalls(CreateJobCommand)[0]?.args[0].input;
    expect(sent?.Operation?.LambdaInvoke).not.toHaveProperty('UserArguments');
    expect(sent?.Report?.Bucket).toBe('arn:aws-cn:s3:::reports-bucket');
  });

  const tooMany = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
  it.each([
    ['an empty token', { clientRequestToken: '' }, 'clientRequestToken'],
    ['a 65-character token', { clientRequestToken: 't'.repeat(65) }, 'clientRequestToken'],
    ['a 257-character description', { description: 'd'.repeat(257) }, 'description'],
    ['an empty description', { description: '' }, 'description'],
    ['a negative priority', { priority: -1 }, 'priority'],
    ['a fractional priority', { priority: 1.5 }, 'priority'],
    ['a user ARN instead of a role', { roleArn: 'arn:aws:iam::123456789012:user/me' }, 'roleArn'],
    ['a short account id', { accountId: '1234' }, 'accountId'],
    [
      '11 user arguments',
      { operation: lambdaOperation({ userArguments: tooMany(11) }) },
      'operation.userArguments',
    ],
    [
      'a 65-character argument name',
      { operation: lambdaOperation({ userArguments: { ['k'.repeat(65)]: 'v' } }) },
      'operation.userArguments key',
    ],
    [
      'a 1,025-character argument value',
      { operation: lambdaOperation({ userArguments: { big: 'v'.repeat(1025) } }) },
      'operation.userArguments.big',
    ],
    [
      'user arguments with schema 1.0',
      { operation: lambdaOperation({ invocationSchemaVersion: '1.0' }) },
      'operation.userArguments',
    ],
    [
      'a function name instead of an ARN',
      { operation: lambdaOperation({ functionArn: 'reencrypt' }) },
      'operation.functionArn',
    ],
    [
      'a key alias for S3UpdateObjectEncryption',
      {
        operation: {
          kind: 'S3UpdateObjectEncryption',
          kmsKeyArn: 'alias/x',
          bucketKeyEnabled: true,
        } as const,
      },
      'operation.kmsKeyArn',
    ],
    ['a malformed manifest ETag', { manifest: csvManifest({ etag: 'W/"abc"' }) }, 'manifest.etag'],
    [
      'a manifest without a Key column',
      { manifest: csvManifest({ fields: ['Bucket', 'VersionId'] }) },
      'manifest.fields',
    ],
    [
      'an invalid report bucket',
      { report: { bucket: 'Reports_Bucket', prefix: 'r', scope: 'AllTasks' as const } },
      'report.bucket',
    ],
    [
      'a 513-character report prefix',
      { report: { bucket: 'reports', prefix: 'p'.repeat(513), scope: 'AllTasks' as const } },
      'report.prefix',
    ],
    ['a 129-character tag key', { tags: [{ key: 'k'.repeat(129), value: 'v' }] }, 'tags[0].key'],
    [
      'duplicate tag keys',
      {
        tags: [
          { key: 'a', value: '1' },
          { key: 'a', value: '2' },
        ],
      },
      'tags[1].key',
    ],
  ])('refuses %s before calling S3 Control', async (_case, overrides, field) => {
    // Prepare
    const request = aCreateJobRequest(overrides);
    // Act
    const outcome = jobs.create(request);
    // Assess
    await expect(outcome).rejects.toThrow(InvalidJobRequestError);
    await expect(outcome).rejects.toMatchObject({ field });
    expect(s3control).not.toReceiveCommand(CreateJobCommand);
  });

  it('accepts exactly 10 user arguments, a 64-character token and a 256-character description', async () => {
    // Prepare
    s3control.on(CreateJobCommand).resolves({ JobId: JOB_ID });
    const request = aCreateJobRequest({
      clientRequestToken: 't'.repeat(64),
      description: 'd'.repeat(256),
      operation: lambdaOperation({ userArguments: tooMany(10) }),
    });
    // Act
    const out = await jobs.create(request);
    // Assess
    expect(out.jobId).toBe(JOB_ID);
  });

  it('reports a reused token with different parameters as JobIdempotencyError', async () => {
    // Prepare
    s3control
      .on(CreateJobCommand)
      .rejects(new IdempotencyException({ message: 'token reused', ...metadata }));
    // Act
    const outcome = jobs.create(aCreateJobRequest());
    // Assess
    await expect(outcome).rejects.toThrow(JobIdempotencyError);
    await expect(outcome).rejects.toMatchObject({ clientRequestToken: 'token-0001', retryable: false });
  });

  it('reports throttling left after the SDK retries as a retryable JobsThrottledError', async () => {
    // Prepare
    s3control
      .on(CreateJobCommand)
      .rejects(new TooManyRequestsException({ message: 'slow down', ...metadata }));
    // Act
    const outcome = jobs.create(aCreateJobRequest());
    // Assess
    await expect(outcome).rejects.toThrow(JobsThrottledError);
    await expect(outcome).rejects.toMatchObject({ retryable: true });
  });

  it('reports a BadRequestException with the service message', async () => {
    // Prepare
    s3control
      .on(CreateJobCommand)
      .rejects(new BadRequestException({ message: 'ETag mismatch', ...metadata }));
    // Act
    const outcome = jobs.create(aCreateJobRequest());
    // Assess
    await expect(outcome).rejects.toThrow(JobRequestRejectedError);
    await expect(outcome).rejects.toThrow(/ETag mismatch/);
  });
});

describe('S3ControlJobs.describe', () => {
  it('maps DescribeJob progress, failure reasons and the report location', async () => {
    // Prepare
    s3control.on(DescribeJobCommand, { AccountId: ACCOUNT_ID, JobId: JOB_ID }).resolves({
      Job: {
        JobId: JOB_ID,
        Status: 'Failed',
        Description: 'd',
        Priority: 10,
        ConfirmationRequired: false,
        CreationTime: new Date('2026-01-01T00:00:00Z'),
        TerminationDate: new Date('2026-01-01T01:00:00Z'),
        Operation: { LambdaInvoke: { FunctionArn: FUNCTION_ARN } },
        ProgressSummary: {
          TotalNumberOfTasks: 2000,
          NumberOfTasksSucceeded: 900,
          NumberOfTasksFailed: 1100,
          Timers: { ElapsedTimeInActiveSeconds: 42 },
        },
        FailureReasons: [{ FailureCode: 'TaskFailureThresholdExceeded', FailureReason: 'too many' }],
        StatusUpdateReason: 'threshold',
        Report: { Enabled: true, Bucket: 'arn:aws:s3:::reports-bucket', Prefix: 'reports' },
      },
    });
    // Act
    const job = await jobs.describe(ACCOUNT_ID, JOB_ID);
    // Assess
    expect(job).toEqual({
      jobId: JOB_ID,
      status: 'Failed',
      description: 'd',
      priority: 10,
      confirmationRequired: false,
      operation: 'LambdaInvoke',
      creationTime: new Date('2026-01-01T00:00:00Z'),
      terminationDate: new Date('2026-01-01T01:00:00Z'),
      progress: { totalTasks: 2000, succeeded: 900, failed: 1100, elapsedSeconds: 42 },
      failureReasons: [{ code: 'TaskFailureThresholdExceeded', reason: 'too many' }],
      statusUpdateReason: 'threshold',
      report: { bucket: 'reports-bucket', prefix: 'reports' },
    });
  });

  it('reports an unknown job as JobNotFoundError', async () => {
    // Prepare
    s3control.on(DescribeJobCommand).rejects(new NotFoundException({ message: 'No such job', ...metadata }));
    // Act
    const outcome = jobs.describe(ACCOUNT_ID, JOB_ID);
    // Assess
    await expect(outcome).rejects.toThrow(JobNotFoundError);
    await expect(outcome).rejects.toMatchObject({ jobId: JOB_ID });
  });
});

describe('S3ControlJobs.list', () => {
  it('follows NextToken across pages and passes the status filter', async () => {
    // Prepare
    const entry = (id: string) => ({
      JobId: id,
      Status: 'Active' as const,
      Operation: 'LambdaInvoke' as const,
    });
    s3control
      .on(ListJobsCommand, { NextToken: undefined })
      .resolves({ Jobs: [entry('a'), entry('b')], NextToken: 'page-2' })
      .on(ListJobsCommand, { NextToken: 'page-2' })
      .resolves({ Jobs: [entry('c')] });
    // Act
    const listed = await jobs.list(ACCOUNT_ID, { statuses: ['Active', 'Ready'] });
    // Assess
    expect(listed.map((j) => j.jobId)).toEqual(['a', 'b', 'c']);
    expect(listed[0]?.operation).toBe('LambdaInvoke');
    expect(s3control).toReceiveCommandTimes(ListJobsCommand, 2);
    expect(s3control.commandCalls(ListJobsCommand)[0]?.args[0].input).toEqual({
      AccountId: ACCOUNT_ID,
      JobStatuses: ['Active', 'Ready'],
      MaxResults: 1000,
    });
    expect(s3control.commandCalls(ListJobsCommand)[1]?.args[0].input).toEqual({
      AccountId: ACCOUNT_ID,
      JobStatuses: ['Active', 'Ready'],
      MaxResults: 1000,
      NextToken: 'page-2',
    });
  });

  it('stops reading pages once maxResults jobs are listed', async () => {
    // Prepare
    s3control.on(ListJobsCommand).resolves({ Jobs: [{ JobId: 'a' }, { JobId: 'b' }], NextToken: 'more' });
    // Act
    const listed = await jobs.list(ACCOUNT_ID, { maxResults: 2 });
    // Assess
    expect(listed).toHaveLength(2);
    expect(s3control).toReceiveCommandTimes(ListJobsCommand, 1);
    expect(s3control).toReceiveCommandWith(ListJobsCommand, { MaxResults: 2 });
  });
});

describe('S3ControlJobs.cancel and confirm', () => {
  it('cancels with UpdateJobStatus Cancelled and the reason', async () => {
    // Prepare
    s3control.on(UpdateJobStatusCommand).resolves({ JobId: JOB_ID, Status: 'Cancelling' });
    // Act
    await jobs.cancel(ACCOUNT_ID, JOB_ID, 'operator stop');
    // Assess
    expect(s3control.commandCalls(UpdateJobStatusCommand)[0]?.args[0].input).toEqual({
      AccountId: ACCOUNT_ID,
      JobId: JOB_ID,
      RequestedJobStatus: 'Cancelled',
      StatusUpdateReason: 'operator stop',
    });
  });

  it('confirms with UpdateJobStatus Ready', async () => {
    // Prepare
    s3control.on(UpdateJobStatusCommand).resolves({ JobId: JOB_ID, Status: 'Ready' });
    // Act
    await jobs.confirm(ACCOUNT_ID, JOB_ID);
    // Assess
    expect(s3control.commandCalls(UpdateJobStatusCommand)[0]?.args[0].input).toEqual({
      AccountId: ACCOUNT_ID,
      JobId: JOB_ID,
      RequestedJobStatus: 'Ready',
    });
  });

  it('cuts a status reason to the 256-character limit', async () => {
    // Prepare
    s3control.on(UpdateJobStatusCommand).resolves({});
    // Act
    await jobs.cancel(ACCOUNT_ID, JOB_ID, 'r'.repeat(400));
    // Assess
    const reason = s3control.commandCalls(UpdateJobStatusCommand)[0]?.args[0].input.StatusUpdateReason;
    expect(reason).toHaveLength(256);
  });

  it('reports a refused transition as JobStatusError', async () => {
    // Prepare
    s3control
      .on(UpdateJobStatusCommand)
      .rejects(new JobStatusException({ message: 'job is Complete', ...metadata }));
    // Act
    const outcome = jobs.confirm(ACCOUNT_ID, JOB_ID);
    // Assess
    await expect(outcome).rejects.toThrow(JobStatusError);
  });
});
