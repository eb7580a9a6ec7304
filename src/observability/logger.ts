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
