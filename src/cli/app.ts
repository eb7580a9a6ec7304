import { Command, CommanderError } from 'commander';
import { awsSettingsFromEnv } from '../aws/clients.js';
import type { CliCommand, CommandResult } from './command.js';
import { createContext } from './context.js';
import { type ExitCode, ExitCodes } from './exit-codes.js';
import { describeFailure, type Failure, FailureKinds, plain } from './failure.js';
import type { CliIo } from './io.js';
import { endpointUrl, regionName } from './options.js';

export const BINARY = 's3-reencrypt';

interface CommonOptions {
  readonly json?: boolean;
  readonly debug?: boolean;
  readonly region?: string;
  readonly endpointUrl?: string;
}

/**
 * Runs one command line and returns the exit code; never throws and never calls process.exit, so
 * tests can run it in-process. stdout gets the result only (one JSON document with --json); errors
 * are one line on stderr (and, with --json, an `{"error": ...}` document on stdout).
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  commands: readonly CliCommand<never>[],
  version: string,
): Promise<ExitCode> {
  let outcome: ExitCode | undefined;
  let commanderMessage = '';
  const program = new Command(BINARY)
    .description(
      'Re-encrypt existing S3 objects to SSE-KMS under a customer managed key, and keep them that way.',
    )
    .version(version, '-V, --version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s) => {
        commanderMessage = s;
      },
    });

  for (const spec of commands) {
    const cmd = program
      .command(spec.name)
      .summary(spec.summary)
      .description(spec.description ?? spec.summary);
    if (spec.arguments) cmd.arguments(spec.arguments);
    spec.configure(cmd);
    addCommonOptions(cmd);
    cmd.addHelpText('after', `\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}\n`);
    cmd.action(async (...received: unknown[]) => {
      const self = received.at(-1) as Command;
      outcome = await execute(spec, self.opts() as CommonOptions, self.args, io);
    });
  }

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return outcome ?? ExitCodes.ok;
  } catch (e) {
    if (e instanceof CommanderError) return commanderExit(e, commanderMessage, argv, io, commands);
    return report(describeFailure(e), e, argv, io);
  }
}

function addCommonOptions(cmd: Command): void {
  cmd
    .option('--json', 'print one JSON document on stdout and nothing else there')
    .option(
      '--region <region>',
      "AWS Region (default: the target key's Region if any, then AWS_REGION, then us-east-1)",
      regionName,
    )
    .option(
      '--endpoint-url <url>',
      'S3/KMS endpoint, e.g. a local S3 API (also AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_KMS)',
      endpointUrl,
    )
    .option('--debug', 'on failure, print the stack trace and AWS error details on stderr');
}

async function execute(
  spec: CliCommand<never>,
  options: CommonOptions,
  args: readonly string[],
  io: CliIo,
): Promise<ExitCode> {
  const { json = false, debug = false, region, endpointUrl: endpoint, ...own } = options;
  const chosenRegion = region ?? spec.regionFrom?.(own as never);
  const aws = awsSettingsFromEnv(io.env, {
    ...(chosenRegion ? { region: chosenRegion } : {}),
    ...(endpoint ? { endpointUrl: endpoint } : {}),
  });
  const owned = createContext(io, { json, debug }, aws);
  try {
    const result: CommandResult = await spec.run(own as never, owned.context, args);
    if (json) io.stdout.write(`${JSON.stringify(result.data, null, 2)}\n`);
    else if (result.text !== '')
      io.stdout.write(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
    return result.exitCode;
  } finally {
    owned.close();
  }
}

function commanderExit(
  e: CommanderError,
  message: string,
  argv: readonly string[],
  io: CliIo,
  commands: readonly CliCommand<never>[],
): ExitCode {
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return ExitCodes.ok;
  // `help <command>` ends with code commander.help and exit code 0.
  if (e.code === 'commander.help' && e.exitCode === 0) return ExitCodes.ok;
  const named = commands.find((c) => c.name === argv[0]);
  const help = named ? `${BINARY} ${named.name} --help` : `${BINARY} --help`;
  // `commander.help` here: no command (or `help <unknown>`); the help text is already on stderr.
  const missing = argv[0] === 'help' && argv[1] ? `unknown command '${argv[1]}'` : 'a command is required';
  const text =
    e.code === 'commander.help'
      ? `${missing} (see ${help})`
      : `${plain(message || e.message).replace(/^error:\s*/i, '')} (see ${help})`;
  return report({ exitCode: ExitCodes.usage, kind: FailureKinds.usage, message: text }, undefined, argv, io);
}

function report(failure: Failure, error: unknown, argv: readonly string[], io: CliIo): ExitCode {
  io.stderr.write(`error: ${plain(failure.message)}\n`);
  if (argv.includes('--debug') && error !== undefined) io.stderr.write(debugDetails(error));
  if (argv.includes('--json')) io.stdout.write(`${JSON.stringify({ error: { ...failure } }, null, 2)}\n`);
  return failure.exitCode;
}

function debugDetails(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    if (current instanceof Error) {
      lines.push(current.stack ?? `${current.name}: ${current.message}`);
      const meta = (current as { $metadata?: unknown }).$metadata;
      if (meta) lines.push(`  $metadata: ${JSON.stringify(meta)}`);
      current = current.cause;
      if (current !== undefined) lines.push('caused by:');
    } else {
      lines.push(String(current));
      current = undefined;
    }
  }
  return `${lines.join('\n')}\n`;
}
