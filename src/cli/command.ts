import type { Command } from 'commander';
import type { CommandContext } from './context.js';
import type { ExitCode } from './exit-codes.js';

/** What a command hands back; the framework prints `data` (--json) or `text`, then exits with `exitCode`. */
export interface CommandResult {
  readonly exitCode: ExitCode;
  /** The one JSON document printed on stdout with --json. */
  readonly data: unknown;
  /** Human-readable output for stdout without --json (no trailing newline needed). */
  readonly text: string;
}

/**
 * One subcommand. The framework adds the common options (--json, --region, --endpoint-url, --debug),
 * the examples in --help, error handling and exit codes; a command only declares its own options and
 * maps them to one call into src/.
 */
export interface CliCommand<Options = Record<string, unknown>> {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Extra paragraph for `--help` (what it changes, what it never does). */
  readonly description?: string;
  /** Positional arguments in commander syntax, e.g. `<job-id>`. */
  readonly arguments?: string;
  /** Full command lines shown under "Examples:" in --help. */
  readonly examples: readonly string[];
  configure(command: Command): void;
  /** Region to use when --region is not given (e.g. the target key's), before AWS_REGION. */
  regionFrom?(options: Options): string | undefined;
  run(options: Options, context: CommandContext, args: readonly string[]): Promise<CommandResult>;
}

/** Keeps each command's option type while the registry holds them side by side. */
export const defineCommand = <Options>(command: CliCommand<Options>): CliCommand<Options> => command;
