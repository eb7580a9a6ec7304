import type { CliIo, OutputStream } from '../../../src/cli/io.js';

/** A captured stream; `isTTY` makes it draw progress like a terminal would. */
export interface Captured extends OutputStream {
  readonly text: () => string;
}

export function captured(isTTY = false): Captured {
  let buffer = '';
  return {
    isTTY,
    columns: 120,
    write(chunk: string) {
      buffer += chunk;
      return true;
    },
    text: () => buffer,
  };
}

export function fakeIo(env: Record<string, string> = {}): CliIo & { stdout: Captured; stderr: Captured } {
  return { stdout: captured(), stderr: captured(), env: { AWS_REGION: 'us-east-1', ...env } };
}
