import { ReportFormatError } from './errors.js';
import type { TaskStatus } from './row.js';

export const REPORT_FORMAT = 'Report_CSV_20180820';

export interface ReportResultFile {
  readonly status: TaskStatus;
  readonly bucket: string;
  readonly key: string;
  /** Lower-case hex MD5 of the file. */
  readonly md5: string;
}

/** The top-level manifest.json of a completion report (aws-facts §3.3). */
export interface ReportManifest {
  readonly format: typeof REPORT_FORMAT;
  readonly creationDate: string;
  readonly results: readonly ReportResultFile[];
  readonly schema: string | undefined;
}

const EXPECTED_COLUMNS = [
  'Bucket',
  'Key',
  'VersionId',
  'TaskStatus',
  'ErrorCode',
  'HTTPStatusCode',
  'ResultMessage',
];

export function parseReportManifest(
  text: string,
  context: { bucket?: string; key?: string } = {},
): ReportManifest {
  const fail = (why: string, cause?: unknown) =>
    new ReportFormatError(`report manifest ${context.key ?? ''}: ${why}`.replace(':  ', ': '), context, {
      ...(cause ? { cause } : {}),
    });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw fail('is not JSON (truncated?)', cause);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw fail('is not a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.Format !== REPORT_FORMAT)
    throw fail(`unknown Format ${JSON.stringify(d.Format)}; only ${REPORT_FORMAT} is supported`);
  if (typeof d.ReportCreationDate !== 'string' || Number.isNaN(Date.parse(d.ReportCreationDate)))
    throw fail('ReportCreationDate is missing or not a date');
  if (!Array.isArray(d.Results)) throw fail('Results is missing or not a list');
  let schema: string | undefined;
  if (d.ReportSchema !== undefined) {
    if (typeof d.ReportSchema !== 'string') throw fail('ReportSchema is not a string');
    const cols = d.ReportSchema.split(',').map((c) => c.trim());
    const same = cols.length === EXPECTED_COLUMNS.length && EXPECTED_COLUMNS.every((c) => cols.includes(c));
    if (!same)
      throw fail(`unsupported ReportSchema "${d.ReportSchema}" (expected ${EXPECTED_COLUMNS.join(', ')})`);
    schema = d.ReportSchema;
  }
  const results = d.Results.map((r: unknown, i: number): ReportResultFile => {
    if (typeof r !== 'object' || r === null) throw fail(`Results[${i}] is not an object`);
    const x = r as Record<string, unknown>;
    if (x.TaskExecutionStatus !== 'succeeded' && x.TaskExecutionStatus !== 'failed')
      throw fail(`Results[${i}].TaskExecutionStatus is ${JSON.stringify(x.TaskExecutionStatus)}`);
    if (typeof x.Bucket !== 'string' || x.Bucket === '') throw fail(`Results[${i}].Bucket is missing`);
    if (typeof x.Key !== 'string' || x.Key === '') throw fail(`Results[${i}].Key is missing`);
    if (typeof x.MD5Checksum !== 'string' || !/^[0-9a-fA-F]{32}$/.test(x.MD5Checksum))
      throw fail(`Results[${i}].MD5Checksum is missing or not 32 hex digits`);
    // The bucket is a name in AWS's example; accept an ARN too.
    const bucket = x.Bucket.startsWith('arn:') ? x.Bucket.slice(x.Bucket.lastIndexOf(':') + 1) : x.Bucket;
    return { status: x.TaskExecutionStatus, bucket, key: x.Key, md5: x.MD5Checksum.toLowerCase() };
  });
  return { format: REPORT_FORMAT, creationDate: d.ReportCreationDate, results, schema };
}
