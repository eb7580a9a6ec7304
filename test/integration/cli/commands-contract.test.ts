import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../../support/cli.js';

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/aaaaaaaa-12ab-34cd-56ef-1234567890ab';
const ROLE = 'arn:aws:iam::123456789012:role/batch';
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:reencrypt:live';
const JOB = '8d1f3a6e-2b4c-4d5e-9f60-7a8b9c0d1e2f';
const INVENTORY = 's3://inv-1/inventory/data-1/cfg/2026-11-20T01-00Z/manifest.json';
const REPORT = `s3://reports-1/reports/job-${JOB}/manifest.json`;
const STACK_LINE = /^\s+at /m;
const UNREACHABLE = 'http://127.0.0.1:1';

const runArgs = ['--manifest', INVENTORY, '--target-key', KEY, '--report', 's3://reports-1/reports'];
const submitArgs = [...runArgs, '--role-arn', ROLE, '--function-arn', FN];

beforeAll(async () => {
  await buildCli();
});

describe('plan, run, submit, status, report: the command line contract (built CLI as a subprocess)', () => {
  it.each([
    ['plan', ['plan', '--inventory', 'https://x/manifest.json'], 'expected s3://bucket/key or a local path'],
    [
      'run',
      ['run', ...runArgs.slice(0, 2), '--target-key', 'alias/data', '--report', 's3://r-1/p'],
      'an alias is not accepted',
    ],
    [
      'submit',
      ['submit', ...runArgs, '--function-arn', FN],
      "required option '--role-arn <arn>' not specified",
    ],
    ['status', ['status', 'job-1', '--account-id', '123456789012'], 'is not a Batch Operations job id'],
    ['report', ['report', INVENTORY], 'is not a completion report'],
    ['demo', ['demo', '--objects', '5'], "unknown option '--objects'"],
  ])('%s exits 2 on bad arguments with one line and no stack trace', async (_name, args, message) => {
    // Act
    const run = await runCli(args);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: /);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it('writes the usage error as a JSON document too with --json', async () => {
    // Act
    const run = await runCli(['status', 'nope', '--account-id', '123456789012', '--json']);
    // Assess
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      error: {
        exitCode: 2,
        kind: 'usage',
        message: expect.stringContaining('"nope" is not a Batch Operations job id'),
      },
    });
  });

  it.each([
    ['plan', ['plan', '--inventory', INVENTORY]],
    ['run', ['run', ...runArgs]],
    ['submit', ['submit', ...submitArgs]],
    ['status', ['status', JOB, '--account-id', '123456789012']],
    ['report', ['report', REPORT]],
  ])('exits 3 naming the endpoint when %s cannot reach it', async (_name, args) => {
    // Act
    const run = await runCli([...args, '--endpoint-url', UNREACHABLE, '--json'], { AWS_MAX_ATTEMPTS: '1' });
    // Assess
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /^error: cannot reach http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\): check --endpoint-url/,
    );
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(run.stdout)).toEqual({
      error: { exitCode: 3, kind: 'aws-unreachable', message: expect.stringContaining('127.0.0.1:1') },
    });
  });
});
