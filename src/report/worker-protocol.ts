import {
  ReportChecksumError,
  ReportCsvError,
  ReportError,
  ReportFormatError,
  ReportNotFoundError,
  ReportResultStringError,
} from './errors.js';
import type { ReportResultFile } from './manifest.js';
import type { SummariserOptions, SummariserState } from './summariser.js';

/** Messages to a summarise worker: a file starts, its bytes in order, its end. */
export type ToWorker =
  | {
      readonly type: 'file';
      readonly file: Pick<ReportResultFile, 'bucket' | 'md5'>;
      readonly key: string;
      readonly options: SummariserOptions;
    }
  | { readonly type: 'chunk'; readonly bytes: Uint8Array }
  | { readonly type: 'end' };

export type FromWorker =
  | { readonly type: 'ack' }
  | { readonly type: 'done'; readonly rows: number; readonly retry: boolean; readonly state: SummariserState }
  | { readonly type: 'error'; readonly error: SerialisedError };

export interface SerialisedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly fields: Readonly<Record<string, string | number | undefined>>;
}

const CLASSES: Readonly<Record<string, new (...args: never[]) => Error>> = {
  ReportError,
  ReportNotFoundError,
  ReportFormatError,
  ReportChecksumError,
  ReportCsvError,
  ReportResultStringError,
};
const FIELDS = ['bucket', 'key', 'row', 'expected', 'actual'] as const;

export function serialiseError(error: unknown): SerialisedError {
  const e = error instanceof Error ? error : new Error(String(error));
  const fields: Record<string, string | number | undefined> = {};
  for (const f of FIELDS) {
    const v = (e as unknown as Record<string, unknown>)[f];
    if (typeof v === 'string' || typeof v === 'number') fields[f] = v;
  }
  return { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}), fields };
}

/**
 * The error the worker raised, as the same class with the same message and context fields, so callers
 * (and the completion report's error mapping) cannot tell a worker's failure from an in-thread one.
 */
export function rebuildError(s: SerialisedError): Error {
  const Ctor = CLASSES[s.name] ?? Error;
  // Not through the constructor: ReportCsvError's would name the row and file in the message a second time.
  const e = Object.create(Ctor.prototype) as Error;
  Object.defineProperty(e, 'message', { value: s.message, writable: true, configurable: true });
  Object.defineProperty(e, 'name', { value: s.name, writable: true, configurable: true });
  if (s.stack) Object.defineProperty(e, 'stack', { value: s.stack, writable: true, configurable: true });
  for (const [k, v] of Object.entries(s.fields)) (e as unknown as Record<string, unknown>)[k] = v;
  return e;
}
