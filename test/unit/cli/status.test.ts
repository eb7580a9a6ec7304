import { DescribeJobCommand, type JobDescriptor, S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/app.js';
import { commands } from '../../../src/cli/registry.js';
import { fakeIo } from './fake-io.js';

// moto has no S3 Control: DescribeJob is answered by a client mock, the CLI runs in process.
const s3control = mockClient(S3ControlClient);
afterEach(() => s3control.reset());

const JOB = '8d1f3a6e-2b4c-4d5e-9f60-7a8b9c0d1e2f';
const ACCOUNT = '111122223333';

function aJob(overrides: Partial<JobDescriptor> = {}): JobDescriptor {
  return {
    JobId: JOB,
    Status: 'Active',
    Description: 's3-reencrypt data inventory 2026-11-20T01-00Z (lambda-hinted)',
    Priority: 10,
    CreationTime: new Date('2026-11-20T01:10:00Z'),
    ProgressSummary: {
      TotalNumberOfTasks: 1000,
      NumberOfTasksSucceeded: 390,
      NumberOfTasksFailed: 10,
      Timers: { ElapsedTimeInActiveSeconds: 42 },
    },
    Report: {
      Enabled: true,
      Bucket: 'arn:aws:s3:::my-reports',
      Prefix: 'reports',
      Format: 'Report_CSV_20180820',
    },
    ...overrides,
  };
}

async function status(args: string[], env: Record<string, string> = {}) {
  const io = fakeIo(env);
  const code = await runCli(['status', ...args], io, commands, '0.0.0');
  return { code, stdout: io.stdout.text(), stderr: io.stderr.text() };
}

describe('s3-reencrypt status (in process, S3 Control mocked)', () => {
  it('prints progress as one JSON document, taking the account from AWS_ACCOUNT_ID', async () => {
    // Prepare
    s3control.on(DescribeJobCommand).resolves({ Job: aJob() });
    // Act
    const run = await status([JOB, '--json'], { AWS_ACCOUNT_ID: ACCOUNT });
    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      command: 'status',
      accountId: ACCOUNT,
      jobId: JOB,
      status: 'Active',
      terminal: false,
      percentComplete: 40,
      progress: { totalTasks: 1000, succeeded: 390, failed: 10, remaining: 600, elapsedSeconds: 42 },
      failureReasons: [],
      description: 's3-reencrypt data inventory 2026-11-20T01-00Z (lambda-hinted)',
      priority: 10,
      creationTime: '2026-11-20T01:10:00.000Z',
      report: `s3://my-reports/reports/job-${JOB}/manifest.json`,
    });
    expect(s3control).toHaveReceivedCommandWith(DescribeJobCommand, { AccountId: ACCOUNT, JobId: JOB });
  });

  it.each<[string, Partial<JobDescriptor>, number]>([
    ['running with failures so far', { Status: 'Active' }, 0],
    [
      'complete without failures',
      {
        Status: 'Complete',
        ProgressSummary: { TotalNumberOfTasks: 5, NumberOfTasksSucceeded: 5, NumberOfTasksFailed: 0 },
      },
      0,
    ],
    ['complete with failed tasks', { Status: 'Complete' }, 1],
    [
      'cancelled',
      {
        Status: 'Cancelled',
        ProgressSummary: { TotalNumberOfTasks: 5, NumberOfTasksSucceeded: 1, NumberOfTasksFailed: 0 },
      },
      1,
    ],
    ['failed', { Status: 'Failed' }, 1],
  ])('exits %s → %i', async (_name, job, exitCode) => {
    // Prepare
    s3control.on(DescribeJobCommand).resolves({ Job: aJob(job) });
    // Act
    const run = await status([JOB, '--account-id', ACCOUNT]);
    // Assess
    expect(run.code).toBe(exitCode);
  });

  it('lists the failure reasons and the report location as text', async () => {
    // Prepare
    s3control.on(DescribeJobCommand).resolves({
      Job: aJob({
        Status: 'Failed',
        FailureReasons: [{ FailureCode: 'ManifestNotFound', FailureReason: 'Manifest object not found' }],
        StatusUpdateReason: 'Job failed',
      }),
    });
    // Act
    const run = await status([`arn:aws:s3:eu-west-2:${ACCOUNT}:job/${JOB}`, '--account-id', ACCOUNT]);
    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        `job ${JOB}: Failed - s3-reencrypt data inventory 2026-11-20T01-00Z (lambda-hinted)`,
        'tasks: 400 of 1000 done (40%), 390 succeeded, 10 failed',
        'elapsed: 42 s',
        'status reason: Job failed',
        '1 failure reason:',
        '  ManifestNotFound: Manifest object not found',
        `completion report: s3://my-reports/reports/job-${JOB}/manifest.json`,
        '',
      ].join('\n'),
    );
    expect(s3control).toHaveReceivedCommandWith(DescribeJobCommand, { JobId: JOB });
  });

  it.each<[string, Error, number, RegExp]>([
    [
      'an unknown job',
      Object.assign(new Error('no such job'), { name: 'NotFoundException' }),
      2,
      /^error: no job 8d1f3a6e-.* in this account and Region/,
    ],
    [
      'throttling that outlasted the retries',
      Object.assign(new Error('slow down'), { name: 'TooManyRequestsException' }),
      3,
      /^error: .*throttling requests; try again later/,
    ],
    [
      'access denied',
      Object.assign(new Error('denied'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 },
      }),
      3,
      /^error: access denied/,
    ],
  ])('maps %s to exit %i with one line', async (_name, error, exitCode, message) => {
    // Prepare
    s3control.on(DescribeJobCommand).rejects(error);
    // Act
    const run = await status([JOB, '--account-id', ACCOUNT]);
    // Assess
    expect(run.code).toBe(exitCode);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toBe('');
  });
});
