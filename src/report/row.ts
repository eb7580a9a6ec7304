import { ReportCsvError } from './errors.js';

export const TaskStatuses = { succeeded: 'succeeded', failed: 'failed' } as const;
export type TaskStatus = (typeof TaskStatuses)[keyof typeof TaskStatuses];

/** One row of a completion-report result CSV, columns resolved. */
export interface ReportRow {
  readonly bucket: string;
  /** The key field exactly as the report has it (possibly URL-encoded, possibly a task-hints document). */
  readonly keyField: string;
  /** Empty when the task named no version. */
  readonly versionId: string;
  readonly status: TaskStatus;
  readonly httpStatus: number | undefined;
  /** Empty for succeeded tasks; `PermanentFailure` / `TemporaryFailure` or an S3 error code otherwise. */
  readonly errorCode: string;
  /** The ResultMessage column; still CSV-escaped (inner quotes doubled) when `resultEscaped`. */
  readonly resultMessage: string;
  readonly resultEscaped: boolean;
}

/** The ResultMessage as text (unescaped). */
export const messageText = (row: ReportRow): string =>
  row.resultEscaped ? row.resultMessage.replaceAll('""', '"') : row.resultMessage;

export const REPORT_COLUMNS = 7;

// A three-digit HTTP status; error codes are words, never three digits.
const isHttpStatus = (s: string) =>
  s.length === 3 &&
  s.charCodeAt(0) >= 49 &&
  s.charCodeAt(0) <= 53 &&
  s.charCodeAt(1) >= 48 &&
  s.charCodeAt(1) <= 57 &&
  s.charCodeAt(2) >= 48 &&
  s.charCodeAt(2) <= 57;

/**
 * Resolves a row's columns. AWS documents `…, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage` but every
 * example row has the HTTP status fifth and the error code sixth (aws-facts §3.4): the numeric one of the two
 * is the HTTP status, whichever position it takes.
 */
export function readRow(
  fields: readonly string[],
  context: { bucket?: string; key?: string; row: number },
  resultEscaped = false,
): ReportRow {
  if (fields.length !== REPORT_COLUMNS)
    throw new ReportCsvError(
      `expected ${REPORT_COLUMNS} columns (Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage), found ${fields.length}`,
      context,
    );
  const rawStatus = fields[3] as string;
  const status =
    rawStatus === 'succeeded' || rawStatus === 'failed' ? rawStatus : (rawStatus.toLowerCase() as TaskStatus);
  if (status !== 'succeeded' && status !== 'failed')
    throw new ReportCsvError(
      `unknown TaskStatus "${rawStatus.slice(0, 40)}" (expected succeeded or failed)`,
      context,
    );
  const a = fields[4] as string;
  const b = fields[5] as string;
  let http: string;
  let errorCode: string;
  if (isHttpStatus(a)) {
    http = a;
    errorCode = b;
  } else if (isHttpStatus(b)) {
    http = b;
    errorCode = a;
  } else if (a === '' || b === '') {
    http = '';
    errorCode = a === '' ? b : a;
  } else {
    throw new ReportCsvError(
      `neither column 5 ("${a.slice(0, 20)}") nor column 6 ("${b.slice(0, 20)}") is an HTTP status code`,
      context,
    );
  }
  return {
    bucket: fields[0] as string,
    keyField: fields[1] as string,
    versionId: fields[2] as string,
    status,
    httpStatus: http === '' ? undefined : Number(http),
    errorCode,
    resultMessage: fields[6] as string,
    resultEscaped,
  };
}
