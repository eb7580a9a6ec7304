import { describe, expect, it } from 'vitest';
import { encodeHintedKey } from '../../../src/batch/task-hints.js';
import { InvalidTaskError } from '../../../src/reencrypt/errors.js';
import { parseInvocation, parseTask } from '../../../src/reencrypt/event.js';
import { AWKWARD_KEYS } from '../../helpers/objects.js';
import { eventV1, eventV2, TARGET_KEY_ARN } from './support/events.js';

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidTaskError) return e.field;
    throw e;
  }
  return undefined;
};

describe('parseInvocation', () => {
  it('reads a schema 1.0 envelope and ignores arguments it cannot have', () => {
    // Act
    const inv = parseInvocation(eventV1([{ bucket: 'b-1', key: 'k' }], 'inv-x', 'job-x'));
    // Assess
    expect(inv).toMatchObject({
      schemaVersion: '1.0',
      invocationId: 'inv-x',
      jobId: 'job-x',
      userArguments: {},
    });
    expect(inv.tasks.map((t) => t.taskId)).toEqual(['task-0']);
  });

  it('reads a schema 2.0 envelope with its userArguments', () => {
    const inv = parseInvocation(eventV2([{ bucket: 'b-1', key: 'k' }], { targetKeyArn: TARGET_KEY_ARN }));
    expect(inv.userArguments).toEqual({ targetKeyArn: TARGET_KEY_ARN });
  });

  it.each([
    ['not an object', 'x', 'event'],
    ['unknown schema', { invocationSchemaVersion: '3.0' }, 'invocationSchemaVersion'],
    ['no invocation id', { invocationSchemaVersion: '1.0', job: { id: 'j' }, tasks: [] }, 'invocationId'],
    ['no job id', { invocationSchemaVersion: '1.0', invocationId: 'i', job: {}, tasks: [] }, 'job.id'],
    [
      'empty tasks',
      { invocationSchemaVersion: '1.0', invocationId: 'i', job: { id: 'j' }, tasks: [] },
      'tasks',
    ],
    [
      'task without id',
      { invocationSchemaVersion: '1.0', invocationId: 'i', job: { id: 'j' }, tasks: [{ s3Key: 'k' }] },
      'tasks[0].taskId',
    ],
    [
      'non-string argument',
      {
        invocationSchemaVersion: '2.0',
        invocationId: 'i',
        job: { id: 'j', userArguments: { hints: 1 } },
        tasks: [{ taskId: 't' }],
      },
      'job.userArguments.hints',
    ],
  ])('rejects an event with %s, naming the field', (_label, event, field) => {
    expect(fieldOf(() => parseInvocation(event))).toBe(field);
  });
});

describe('parseTask', () => {
  const one = (event: ReturnType<typeof eventV1> | ReturnType<typeof eventV2>, hinted = false) => {
    const inv = parseInvocation(event);
    return parseTask(inv.tasks[0]!, 0, inv.schemaVersion, hinted);
  };

  it('takes the bucket from the text after the last colon of a 1.0 bucket ARN', () => {
    // Prepare: the non-standard ARN form one AWS doc example shows (aws-facts §1.2)
    const event = eventV1([{ bucket: 'x', key: 'k' }]);
    const task = { ...event.tasks[0]!, s3BucketArn: 'arn:aws:s3:us-east-1:0123456788:my-bucket' };
    // Act
    const parsed = one({ ...event, tasks: [task] });
    // Assess
    expect(parsed.bucket).toBe('my-bucket');
  });

  it('decodes keys form-style: + is a space, %2B a plus', () => {
    const parsed = one(eventV2([{ bucket: 'b-1', key: '', rawKey: 'red+flower%2Bpot%20(1).jpg' }], {}));
    expect(parsed.key).toBe('red flower+pot (1).jpg');
  });

  it.each(AWKWARD_KEYS)('round-trips the awkward key "$label" through both schemas', ({ key }) => {
    expect(one(eventV1([{ bucket: 'b-1', key }])).key).toBe(key);
    expect(one(eventV2([{ bucket: 'b-1', key }], {})).key).toBe(key);
  });

  it('keeps a version id and treats null and empty as none', () => {
    expect(one(eventV2([{ bucket: 'b-1', key: 'k', versionId: 'v1' }], {})).versionId).toBe('v1');
    expect(one(eventV2([{ bucket: 'b-1', key: 'k', versionId: null }], {}))).not.toHaveProperty('versionId');
    expect(one(eventV2([{ bucket: 'b-1', key: 'k', versionId: '' }], {}))).not.toHaveProperty('versionId');
  });

  it('reads inventory facts from a hinted key field', () => {
    // Prepare
    const rawKey = encodeHintedKey({ key: 'dir/a b+c.txt', encryption: 'SSE-S3', size: 12, etag: 'abc' })!;
    // Act
    const task = one(eventV2([{ bucket: 'b-1', key: '', rawKey }], { hints: '1' }), true);
    // Assess
    expect(task.key).toBe('dir/a b+c.txt');
    expect(task.hints).toMatchObject({ encryption: 'SSE-S3', size: 12, etag: 'abc' });
  });

  it.each([
    ['a broken percent escape', { s3Key: 'bad%E0%A4key' }, false, 'tasks[0].s3Key'],
    ['an empty key', { s3Key: '' }, false, 'tasks[0].s3Key'],
    ['a key over 1,024 bytes', { s3Key: 'k'.repeat(1025) }, false, 'tasks[0].s3Key'],
    ['a plain key although hints=1', { s3Key: 'plain.txt' }, true, 'tasks[0].s3Key'],
    ['a missing bucket', { s3Bucket: '' }, false, 'tasks[0].s3Bucket'],
    ['a bucket with a slash', { s3Bucket: 'a/b' }, false, 'tasks[0].s3Bucket'],
    ['a numeric version id', { s3VersionId: 7 }, false, 'tasks[0].s3VersionId'],
  ])('rejects a task with %s, naming the field', (_label, patch, hinted, field) => {
    // Prepare
    const event = eventV2([{ bucket: 'b-1', key: 'k' }], {});
    const bad = { ...event, tasks: [{ ...event.tasks[0]!, ...patch }] };
    // Assess
    expect(fieldOf(() => one(bad as typeof event, hinted))).toBe(field);
  });
});
