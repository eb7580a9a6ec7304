import { Logger } from '@aws-lambda-powertools/logger';

/** The logging surface domain code needs; Powertools' Logger satisfies it, tests pass a silent one. */
export interface LoggerPort {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown> | Error): void;
}

export const makeLogger = (serviceName: string): Logger => new Logger({ serviceName });

export const silentLogger: LoggerPort = { debug() {}, info() {}, warn() {}, error() {} };

/** Powertools' Logger behind the port (its variadic extras do not match the port's optional one). */
export const loggerPort = (logger: Logger): LoggerPort => ({
  debug: (message, extra) => (extra ? logger.debug(message, extra) : logger.debug(message)),
  info: (message, extra) => (extra ? logger.info(message, extra) : logger.info(message)),
  warn: (message, extra) => (extra ? logger.warn(message, extra) : logger.warn(message)),
  error: (message, extra) =>
    extra instanceof Error
      ? logger.error(message, extra)
      : extra
        ? logger.error(message, extra)
        : logger.error(message),
});
