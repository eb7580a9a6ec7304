import { CopyObjectCommand, HeadObjectCommand, UpdateObjectEncryptionCommand } from '@aws-sdk/client-s3';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidTaskError } from '../../../src/reencrypt/errors.js';
import { eventV1, eventV2, lambdaContext, TARGET_KEY_ARN } from './support/events.js';
import { aclsDisabled, handlerUnderTest, heads, results, s3mock } from './support/handler.js';

const args = { targetKeyArn: TARGET_KEY_ARN };

beforeEach(() => {
  s3mock.reset();
  aclsDisabled();
  s3mock.on(CopyObjectCommand).resolves({ CopyObjectResult: { ETag: '"new"' } });
  s3mock.on(UpdateObjectEncryptionCommand).resolves({});
});

describe('reencrypt handler (Batch contract)', () => {
  it('answers every task, echoes the invocation and says how missing tasks count', async () => {
    // Prepare
    s3mock.on(HeadObjectCommand, { Key: 'a' }).resolves(heads.compliant);
    s3mock.on(HeadObjectCommand, { Key: 'b' }).resolves(heads.sseS3);
    s3mock.on(HeadObjectCommand, { Key: 'c' }).resolves(heads.none);
    const { handler } = handlerUnderTest();
    const event = eventV2(
      ['a', 'b', 'c'].map((key) => ({ bucket: 'data', key, taskId: `t-${key}` })),
      args,
      'inv-77',
    );
    // Act
    const r = await handler(event, lambdaContext());
    // Assess
    expect(r).toMatchObject({
      invocationSchemaVersion: '2.0',
      invocationId: 'inv-77',
      treatMissingKeysAs: 'PermanentFailure',
    });
    expect(r.results.map((x) => x.taskId)).toEqual(['t-a', 't-b', 't-c']);
    expect(results(r).map((x) => x.result.route)).toEqual(['skip', 'update', 'copy']);
  });

  it('echoes schema 1.0 and uses the configured key for it', async () => {
    s3mock.on(HeadObjectCommand).resolves(heads.compliant);
    const { handler } = handlerUnderTest();
    const r = await handler(eventV1([{ bucket: 'data', key: 'k' }]), lambdaContext());
    expect(r.invocationSchemaVersion).toBe('1.0');
    expect(results(r)[0]!.result.route).toBe('skip');
  });

  it('fails only the task that cannot be parsed, naming the field', async () => {
    // Prepare
    s3mock.on(HeadObjectCommand).resolves(heads.compliant);
    const event = eventV2(
      [
        { bucket: 'data', key: 'ok' },
        { bucket: 'data', key: '', rawKey: '%E0%A4%A' },
      ],
      args,
    );
    const { handler } = handlerUnderTest();
    // Act
    const r = await handler(event, lambdaContext());
    // Assess
    expect(results(r).map((x) => x.code)).toEqual(['Succeeded', 'PermanentFailure']);
    expect(results(r)[1]!.result).toMatchObject({
      cause: 'bad-task',
      reason: expect.stringContaining('tasks[1].s3Key'),
    });
  });

  it('fails every task with the argument at fault when the job arguments are bad', async () => {
    const { handler } = handlerUnderTest();
    const event = eventV2(
      [
        { bucket: 'data', key: 'a' },
        { bucket: 'data', key: 'b' },
      ],
      { ...args, strategy: 'fast' },
    );
    const r = await handler(event, lambdaContext());
    expect(results(r).map((x) => [x.code, x.result.cause])).toEqual([
      ['PermanentFailure', 'bad-task'],
      ['PermanentFailure', 'bad-task'],
    ]);
    expect(results(r)[0]!.result.reason).toContain('job.userArguments.strategy');
    expect(s3mock.calls()).toHaveLength(0);
  });

  it('rejects an event it cannot answer with InvalidTaskError naming the field', async () => {
    const { handler } = handlerUnderTest();
    const bad = { invocationSchemaVersion: '2.0', invocationId: 'i', job: { id: 'j' }, tasks: 'x' };
    await expect(handler(bad as never, lambdaContext())).rejects.toThrow(InvalidTaskError);
    await expect(handler(bad as never, lambdaContext())).rejects.toMatchObject({ field: 'tasks' });
  });

  it('does not start a task with the invocation about to time out', async () => {
    const { handler, metrics } = handlerUnderTest({ deadlineMarginMs: 10_000 });
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], args), lambdaContext(9_999));
    expect(results(r)[0]).toMatchObject({ code: 'TemporaryFailure', result: { cause: 'deadline' } });
    expect(s3mock.calls()).toHaveLength(0);
    expect(metrics.sum('TaskRetries', { Cause: 'deadline' })).toBe(1);
  });

  it('records objects and bytes by route', async () => {
    s3mock.on(HeadObjectCommand, { Key: 'a' }).resolves(heads.sseS3);
    s3mock.on(HeadObjectCommand, { Key: 'b' }).resolves(heads.none);
    s3mock.on(HeadObjectCommand, { Key: 'c' }).resolves(heads.none);
    const { handler, metrics } = handlerUnderTest();
    await handler(
      eventV2(
        ['a', 'b', 'c'].map((key) => ({ bucket: 'data', key })),
        args,
      ),
      lambdaContext(),
    );
    expect(metrics.sum('ObjectsProcessed', { Route: 'update' })).toBe(1);
    expect(metrics.sum('ObjectsProcessed', { Route: 'copy' })).toBe(2);
    expect(metrics.sum('BytesProcessed', { Route: 'copy' })).toBe(22);
    expect(metrics.sum('BytesProcessed', { Route: 'update' })).toBe(10);
  });

  it('logs one structured line per task with the job, task, object and route', async () => {
    // Prepare
    s3mock.on(HeadObjectCommand).resolves(heads.none);
    const lines: { level: string; message: string; extra?: Record<string, unknown> }[] = [];
    const record = (level: string) => (message: string, extra?: Record<string, unknown> | Error) => {
      lines.push({ level, message, ...(extra && !(extra instanceof Error) ? { extra } : {}) });
    };
    const logger = {
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
    };
    const { handler } = handlerUnderTest({}, { logger });
    // Act
    await handler(
      eventV2([{ bucket: 'data', key: 'a b', taskId: 't-1' }], args, 'inv-9', 'job-9'),
      lambdaContext(),
    );
    // Assess
    expect(lines.filter((l) => l.message === 'task done')).toEqual([
      {
        level: 'info',
        message: 'task done',
        extra: expect.objectContaining({
          jobId: 'job-9',
          invocationId: 'inv-9',
          taskId: 't-1',
          bucket: 'data',
          key: 'a b',
          resultCode: 'Succeeded',
          route: 'copy',
        }),
      },
    ]);
  });

  it('works on tasks of one invocation concurrently, up to the configured limit', async () => {
    // Prepare: count HEADs in flight
    let inFlight = 0;
    let peak = 0;
    s3mock.on(HeadObjectCommand).callsFake(async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return heads.compliant;
    });
    const { handler } = handlerUnderTest({ taskConcurrency: 3 });
    // Act
    const r = await handler(
      eventV2(
        Array.from({ length: 9 }, (_, i) => ({ bucket: 'data', key: `k${i}` })),
        args,
      ),
      lambdaContext(),
    );
    // Assess
    expect(r.results).toHaveLength(9);
    expect(peak).toBe(3);
  });
});
