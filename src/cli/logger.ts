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
 * shows only with --debug. stdout is never touched, so --json stays one document. With `tasks: 'debug'`
 * the per-object lines (they carry a taskId) wait for --debug too: a run's failures are in its report,
 * and a million-object run must not print a line per failed object.
 */
export function cliLogger(ctx: CommandContext, options: { tasks?: 'warn' | 'debug' } = {}): LoggerPort {
  const debug = (level: string) => (message: string, extra?: Record<string, unknown> | Error) => {
    if (ctx.debug) ctx.io.stderr.write(`${level}: ${message}${facts(extra)}\n`);
  };
  const warn = (level: string) => (message: string, extra?: Record<string, unknown> | Error) => {
    const perTask = extra !== undefined && !(extra instanceof Error) && 'taskId' in extra;
    if (perTask && options.tasks === 'debug') debug(level)(message, extra);
    else ctx.warn(`${message}${facts(extra)}`);
  };
  return { debug: debug('debug'), info: debug('info'), warn: warn('warning'), error: warn('error') };
}
