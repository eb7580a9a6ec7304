import type { LoggerPort } from '../observability/logger.js';
import type { CommandContext } from './context.js';

const facts = (extra?: Record<string, unknown> | Error): string => {
  if (!extra) return '';
  if (extra instanceof Error) return ` (${extra.message})`;
  const parts = Object.entries(extra)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
};

/**
 * Domain code logs through this port: warnings and errors become `warning:` lines on stderr, the rest
 * shows only with --debug. stdout is never touched, so --json stays one document.
 */
export function cliLogger(ctx: CommandContext): LoggerPort {
  const debug = (level: string) => (message: string, extra?: Record<string, unknown>) => {
    if (ctx.debug) ctx.io.stderr.write(`${level}: ${message}${facts(extra)}\n`);
  };
  return {
    debug: debug('debug'),
    info: debug('info'),
    warn: (message, extra) => ctx.warn(`${message}${facts(extra)}`),
    error: (message, extra) => ctx.warn(`${message}${facts(extra)}`),
  };
}
