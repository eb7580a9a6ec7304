import type { Env } from '../config/env.js';

/** A stream the CLI writes to; stderr also drives the progress bar when it is a terminal. */
export interface OutputStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Everything the command line touches outside itself, so tests can run it in-process. */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Env;
  /** Aborted on Ctrl-C: long walks stop and report what they did. */
  readonly signal?: AbortSignal;
}
