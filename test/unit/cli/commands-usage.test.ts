import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/app.js';
import { commands } from '../../../src/cli/registry.js';
import { fakeIo } from './fake-io.js';

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/aaaaaaaa-12ab-34cd-56ef-1234567890ab';
const ROLE = 'arn:aws:iam::123456789012:role/batch';
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:reencrypt:live';
const JOB = '8d1f3a6e-2b4c-4d5e-9f60-7a8b9c0d1e2f';
const INVENTORY = 's3://inv-1/inventory/data-1/cfg/2026-11-20T01-00Z/manifest.json';
const runArgs = ['--manifest', INVENTORY, '--target-key', KEY, '--report', 's3://reports-1/reports'];
const submitArgs = [...runArgs, '--role-arn', ROLE, '--function-arn', FN];

async function cli(args: string[]) {
  const io = fakeIo();
  const code = await runCli(args, io, commands, '0.0.0');
  return { code, stdout: io.stdout.text(), stderr: io.stderr.text() };
}

// In process: every refusal happens before any client is built, so no AWS call can be made. The built
// CLI is exercised for one case per command in test/integration/cli/commands-contract.test.ts.
describe('usage of plan, run, submit, status, report and demo', () => {
  it.each(['plan', 'run', 'submit', 'status', 'report', 'demo'])(
    'prints help with examples for %s',
    async (command) => {
      // Act
      const run = await cli([command, '--help']);
      // Assess
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: s3-reencrypt ${command} `));
      expect(run.stdout).toMatch(new RegExp(`Examples:\\n {2}\\$ s3-reencrypt ${command}`));
      expect(run.stdout).toContain('--json');
      expect(run.stderr).toBe('');
    },
  );

  it.each([
    ['plan without --inventory', ['plan'], "required option '--inventory <s3-uri|path>' not specified"],
    [
      'plan with an http URL',
      ['plan', '--inventory', 'https://x/manifest.json'],
      'expected s3://bucket/key or a local path',
    ],
    [
      'plan with sizes the wrong way round',
      ['plan', '--inventory', 'm.json', '--min-size', '10', '--max-size', '5'],
      '--min-size (10) is above --max-size (5)',
    ],
    [
      'run with an alias',
      ['run', ...runArgs.slice(0, 2), '--target-key', 'alias/data', '--report', 's3://r-1/p'],
      'an alias is not accepted',
    ],
    [
      'run with a report that is not an S3 URI',
      ['run', ...runArgs.slice(0, 4), '--report', 'reports-1'],
      'expected s3://bucket/prefix',
    ],
    [
      'run with a threshold above 5 GiB',
      ['run', ...runArgs, '--multipart-threshold', '6GiB'],
      'from 1 to 5368709120',
    ],
    [
      'run with a bad size',
      ['run', ...runArgs, '--multipart-threshold', 'big'],
      'like 1048576, 64MiB or 5GiB',
    ],
    [
      'run with a local inventory',
      ['run', '--manifest', './manifest.json', ...runArgs.slice(2)],
      'give the s3:// URI of manifest.json',
    ],
    ['run with concurrency 0', ['run', ...runArgs, '--concurrency', '0'], 'from 1 to 1024, got 0'],
    [
      'submit without --role-arn',
      ['submit', ...runArgs, '--function-arn', FN],
      "required option '--role-arn <arn>' not specified",
    ],
    [
      'submit with a bad function ARN',
      ['submit', ...runArgs, '--role-arn', ROLE, '--function-arn', 'reencrypt'],
      'expected a Lambda function ARN',
    ],
    [
      'submit with a bad account id',
      ['submit', ...submitArgs, '--account-id', '12'],
      'expected a 12-digit AWS account id',
    ],
    ['status without a job id', ['status'], "missing required argument 'job-id'"],
    [
      'status with a bad job id',
      ['status', 'job-1', '--account-id', '123456789012'],
      'is not a Batch Operations job id',
    ],
    ['status without an account', ['status', JOB], 'pass --account-id or set AWS_ACCOUNT_ID'],
    ['report on an inventory manifest', ['report', INVENTORY], 'is not a completion report'],
    ['report on a bucket name', ['report', 'reports-1'], 'expected s3://bucket/key'],
    ['demo with an unknown option', ['demo', '--objects', '5'], "unknown option '--objects'"],
  ])('exits 2 with one line for %s', async (_name, args, message) => {
    // Act
    const run = await cli(args);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: /);
    expect(run.stderr).toContain(message);
  });
});
