import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/app.js';
import { type CliCommand, defineCommand } from '../../../src/cli/command.js';
import type { CommandContext } from '../../../src/cli/context.js';
import { UsageError } from '../../../src/cli/errors.js';
import { ExitCodes } from '../../../src/cli/exit-codes.js';
import { integerIn } from '../../../src/cli/options.js';
import { commands } from '../../../src/cli/registry.js';
import { fakeIo } from './fake-io.js';

interface EchoOptions {
  readonly count: number;
  readonly fail?: boolean;
  readonly throwUsage?: boolean;
}

/** A command that reports what the framework handed it. */
function echoCommand(seen: { ctx?: CommandContext; options?: EchoOptions }): CliCommand<never> {
  return defineCommand<EchoOptions>({
    name: 'echo',
    summary: 'echo the parsed options',
    examples: ['s3-reencrypt echo --count 3'],
    configure: (cmd) => {
      cmd.option('--count <n>', 'a number', integerIn(1, 10), 1).option('--fail').option('--throw-usage');
    },
    regionFrom: () => 'eu-west-2',
    async run(options, ctx) {
      seen.ctx = ctx;
      seen.options = options;
      if (options.throwUsage) throw new UsageError('--count and --fail cannot be combined');
      return {
        exitCode: options.fail ? ExitCodes.objectsFailed : ExitCodes.ok,
        data: { count: options.count },
        text: `count is ${options.count}`,
      };
    },
  }) as CliCommand<never>;
}

describe('runCli', () => {
  it('prints exactly one JSON document on stdout with --json', async () => {
    // Prepare
    const io = fakeIo();
    // Act
    const code = await runCli(['echo', '--count', '3', '--json'], io, [echoCommand({})], '1.2.3');
    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(io.stdout.text())).toEqual({ count: 3 });
    expect(io.stderr.text()).toBe('');
  });

  it('prints the text form without --json and passes only the command its own options', async () => {
    // Prepare
    const seen: { options?: EchoOptions } = {};
    const io = fakeIo();
    // Act
    const code = await runCli(['echo', '--count', '2', '--debug'], io, [echoCommand(seen)], '1.2.3');
    // Assess
    expect(code).toBe(0);
    expect(io.stdout.text()).toBe('count is 2\n');
    expect(seen.options).toEqual({ count: 2 });
  });

  it('returns the exit code the command chose', async () => {
    const code = await runCli(['echo', '--fail'], fakeIo(), [echoCommand({})], '1.2.3');
    expect(code).toBe(ExitCodes.objectsFailed);
  });

  it.each([
    ['the command default', [], {}, 'eu-west-2', undefined],
    ['--region over the command default', ['--region', 'ap-southeast-2'], {}, 'ap-southeast-2', undefined],
    [
      '--endpoint-url over the environment',
      ['--endpoint-url', 'http://127.0.0.1:9'],
      { AWS_ENDPOINT_URL_S3: 'http://s3.local' },
      'eu-west-2',
      'http://127.0.0.1:9',
    ],
    [
      'AWS_ENDPOINT_URL_S3',
      [],
      { AWS_ENDPOINT_URL: 'http://all.local', AWS_ENDPOINT_URL_S3: 'http://s3.local' },
      'eu-west-2',
      'http://s3.local',
    ],
  ])('resolves Region and endpoint from %s', async (_name, args, env, region, s3Endpoint) => {
    // Prepare
    const seen: { ctx?: CommandContext } = {};
    // Act
    await runCli(['echo', ...args], fakeIo(env), [echoCommand(seen)], '1.2.3');
    // Assess
    expect(seen.ctx?.aws.region).toBe(region);
    expect(seen.ctx?.aws.endpoints.s3).toBe(s3Endpoint);
  });

  it.each([
    [
      'an unknown option',
      ['echo', '--cuont', '1'],
      /^error: unknown option '--cuont' \(Did you mean --count\?\) \(see s3-reencrypt echo --help\)\n$/,
    ],
    [
      'an invalid value',
      ['echo', '--count', 'x'],
      /^error: option '--count <n>' argument 'x' is invalid\. expected a whole number from 1 to 10, got "x" \(see s3-reencrypt echo --help\)\n$/,
    ],
    [
      'an unknown command',
      ['ehco'],
      /^error: unknown command 'ehco' \(Did you mean echo\?\) \(see s3-reencrypt --help\)\n$/,
    ],
    [
      'a bad --region',
      ['echo', '--region', 'Mars'],
      /^error: option '--region <region>' argument 'Mars' is invalid\. "Mars" is not an AWS Region name/,
    ],
    [
      'a bad --endpoint-url',
      ['echo', '--endpoint-url', 'ftp://x'],
      /^error: option '--endpoint-url <url>' argument 'ftp:\/\/x' is invalid\. "ftp:\/\/x" must start with http/,
    ],
    [
      'a usage error raised by the command',
      ['echo', '--throw-usage'],
      /^error: --count and --fail cannot be combined\n$/,
    ],
  ])('exits 2 with one line on stderr for %s', async (_name, argv, stderr) => {
    // Prepare
    const io = fakeIo();
    // Act
    const code = await runCli(argv, io, [echoCommand({})], '1.2.3');
    // Assess
    expect(code).toBe(ExitCodes.usage);
    expect(io.stderr.text()).toMatch(stderr);
    expect(io.stderr.text().trim().split('\n')).toHaveLength(1);
    expect(io.stdout.text()).toBe('');
  });

  it('exits 2 with the help on stderr when no command is given', async () => {
    const io = fakeIo();
    const code = await runCli([], io, [echoCommand({})], '1.2.3');
    expect(code).toBe(ExitCodes.usage);
    expect(io.stderr.text()).toContain('error: a command is required (see s3-reencrypt --help)');
  });

  it.each([
    [['help', 'echo'], 0, ''],
    [['help', 'ehco'], 2, "error: unknown command 'ehco' (see s3-reencrypt --help)\n"],
  ])('answers %j with exit code %i', async (argv, exitCode, lastLine) => {
    const io = fakeIo();
    const code = await runCli(argv, io, [echoCommand({})], '1.2.3');
    expect(code).toBe(exitCode);
    expect(io.stderr.text().endsWith(lastLine)).toBe(true);
  });

  it('writes an error document on stdout for a usage error with --json', async () => {
    // Prepare
    const io = fakeIo();
    // Act
    const code = await runCli(['echo', '--count', '99', '--json'], io, [echoCommand({})], '1.2.3');
    // Assess
    expect(code).toBe(2);
    expect(JSON.parse(io.stdout.text())).toEqual({
      error: { exitCode: 2, kind: 'usage', message: expect.stringContaining('from 1 to 10, got 99') },
    });
  });

  it('exits 2 naming the variable when the AWS environment is invalid', async () => {
    const io = fakeIo({ AWS_MAX_ATTEMPTS: 'many' });
    const code = await runCli(['echo'], io, [echoCommand({})], '1.2.3');
    expect(code).toBe(2);
    expect(io.stderr.text()).toBe('error: AWS_MAX_ATTEMPTS must be a whole number, got "many"\n');
  });

  it('shows the version and each command help with an example, exiting 0', async () => {
    // Prepare
    const version = fakeIo();
    const help = fakeIo();
    // Act
    const versionCode = await runCli(['--version'], version, [echoCommand({})], '1.2.3');
    const helpCode = await runCli(['echo', '--help'], help, [echoCommand({})], '1.2.3');
    // Assess
    expect([versionCode, helpCode]).toEqual([0, 0]);
    expect(version.stdout.text()).toBe('1.2.3\n');
    expect(help.stdout.text()).toContain('Examples:\n  $ s3-reencrypt echo --count 3');
    for (const option of ['--json', '--region <region>', '--endpoint-url <url>', '--debug'])
      expect(help.stdout.text()).toContain(option);
  });

  it.each(commands.map((c) => [c.name]))(
    'gives the real %s command an example and the common options',
    async (name) => {
      const io = fakeIo();
      const code = await runCli([name, '--help'], io, commands, '1.2.3');
      expect(code).toBe(0);
      expect(io.stdout.text()).toMatch(/Examples:\n {2}\$ s3-reencrypt /);
      expect(io.stdout.text()).toContain('--endpoint-url <url>');
    },
  );
});
