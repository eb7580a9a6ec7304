import { type ExitCode, ExitCodes } from './exit-codes.js';

/** A failure the command line reports as one line with a chosen exit code. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode, options?: ErrorOptions) {
    super(message, options);
    this.exitCode = exitCode;
  }
}

/** Arguments that cannot be used; the message names the option and what to pass instead. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, ExitCodes.usage, options);
  }
}

/** Ctrl-C stopped a command; the message says what was done and what was left as it was. */
export class InterruptedError extends CliError {
  override readonly name = 'InterruptedError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, ExitCodes.objectsFailed, options);
  }
}
