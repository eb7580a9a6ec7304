import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../src/cli/context.js';
import { UsageError } from '../../../src/cli/errors.js';
import { jobSource } from '../../../src/cli/job-options.js';
import {
  accountOfRoleArn,
  byteSize,
  functionArn,
  inputFile,
  roleArn,
  s3Location,
} from '../../../src/cli/options.js';
import { pipelineProgress } from '../../../src/cli/pipeline-progress.js';
import { createProgress } from '../../../src/cli/progress.js';
import type { PipelineEvent } from '../../../src/pipeline/types.js';
import { captured, fakeIo } from './fake-io.js';

describe('byteSize', () => {
  it.each([
    ['1048576', 1048576],
    ['64MiB', 64 * 1024 ** 2],
    ['5GiB', 5 * 1024 ** 3],
    ['1.5GB', 1.5e9],
    ['8 mib', 8 * 1024 ** 2],
    ['0', 0],
  ])('reads %s as %i bytes', (text, bytes) => {
    // Act + Assess
    expect(byteSize(0, 5 * 1024 ** 3)(text)).toBe(bytes);
  });

  it.each([
    ['big', 'like 1048576, 64MiB or 5GiB'],
    ['5 parsecs', 'like 1048576, 64MiB or 5GiB'],
    ['6GiB', 'from 0 to 5368709120'],
    ['0.5', 'from 0 to 5368709120'],
  ])('refuses %s', (text, message) => {
    // Act + Assess
    expect(() => byteSize(0, 5 * 1024 ** 3)(text)).toThrow(InvalidArgumentError);
    expect(() => byteSize(0, 5 * 1024 ** 3)(text)).toThrow(message);
  });
});

describe('S3 locations and input files', () => {
  it.each([
    ['s3://reports-1', { bucket: 'reports-1', prefix: '' }],
    ['s3://reports-1/', { bucket: 'reports-1', prefix: '' }],
    ['s3://reports-1/a/b/', { bucket: 'reports-1', prefix: 'a/b' }],
  ])('reads %s as a location', (text, location) => {
    // Act + Assess
    expect(s3Location(text)).toEqual(location);
  });

  it('refuses a location that is not an S3 URI', () => {
    // Act + Assess
    expect(() => s3Location('reports-1/a')).toThrow('expected s3://bucket/prefix');
  });

  it.each([
    ['s3://inv-1/x/manifest.json', { kind: 'inventory', uri: 's3://inv-1/x/manifest.json' }],
    ['s3://work-1/retry.csv', { kind: 'csv', uri: 's3://work-1/retry.csv' }],
    ['./objects.csv', { kind: 'csv-file', path: './objects.csv' }],
  ])('routes --manifest %s to the right job source', (text, source) => {
    // Act + Assess
    expect(jobSource(inputFile(text))).toEqual(source);
  });

  it('refuses a local inventory for a job (Batch reads inventories from S3)', () => {
    // Act + Assess
    expect(() => jobSource(inputFile('./inv/manifest.json'))).toThrow(UsageError);
  });

  it('refuses other URL schemes', () => {
    // Act + Assess
    expect(() => inputFile('https://example.com/manifest.json')).toThrow(
      'expected s3://bucket/key or a local path',
    );
  });
});

describe('role and function ARNs', () => {
  it('takes the account from a role ARN', () => {
    // Act + Assess
    expect(accountOfRoleArn(roleArn('arn:aws:iam::111122223333:role/path/batch'))).toBe('111122223333');
  });

  it.each(['arn:aws:iam::111122223333:user/me', 'batch', 'arn:aws:iam::1111:role/x'])(
    'refuses role %s',
    (v) => {
      // Act + Assess
      expect(() => roleArn(v)).toThrow('expected an IAM role ARN');
    },
  );

  it.each([
    'arn:aws:lambda:eu-west-2:111122223333:function:reencrypt',
    'arn:aws:lambda:eu-west-2:111122223333:function:reencrypt:live',
    'arn:aws:lambda:eu-west-2:111122223333:function:reencrypt:7',
  ])('accepts function %s', (v) => {
    // Act + Assess
    expect(functionArn(v)).toBe(v);
  });

  it('refuses a function name', () => {
    // Act + Assess
    expect(() => functionArn('reencrypt')).toThrow('expected a Lambda function ARN');
  });
});

function contextOn(isTTY: boolean) {
  const io = { ...fakeIo(), stderr: captured(isTTY) };
  const ctx = {
    io,
    progress: (o: { label: string }) => createProgress(io.stderr, o),
  } as unknown as CommandContext;
  return { ctx, stderr: io.stderr };
}

const task = (outcome: 'succeeded' | 'failed' | 'redrive', done: number): PipelineEvent => ({
  type: 'task',
  jobId: 'job-1',
  outcome,
  resultCode:
    outcome === 'succeeded' ? 'Succeeded' : outcome === 'failed' ? 'PermanentFailure' : 'TemporaryFailure',
  bucket: 'b',
  key: 'k',
  versionId: null,
  progress: { totalTasks: 3, succeeded: done, failed: 0 },
});

describe('pipelineProgress', () => {
  it('prints stage lines, then one bar over the tasks, counting redrives once', () => {
    // Prepare
    const { ctx, stderr } = contextOn(true);
    const progress = pipelineProgress(ctx, 'run');
    // Act
    progress.onProgress({ type: 'stage', stage: 'trigger', message: 'reading the inventory' });
    for (const e of [task('succeeded', 1), task('redrive', 1), task('failed', 1), task('succeeded', 2)])
      progress.onProgress(e);
    progress.stop();
    // Assess
    const text = stderr.text();
    expect(text.startsWith('reading the inventory ...\n')).toBe(true);
    const last = text
      .replaceAll(String.fromCharCode(27), '\n')
      .split(/\r|\n/)
      .filter((l) => l.includes('run ['))
      .at(-1);
    expect(last).toContain('3/3');
    expect(last).toContain('failed 1');
  });

  it('writes nothing when stderr is not a terminal', () => {
    // Prepare
    const { ctx, stderr } = contextOn(false);
    const progress = pipelineProgress(ctx, 'run');
    // Act
    progress.onProgress({ type: 'stage', stage: 'trigger', message: 'reading the inventory' });
    progress.onProgress(task('succeeded', 1));
    progress.stop();
    // Assess
    expect(stderr.text()).toBe('');
  });
});
