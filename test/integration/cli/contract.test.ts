import { beforeAll, describe, expect, inject, it } from 'vitest';
import { buildCli, runCli } from '../../support/cli.js';

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/aaaaaaaa-12ab-34cd-56ef-1234567890ab';
const STACK_LINE = /^\s+at /m;

beforeAll(async () => {
  await buildCli();
});

describe('command line contract (built CLI as a subprocess)', () => {
  it.each(['enforce', 'verify'])('prints help with an example for %s and exits 0', async (command) => {
    // Act
    const run = await runCli([command, '--help']);
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: s3-reencrypt ${command} [options]`);
    expect(run.stdout).toMatch(new RegExp(`Examples:\\n {2}\\$ s3-reencrypt ${command} --bucket `));
    expect(run.stderr).toBe('');
  });

  it.each([
    [
      'a missing required option',
      ['verify', '--bucket', 'b-1'],
      "required option '--target-key <arn>' not specified",
    ],
    [
      'an alias instead of a key ARN',
      ['enforce', '--bucket', 'b-1', '--target-key', 'alias/data'],
      'an alias is not accepted',
    ],
    [
      'an s3:// URI instead of a bucket name',
      ['verify', '--bucket', 's3://b-1', '--target-key', KEY],
      'give the name, not s3://',
    ],
    ['an unknown command', ['encrypt-all'], "unknown command 'encrypt-all'"],
    [
      'a bad concurrency',
      ['verify', '--bucket', 'b-1', '--target-key', KEY, '--concurrency', '0'],
      'from 1 to 256, got 0',
    ],
  ])('exits 2 with one line and no stack trace for %s', async (_name, args, message) => {
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

  it('exits 3 naming the endpoint when it cannot be reached, with an error document for --json', async () => {
    // Act
    const run = await runCli(
      ['verify', '--bucket', 'b-1', '--target-key', KEY, '--endpoint-url', 'http://127.0.0.1:1', '--json'],
      { AWS_MAX_ATTEMPTS: '1' },
    );
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

  it('honours AWS_ENDPOINT_URL_S3 without --endpoint-url', async () => {
    // Act
    const run = await runCli(['verify', '--bucket', 'b-1', '--target-key', KEY], {
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1',
      AWS_MAX_ATTEMPTS: '1',
    });
    // Assess
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('cannot reach http://127.0.0.1:1');
  });

  it('exits 3 and says how to provide credentials when there are none', async () => {
    // Act
    const run = await runCli(
      ['verify', '--bucket', 'b-1', '--target-key', KEY, '--endpoint-url', inject('motoEndpoint')],
      { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
    );
    // Assess
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^error: no usable AWS credentials .*set AWS_PROFILE, or AWS_ACCESS_KEY_ID/);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it('prints the stack trace and AWS details with --debug', async () => {
    // Act
    const run = await runCli(
      ['verify', '--bucket', 'b-1', '--target-key', KEY, '--endpoint-url', 'http://127.0.0.1:1', '--debug'],
      { AWS_MAX_ATTEMPTS: '1' },
    );
    // Assess
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^error: cannot reach/);
    expect(run.stderr).toMatch(STACK_LINE);
  });
});
