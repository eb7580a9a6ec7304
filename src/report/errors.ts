/**
 * Failures of the completion-report path. A report that cannot be read completely and exactly raises one
 * of these before anything is written or published: no summary of false numbers.
 */
export class ReportError extends Error {
  override readonly name: string = 'ReportError';
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  constructor(message: string, context: { bucket?: string; key?: string } = {}, options?: ErrorOptions) {
    super(message, options);
    this.bucket = context.bucket;
    this.key = context.key;
  }
}

/** The report's manifest.json (or a result file it lists) does not exist. */
export class ReportNotFoundError extends ReportError {
  override readonly name = 'ReportNotFoundError';
}

/** manifest.json is not JSON, has an unknown Format, or lacks a field. */
export class ReportFormatError extends ReportError {
  override readonly name = 'ReportFormatError';
}

/** A result file's MD5 differs from the MD5Checksum in manifest.json (truncated or altered). */
export class ReportChecksumError extends ReportError {
  override readonly name = 'ReportChecksumError';
  readonly expected: string;
  readonly actual: string;
  constructor(
    message: string,
    context: { bucket?: string; key?: string; expected: string; actual: string },
    options?: ErrorOptions,
  ) {
    super(message, context, options);
    this.expected = context.expected;
    this.actual = context.actual;
  }
}

/** A result CSV cannot be parsed: unterminated quote, wrong column count, bad status. Names file and row. */
export class ReportCsvError extends ReportError {
  override readonly name: string = 'ReportCsvError';
  readonly row: number | undefined;
  constructor(
    message: string,
    context: { bucket?: string; key?: string; row?: number },
    options?: ErrorOptions,
  ) {
    // A report has many result files: the message names the row and the file, not only the row.
    const row = context.row === undefined ? '' : ` (row ${context.row})`;
    const file = context.key === undefined ? '' : ` in s3://${context.bucket ?? ''}/${context.key}`;
    super(`${message}${row}${file}`, context, options);
    this.row = context.row;
  }
}

/** A succeeded task whose ResultMessage is not the re-encrypt function's JSON resultString. */
export class ReportResultStringError extends ReportCsvError {
  override readonly name = 'ReportResultStringError';
}

/** The Lambda event is not one this handler understands. */
export class ReportEventError extends ReportError {
  override readonly name = 'ReportEventError';
}

/** A retry job could not be planned or created. */
export class RetryJobError extends ReportError {
  override readonly name = 'RetryJobError';
}
