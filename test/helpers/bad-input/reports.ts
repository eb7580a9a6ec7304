/**
 * Malformed completion reports (aws-facts §3.3–3.4): the report manifest.json and its result CSVs. A report
 * that cannot be read completely and exactly must be refused before anything is summarised or written.
 */
import {
  ReportChecksumError,
  ReportCsvError,
  ReportFormatError,
  ReportNotFoundError,
  ReportResultStringError,
} from '../../../src/report/errors.js';
import type { BadInputCase, ErrorClass } from './types.js';

export interface ReportDelivery {
  /** manifest.json from the valid document; `undefined` writes none. */
  readonly manifest?: (valid: Record<string, unknown>) => string | Record<string, unknown> | undefined;
  /** The result file's bytes from the valid CSV text. */
  readonly results?: (valid: string) => string | Buffer;
  /** Keep the MD5 of the valid CSV in the manifest although other bytes are written (a truncated file). */
  readonly staleMd5?: boolean;
  /** Write no result file at all. */
  readonly noResults?: boolean;
  readonly error: ErrorClass;
}

/**
 * Two rows of the format the local engine and Batch write: one succeeded task, and one that failed with a
 * TemporaryFailure after its last redrive (retryable, so a valid report leads to a retry job).
 */
export const validResultsCsv = (bucket: string): string =>
  `${[
    `${bucket},photos/cat.jpg,,succeeded,200,,"{""r"":""copy"",""b"":1024,""s"":""AES256"",""ms"":12}"`,
    `${bucket},photos/dog.jpg,,failed,200,TemporaryFailure,"{""r"":""copy"",""b"":0,""s"":""NONE"",""ms"":3,""c"":""throttled"",""why"":""SlowDown""}"`,
  ].join('\n')}\n`;

const edit = (doc: Record<string, unknown>, field: string, value: unknown) => ({ ...doc, [field]: value });
const firstResult = (doc: Record<string, unknown>, field: string, value: unknown) => ({
  ...doc,
  Results: [{ ...(doc.Results as Record<string, unknown>[])[0], [field]: value }],
});

const c = (name: string, input: ReportDelivery, names: RegExp): BadInputCase<ReportDelivery> => ({
  name,
  input,
  names,
});
const E = (error: ErrorClass) => ({ error });

export const REPORT_CASES: readonly BadInputCase<ReportDelivery>[] = [
  c(
    'no manifest.json',
    { manifest: () => undefined, ...E(ReportNotFoundError) },
    /no completion report at s3:\/\/.*\/job-[^/]+\/manifest\.json/,
  ),
  c(
    'a manifest.json that is not JSON',
    { manifest: () => '{"Format":"Report_CSV_20180820",', ...E(ReportFormatError) },
    /report manifest .*\/manifest\.json: is not JSON/,
  ),
  c(
    'an unknown Format',
    { manifest: (d) => edit(d, 'Format', 'Report_CSV_20991231'), ...E(ReportFormatError) },
    /manifest\.json: unknown Format "Report_CSV_20991231"/,
  ),
  c(
    'no ReportCreationDate',
    { manifest: (d) => edit(d, 'ReportCreationDate', 'soon'), ...E(ReportFormatError) },
    /manifest\.json: ReportCreationDate is missing or not a date/,
  ),
  c(
    'Results that are not a list',
    { manifest: (d) => edit(d, 'Results', 'results/'), ...E(ReportFormatError) },
    /manifest\.json: Results is missing or not a list/,
  ),
  c(
    'a result whose MD5Checksum is not hex',
    { manifest: (d) => firstResult(d, 'MD5Checksum', 'md5'), ...E(ReportFormatError) },
    /Results\[0\]\.MD5Checksum is missing or not 32 hex digits/,
  ),
  c(
    'an unknown TaskExecutionStatus',
    { manifest: (d) => firstResult(d, 'TaskExecutionStatus', 'partial'), ...E(ReportFormatError) },
    /Results\[0\]\.TaskExecutionStatus is "partial"/,
  ),
  c(
    'a ReportSchema with other columns',
    { manifest: (d) => edit(d, 'ReportSchema', 'Bucket, Key, Status'), ...E(ReportFormatError) },
    /unsupported ReportSchema "Bucket, Key, Status"/,
  ),
  c(
    'a result file that is missing',
    { noResults: true, ...E(ReportNotFoundError) },
    /result file listed in s3:\/\/.*\/manifest\.json is missing: s3:\/\/.*\/results\/[0-9a-f]+\.csv/,
  ),
  c(
    'a truncated result file (MD5 mismatch)',
    { results: (v) => v.slice(0, v.indexOf('\n') + 1), staleMd5: true, ...E(ReportChecksumError) },
    /MD5 of s3:\/\/.*\/results\/[0-9a-f]+\.csv is [0-9a-f]{32}, manifest\.json says [0-9a-f]{32}/,
  ),
  c(
    'a result file ending inside a quoted field',
    { results: (v) => `${v}b,k,,failed,200,PermanentFailure,"cut off`, ...E(ReportCsvError) },
    /ends inside a quoted field .*\(row 3\) in s3:\/\/.*\/results\/[0-9a-f]+\.csv/,
  ),
  c(
    'a result row with six columns',
    { results: (v) => `${v}b,k,failed,200,PermanentFailure,oops\n`, ...E(ReportCsvError) },
    /expected 7 columns .* found 6 \(row 3\) in s3:\/\/.*\/results\/[0-9a-f]+\.csv/,
  ),
  c(
    'an unknown TaskStatus',
    { results: (v) => `${v}b,k,,maybe,200,,x\n`, ...E(ReportCsvError) },
    /unknown TaskStatus "maybe" .*\(row 3\) in s3:\/\/.*\.csv/,
  ),
  c(
    'a result file that is not UTF-8',
    {
      results: (v) => Buffer.concat([Buffer.from(v), Buffer.from([0xff, 0xfe, 0x0a])]),
      ...E(ReportCsvError),
    },
    /result file is not valid UTF-8 in s3:\/\/.*\.csv/,
  ),
  c(
    'a succeeded task whose ResultMessage is not a resultString',
    { results: (v) => `${v}b,k,,succeeded,200,,done\n`, ...E(ReportResultStringError) },
    /succeeded task has a ResultMessage that is not the re-encrypt function's JSON: done \(row 3\) in s3:\/\/.*\.csv/,
  ),
];

/** Events of the completion-report function that name no report it can read. */
export const REPORT_EVENT_CASES: readonly BadInputCase<(reportBucket: string) => unknown>[] = [
  {
    name: 'an event that is not a JSON object',
    input: () => ['manifest.json'],
    names: /event is not a JSON object/,
  },
  {
    name: 'a job status change without a job id',
    input: () => ({
      'detail-type': 'AWS Service Event via CloudTrail',
      detail: { eventName: 'JobStatusChanged', serviceEventDetails: { status: 'Complete' } },
    }),
    names: /JobStatusChanged event lacks detail\.serviceEventDetails\.jobId or \.status/,
  },
  {
    name: 'a notification record whose key is not valid URL encoding',
    input: (b) => ({
      Records: [
        {
          eventSource: 'aws:s3',
          eventName: 'ObjectCreated:Put',
          s3: { bucket: { name: b }, object: { key: 'reports/job-1/%E0%A4%A' } },
        },
      ],
    }),
    names: /record 0 has an undecodable key "reports\/job-1\/%E0%A4%A"/,
  },
  {
    name: 'a reportUri that is not a report manifest',
    input: (b) => ({ reportUri: `s3://${b}/reports/summary.json` }),
    names:
      /reportUri must be s3:\/\/<bucket>\/<prefix>\/job-<id>\/manifest\.json, got "s3:\/\/.*\/reports\/summary\.json"/,
  },
  {
    name: 'an event of no known shape',
    input: () => ({ 'detail-type': 'Scheduled Event', detail: {} }),
    names: /unrecognised event \(detail-type "Scheduled Event"\)/,
  },
];
