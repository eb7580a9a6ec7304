/**
 * LocalBatchEngine behaviour with an in-memory S3 (no network): events, redrives, the failure
 * threshold, cancel/confirm and idempotency. The report layout on a real S3 API is covered by the
 * moto integration test.
 */
import { describe, expect, it } from 'vitest';
import type { BatchEvent, BatchHandler } from '../../../src/batch/types.js';
import { JobIdempotencyError, JobStatusError, UnsupportedOperationError } from '../../../src/jobs/errors.js';
import {
  ACCOUNT_ID,
  gate,
  lambdaOperation,
  permanent,
  recordingHandler,
  succeeded,
  TARGET_KEY_ARN,
  temporary,
} from '../../helpers/jobs.js';
import { REPORTS, rig } from './engine-rig.js';

const rows = (n: number, bucket = 'src') => Array.from({ length: n }, (_, i) => [bucket, `k${i}`]);
const indexOf = (task: BatchEvent['tasks'][number]) => Number(task.s3Key.slice(1));

describe('LocalBatchEngine events', () => {
  it.each([
    ['a space and a plus', 'a%20b%2Bc'],
    ['a form-encoded space', 'a+b'],
    ['a folder and a multi-byte character', 'dir/sub/%E2%9C%93.txt'],
    ['a task-hints document', '%7B%22k%22%3A%22x%22%2C%22e%22%3A%22SSE-S3%22%7D'],
  ])('passes a key with %s through to schema 2.0 exactly as the manifest has it', async (_case, keyField) => {
    // Prepare
    const { handler, events } = recordingHandler(() => succeeded());
    const { engine, manifest, request } = rig(handler);
    // Act
    const { jobId } = await engine.create(request(manifest([['src', keyField]])));
    await engine.waitFor(jobId);
    // Assess
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({
      invocationSchemaVersion: '2.0',
      invocationId: expect.any(String),
      job: { id: jobId, userArguments: { targetKeyArn: TARGET_KEY_ARN, bucketKey: 'true' } },
      tasks: [{ taskId: expect.any(String), s3Key: keyField, s3VersionId: null, s3Bucket: 'src' }],
    });
  });

  it('sends schema 1.0 with the bucket ARN, no user arguments, and the version id column', async () => {
    // Prepare
    const { handler, events } = recordingHandler(() => succeeded());
    const { engine, manifest, request } = rig(handler);
    const spec = manifest(
      [['src', 'a%20b', '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY']],
      ['Bucket', 'Key', 'VersionId'],
    );
    // Act
    const { jobId } = await engine.create(
      request(spec, {
        operation: lambdaOperation({ invocationSchemaVersion: '1.0', userArguments: undefined }),
      }),
    );
    await engine.waitFor(jobId);
    // Assess
    expect(events[0]).toEqual({
      invocationSchemaVersion: '1.0',
      invocationId: expect.any(String),
      job: { id: jobId },
      tasks: [
        {
          taskId: expect.any(String),
          s3Key: 'a%20b',
          s3VersionId: '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY',
          s3BucketArn: 'arn:aws:s3:::src',
        },
      ],
    });
  });

  it('gives every task its own id and every invocation its own invocation id', async () => {
    // Prepare
    const { handler, events } = recordingHandler(() => succeeded());
    const { engine, manifest, request } = rig(handler);
    // Act
    const { jobId } = await engine.create(request(manifest(rows(20))));
    await engine.waitFor(jobId);
    // Assess
    expect(new Set(events.map((e) => e.tasks[0]?.taskId)).size).toBe(20);
    expect(new Set(events.map((e) => e.invocationId)).size).toBe(20);
  });

  it('shows the simulated function timeout through getRemainingTimeInMillis', async () => {
    // Prepare
    let clock = 1_000_000;
    const seen: number[] = [];
    const handler: BatchHandler = async (event, context) => {
      seen.push(context.getRemainingTimeInMillis());
      clock += 4_000;
      seen.push(context.getRemainingTimeInMillis());
      return recordingHandler(() => succeeded()).handler(event, context);
    };
    const { engine, manifest, request } = rig(handler, { functionTimeoutMs: 10_000, now: () => clock });
    // Act
    const { jobId } = await engine.create(request(manifest(rows(1))));
    await engine.waitFor(jobId);
    // Assess
    expect(seen).toEqual([10_000, 6_000]);
  });
});

describe('LocalBatchEngine redrives', () => {
  it('redrives TemporaryFailure with growing, jittered back-off until the task succeeds', async () => {
    // Prepare
    let calls = 0;
    const recorded = recordingHandler(() => (++calls < 3 ? temporary() : succeeded()));
    const { engine, manifest, request, sleeps, events } = rig(recorded.handler, { random: () => 1 });
    // Act
    const { jobId } = await engine.create(request(manifest(rows(1))));
    const job = await engine.waitFor(jobId);
    // Assess
    expect(calls).toBe(3);
    expect(new Set(recorded.events.map((e) => e.tasks[0]?.taskId)).size).toBe(1);
    expect(new Set(recorded.events.map((e) => e.invocationId)).size).toBe(3);
    expect(sleeps).toEqual([1_000, 2_000]);
    expect(job.status).toBe('Complete');
    expect(job.progress).toMatchObject({ totalTasks: 1, succeeded: 1, failed: 0, redrives: 2 });
    expect(events.filter((e) => e.type === 'task').map((e) => (e.type === 'task' ? e.outcome : ''))).toEqual([
      'redrive',
      'redrive',
      'succeeded',
    ]);
  });

  it('keeps half of each back-off step fixed when the jitter draws zero', async () => {
    // Prepare
    const { handler } = recordingHandler(() => temporary());
    const { engine, manifest, request, sleeps } = rig(handler, {
      random: () => 0,
      redrive: { maxRedrives: 6, baseDelayMs: 100, maxDelayMs: 1_000 },
    });
    // Act
    const { jobId } = await engine.create(request(manifest(rows(1))));
    await engine.waitFor(jobId);
    // Assess
    expect(sleeps).toEqual([50, 100, 200, 400, 500, 500]);
  });

  it('fails a task that is still TemporaryFailure after the last redrive, with its message', async () => {
    // Prepare
    let calls = 0;
    const { handler } = recordingHandler(() => {
      calls++;
      return temporary(`throttled ${calls}`);
    });
    const { engine, manifest, request, s3 } = rig(handler);
    // Act
    const { jobId } = await engine.create(request(manifest([['src', 'k']])));
    const job = await engine.waitFor(jobId);
    // Assess
    expect(calls).toBe(6);
    expect(job.status).toBe('Complete');
    expect(job.progress).toMatchObject({ succeeded: 0, failed: 1, redrives: 5 });
    const failed = s3.keys(REPORTS, `r/job-${jobId}/results/`).map((k) => s3.text(REPORTS, k));
    expect(failed).toEqual(['src,k,,failed,200,TemporaryFailure,throttled 6\n']);
  });

  it('does not redrive a PermanentFailure', async () => {
    // Prepare
    const { handler, events } = recordingHandler(() => permanent());
    const { engine, manifest, request, sleeps } = rig(handler);
    // Act
    const { jobId } = await engine.create(request(manifest(rows(1))));
    const job = await engine.waitFor(jobId);
    // Assess
    expect(events).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(job.progress).toMatchObject({ failed: 1, redrives: 0 });
  });

  it.each([
    ['absent (TemporaryFailure by default)', undefined, 'failed', 6],
    ['TemporaryFailure', 'TemporaryFailure', 'failed', 6],
    ['PermanentFailure', 'PermanentFailure', 'failed', 1],
    ['Succeeded', 'Succeeded', 'succeeded', 1],
  ] as const)(
    'treats an unanswered task by treatMissingKeysAs %s',
    async (_case, treat, outcome, invocations) => {
      // Prepare
      let calls = 0;
      const handler: BatchHandler = async (event) => {
        calls++;
        return {
          invocationSchemaVersion: event.invocationSchemaVersion,
          invocationId: event.invocationId,
          results: [],
          ...(treat ? { treatMissingKeysAs: treat } : {}),
        } as never;
      };
      const { engine, manifest, request } = rig(handler);
      // Act
      const { jobId } = await engine.create(request(manifest(rows(1))));
      const job = await engine.waitFor(jobId);
      // Assess
      expect(calls).toBe(invocations);
      expect(outcome === 'succeeded' ? job.progress.succeeded : job.progress.failed).toBe(1);
    },
  );

  it('records a thrown handler as a PermanentFailure "Lambda returned function error" without redrive', async () => {
    // Prepare
    let calls = 0;
    const handler: BatchHandler = async () => {
      calls++;
      throw new TypeError('boom, "quoted"');
    };
    const { engine, manifest, request, s3 } = rig(handler);
    // Act
    const { jobId } = await engine.create(request(manifest([['src', 'k']])));
    const job = await engine.waitFor(jobId);
    // Assess
    expect(calls).toBe(1);
    expect(job.progress.failed).toBe(1);
    const [file] = s3.keys(REPORTS, `r/job-${jobId}/results/`);
    expect(s3.text(REPORTS, file ?? '')).toBe(
      'src,k,,failed,200,PermanentFailure,"Lambda returned function error: {""errorType"":""TypeError"",""errorMessage"":""boom, \\""quoted\\""""}"\n',
    );
  });

  it("records an invocation that outlives the function timeout as Lambda's timeout error", async () => {
    // Prepare
    const release = gate();
    const handler: BatchHandler = async (event) => {
      await release.opened;
      return recordingHandler(() => succeeded()).handler(event, { getRemainingTimeInMillis: () => 0 });
    };
    const { engine, manifest, request, s3 } = rig(handler, {
      functionTimeoutMs: 20,
      redrive: { maxRedrives: 0 },
    });
    // Act
    const { jobId } = await engine.create(request(manifest([['src', 'k']])));
    const waited = engine.waitFor(jobId);
    setTimeout(release.open, 100).unref();
    const job = await waited;
    // Assess
    expect(job.progress.failed).toBe(1);
    const [file] = s3.keys(REPORTS, `r/job-${jobId}/results/`);
    expect(s3.text(REPORTS, file ?? '')).toMatch(
      /^src,k,,failed,200,PermanentFailure,"Lambda returned function error: \{""errorMessage"":"".* Task timed out after 0\.02 seconds""\}"\n$/,
    );
  });

  it('fails a task with an empty version id without invoking the function', async () => {
    // Prepare
    const { handler, events } = recordingHandler(() => succeeded());
    const { engine, manifest, request } = rig(handler);
    const spec = manifest(
      [
        ['src', 'a', 'v1'],
        ['src', 'b', ''],
      ],
      ['Bucket', 'Key', 'VersionId'],
    );
    // Act
    const { jobId } = await engine.create(request(spec));
    const job = await engine.waitFor(jobId);
    // Assess
    expect(events.map((e) => e.tasks[0]?.s3Key)).toEqual(['a']);
    expect(job.progress).toMatchObject({ succeeded: 1, failed: 1 });
  });
});

describe('LocalBatchEngine failure threshold', () => {
  const failIf = (predicate: (i: number) => boolean) =>
    recordingHandler((task) => (predicate(indexOf(task)) ? permanent() : succeeded()));

  it('fails the job and stops launching tasks once more than 50 % of 1,000 run tasks failed', async () => {
    // Prepare
    const { handler, events } = failIf(() => true);
    const { engine, manifest, request } = rig(handler, { concurrency: 1 });
    // Act
    const { jobId } = await engine.create(request(manifest(rows(1500))));
    const job = await engine.waitFor(jobId);
    // Assess
    expect(job.status).toBe('Failed');
    expect(events).toHaveLength(1000);
    expect(job.progress).toMatchObject({ totalTasks: 1500, succeeded: 0, failed: 1000 });
    expect(job.failureReasons).toEqual([
      {
        code: 'TaskFailureThresholdExceeded',
        reason: expect.stringContaining('1000 of 1000 tasks failed'),
      },
    ]);
  });

  it('keeps running at exactly 50 % failed', async () => {
    // Prepare: every second task fails, starting with a success, so the rate never exceeds one half.
    const { handler } = failIf((i) => i % 2 === 1);
    const { engine, manifest, request } = rig(handler, { concurrency: 1 });
    // Act
    const { jobId } = await engine.create(request(manifest(rows(2000))));
    const job = await engine.waitFor(jobId);
    // Assess
    expect(job.status).toBe('Complete');
    expect(job.progress).toMatchObject({ succeeded: 1000, failed: 1000 });
    expect(job.failureReasons).toEqual([]);
  });

  it('keeps running when every task fails but fewer than 1,000 ran', async () => {
    // Prepare
    const { handler } = failIf(() => true);
    const { engine, manifest, request } = rig(handler);
    // Act
    const { jobId } = await engine.create(request(manifest(rows(999))));
    const job = await engine.waitFor(jobId);
    // Assess
    expect(job.status).toBe('Complete');
    expect(job.progress.failed).toBe(999);
  });

  it('writes the report of the tasks that ran before the threshold stopped the job', async () => {
    // Prepare
    const { handler } = failIf(() => true);
    const { engine, manifest, request, s3 } = rig(handler, { concurrency: 1 });
    // Act
    const { jobId } = await engine.create(request(manifest(rows(1200))));
    await engine.waitFor(jobId);
    // Assess
    const manifestJson = JSON.parse(s3.text(REPORTS, `r/job-${jobId}/manifest.json`) ?? '{}');
    const lines = manifestJson.Results.flatMap((r: { Key: string }) =>
      (s3.text(REPORTS, r.Key) ?? '').split('\n').filter(Boolean),
    );
    expect(lines).toHaveLength(1000);
  });
});

describe('LocalBatchEngine lifecycle', () => {
  it('returns a job id at once and describes the job while tasks run', async () => {
    // Prepare
    const release = gate();
    const { handler } = recordingHandler(async () => {
      await release.opened;
      return succeeded();
    });
    const { engine, manifest, request, statusReached } = rig(handler, { concurrency: 2 });
    // Act
    const active = statusReached('Active');
    const { jobId } = await engine.create(request(manifest(rows(5))));
    const first = await engine.describe(ACCOUNT_ID, jobId);
    await active;
    const running = await engine.describe(ACCOUNT_ID, jobId);
    const listed = await engine.list(ACCOUNT_ID, { statuses: ['Active'] });
    release.open();
    const done = await engine.waitFor(jobId);
    // Assess
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.status).toBe('New');
    expect(running).toMatchObject({ status: 'Active', progress: { totalTasks: 5, succeeded: 0, failed: 0 } });
    expect(listed.map((j) => j.jobId)).toEqual([jobId]);
    expect(done).toMatchObject({ status: 'Complete', progress: { totalTasks: 5, succeeded: 5 } });
    expect(done.terminationDate).toBeInstanceOf(Date);
  });

  it('moves through New, Preparing, Ready, Active, Completing and Complete', async () => {
    // Prepare
    const { handler } = recordingHandler(() => succeeded());
    const { engine, manifest, request, events } = rig(handler);
    // Act
    const { jobId } = await engine.create(request(manifest(rows(2))));
    await engine.waitFor(jobId);
    // Assess
    expect(
      events.filter((e) => e.type === 'status').map((e) => (e.type === 'status' ? e.status : '')),
    ).toEqual(['Preparing', 'Ready', 'Active', 'Completing', 'Complete']);
  });

  it('stops launching tasks on cancel, reports the tasks in flight, and ends Cancelled', async () => {
    // Prepare
    const release = gate();
    let started = 0;
    const bothStarted = gate();
    const { handler } = recordingHandler(async () => {
      if (++started === 2) bothStarted.open();
      await release.opened;
      return succeeded();
    });
    const { engine, manifest, request, s3 } = rig(handler, { concurrency: 2 });
    // Act
    const { jobId } = await engine.create(request(manifest(rows(10))));
    await bothStarted.opened;
    await engine.cancel(ACCOUNT_ID, jobId, 'operator stop');
    const cancelling = await engine.describe(ACCOUNT_ID, jobId);
    release.open();
    const job = await engine.waitFor(jobId);
    // Assess
    expect(cancelling.status).toBe('Cancelling');
    expect(job).toMatchObject({ status: 'Cancelled', statusUpdateReason: 'operator stop' });
    expect(job.progress).toMatchObject({ totalTasks: 10, succeeded: 2 });
    expect(started).toBe(2);
    expect(s3.keys(REPORTS, `r/job-${jobId}/manifest.json`)).toHaveLength(1);
    await expect(engine.cancel(ACCOUNT_ID, jobId)).rejects.toThrow(JobStatusError);
  });

  it('waits in Suspended until confirmed when confirmation is required', async () => {
    // Prepare
    const { handler, events } = recordingHandler(() => succeeded());
    const { engine, manifest, request, statusReached } = rig(handler);
    const suspended = statusReached('Suspended');
    // Act
    const { jobId } = await engine.create(request(manifest(rows(3)), { confirmationRequired: true }));
    await suspended;
    const waiting = await engine.describe(ACCOUNT_ID, jobId);
    const invokedBeforeConfirm = events.length;
    await engine.confirm(ACCOUNT_ID, jobId);
    const job = await engine.waitFor(jobId);
    // Assess
    expect(waiting).toMatchObject({ status: 'Suspended', progress: { totalTasks: 3 } });
    expect(invokedBeforeConfirm).toBe(0);
    expect(job.status).toBe('Complete');
    await expect(engine.confirm(ACCOUNT_ID, jobId)).rejects.toThrow(JobStatusError);
  });

  it('cancels a suspended job without running a task or writing a report', async () => {
    // Prepare
    const { handler, events } = recordingHandler(() => succeeded());
    const { engine, manifest, request, statusReached, s3 } = rig(handler);
    const suspended = statusReached('Suspended');
    // Act
    const { jobId } = await engine.create(request(manifest(rows(3)), { confirmationRequired: true }));
    await suspended;
    await engine.cancel(ACCOUNT_ID, jobId);
    const job = await engine.waitFor(jobId);
    // Assess
    expect(job.status).toBe('Cancelled');
    expect(events).toHaveLength(0);
    expect(s3.keys(REPORTS)).toEqual([]);
  });

  it('returns the same job for the same token and request, and refuses the token with another request', async () => {
    // Prepare
    const { handler } = recordingHandler(() => succeeded());
    const { engine, manifest, request } = rig(handler);
    const spec = manifest(rows(1));
    // Act
    const first = await engine.create(request(spec));
    const again = await engine.create(request(spec));
    const other = engine.create(request(spec, { priority: 99 }));
    // Assess
    expect(again.jobId).toBe(first.jobId);
    await expect(other).rejects.toThrow(JobIdempotencyError);
    expect(await engine.list(ACCOUNT_ID)).toHaveLength(1);
  });

  it('refuses an S3UpdateObjectEncryption job when no executor is configured', async () => {
    // Prepare
    const { handler } = recordingHandler(() => succeeded());
    const { engine, manifest, request } = rig(handler);
    // Act
    const outcome = engine.create(
      request(manifest(rows(1)), {
        operation: { kind: 'S3UpdateObjectEncryption', kmsKeyArn: TARGET_KEY_ARN, bucketKeyEnabled: true },
      }),
    );
    // Assess
    await expect(outcome).rejects.toThrow(UnsupportedOperationError);
  });

  it('runs an S3UpdateObjectEncryption job through the executor with decoded keys', async () => {
    // Prepare
    const seen: string[] = [];
    const { engine, manifest, request, s3 } = rig(recordingHandler(() => succeeded()).handler, {
      updateObjectEncryption: async (task) => {
        seen.push(task.key);
        return task.key === 'a b'
          ? { succeeded: true, httpStatusCode: 200, errorCode: '', message: 'Successful' }
          : { succeeded: false, httpStatusCode: 403, errorCode: 'AccessDenied', message: 'Access Denied' };
      },
    });
    // Act
    const { jobId } = await engine.create(
      request(
        manifest([
          ['src', 'a%20b'],
          ['src', 'locked'],
        ]),
        {
          operation: { kind: 'S3UpdateObjectEncryption', kmsKeyArn: TARGET_KEY_ARN, bucketKeyEnabled: true },
        },
      ),
    );
    await engine.waitFor(jobId);
    // Assess
    expect(seen.sort()).toEqual(['a b', 'locked']);
    const text = s3
      .keys(REPORTS, `r/job-${jobId}/results/`)
      .map((k) => s3.text(REPORTS, k))
      .sort();
    expect(text).toEqual([
      'src,a%20b,,succeeded,200,,Successful\n',
      'src,locked,,failed,403,AccessDenied,Access Denied\n',
    ]);
  });

  it('never has more tasks in flight than the configured concurrency', async () => {
    // Prepare
    let inFlight = 0;
    let peak = 0;
    const { handler } = recordingHandler(async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return succeeded();
    });
    const { engine, manifest, request } = rig(handler, { concurrency: 4 });
    // Act
    const { jobId } = await engine.create(request(manifest(rows(200))));
    const job = await engine.waitFor(jobId);
    // Assess
    expect(job.progress.succeeded).toBe(200);
    expect(peak).toBe(4);
  });

  it('publishes progress with counts after every finished task', async () => {
    // Prepare
    const { handler } = recordingHandler((task) => (indexOf(task) === 1 ? permanent() : succeeded()));
    const { engine, manifest, request, events } = rig(handler, { concurrency: 1 });
    // Act
    const { jobId } = await engine.create(request(manifest(rows(3))));
    await engine.waitFor(jobId);
    // Assess
    const progress = events.flatMap((e) =>
      e.type === 'task' ? [[e.outcome, e.progress.succeeded, e.progress.failed]] : [],
    );
    expect(progress).toEqual([
      ['succeeded', 1, 0],
      ['failed', 1, 1],
      ['succeeded', 2, 1],
    ]);
  });
});
