import { createHash, randomBytes } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { stringify } from 'csv-stringify/sync';
import { reportManifestKey } from '../port.js';
import { REPORT_FORMAT } from '../s3-control-mapping.js';

export type TaskStatusInReport = 'succeeded' | 'failed';

/** One completion-report line (aws-facts §3.4). */
export interface ReportRow {
  readonly bucket: string;
  /** The key field exactly as the manifest has it. */
  readonly key: string;
  readonly versionId: string | null;
  readonly status: TaskStatusInReport;
  readonly httpStatusCode: number;
  /** Empty for succeeded tasks; the final result code for failed ones. */
  readonly errorCode: string;
  readonly resultMessage: string;
}

export interface ReportFile {
  readonly status: TaskStatusInReport;
  readonly key: string;
  readonly md5: string;
  readonly rows: number;
}

/** The top-level report manifest.json as AWS writes it (aws-facts §3.3). */
export interface ReportManifest {
  readonly Format: string;
  readonly ReportCreationDate: string;
  readonly Results: readonly {
    readonly TaskExecutionStatus: TaskStatusInReport;
    readonly Bucket: string;
    readonly MD5Checksum: string;
    readonly Key: string;
  }[];
  readonly ReportSchema: string;
}

export const REPORT_SCHEMA = 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage';

export interface ReportWriterOptions {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly prefix: string;
  readonly jobId: string;
  readonly scope: 'AllTasks' | 'FailedTasksOnly';
  readonly now: () => number;
  /** A results file is closed after this many rows... */
  readonly maxRowsPerFile: number;
  /** ...or this many bytes, whichever comes first; together they bound the writer's memory. */
  readonly maxBytesPerFile: number;
}

interface Buffered {
  lines: string[];
  bytes: number;
}

/**
 * Writes the completion report in the AWS layout: `<prefix>/job-<id>/results/<40 hex>.csv` files,
 * succeeded and failed tasks never in the same file, then `<prefix>/job-<id>/manifest.json` last, so
 * whoever waits for the manifest finds every results file already there. Rows are CSV with
 * standard quoting, no header, in the column order of AWS's example rows (HTTP status before
 * error code, unlike the documented header; aws-facts §3.4). SSE-S3, as Batch always uses.
 */
export class CompletionReportWriter {
  readonly #o: ReportWriterOptions;
  readonly #jobDir: string;
  readonly #buffers: Record<TaskStatusInReport, Buffered> = {
    succeeded: { lines: [], bytes: 0 },
    failed: { lines: [], bytes: 0 },
  };
  readonly #files: (ReportFile & { seq: number })[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  #seq = 0;

  constructor(options: ReportWriterOptions) {
    this.#o = options;
    this.#jobDir = reportManifestKey(options.prefix, options.jobId).replace(/manifest\.json$/, '');
  }

  get manifestKey(): string {
    return `${this.#jobDir}manifest.json`;
  }

  /** Buffers one row; resolves once any results file it completed is stored (back-pressure). */
  async add(row: ReportRow): Promise<void> {
    if (row.status === 'succeeded' && this.#o.scope === 'FailedTasksOnly') return;
    const line = stringify([
      [
        row.bucket,
        row.key,
        row.versionId ?? '',
        row.status,
        String(row.httpStatusCode),
        row.errorCode,
        row.resultMessage,
      ],
    ]);
    const buffer = this.#buffers[row.status];
    buffer.lines.push(line);
    buffer.bytes += Buffer.byteLength(line);
    if (buffer.lines.length >= this.#o.maxRowsPerFile || buffer.bytes >= this.#o.maxBytesPerFile)
      await this.#flush(row.status);
  }

  /** Stores what is buffered and then manifest.json; returns the manifest as written. */
  async finish(): Promise<ReportManifest> {
    const pending = [this.#flush('succeeded'), this.#flush('failed'), ...this.#inFlight];
    const settled = await Promise.allSettled(pending);
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
    const order = { succeeded: 0, failed: 1 } as const;
    const files = [...this.#files].sort((a, b) => order[a.status] - order[b.status] || a.seq - b.seq);
    const manifest: ReportManifest = {
      Format: REPORT_FORMAT,
      ReportCreationDate: new Date(this.#o.now()).toISOString(),
      Results: files.map((f) => ({
        TaskExecutionStatus: f.status,
        Bucket: this.#o.bucket,
        MD5Checksum: f.md5,
        Key: f.key,
      })),
      ReportSchema: REPORT_SCHEMA,
    };
    await this.#put(this.manifestKey, JSON.stringify(manifest), 'application/json');
    return manifest;
  }

  #flush(status: TaskStatusInReport): Promise<void> {
    const buffer = this.#buffers[status];
    if (buffer.lines.length === 0) return Promise.resolve();
    const body = buffer.lines.join('');
    const rows = buffer.lines.length;
    this.#buffers[status] = { lines: [], bytes: 0 };
    const seq = this.#seq++;
    const key = `${this.#jobDir}results/${randomBytes(20).toString('hex')}.csv`;
    const md5 = createHash('md5').update(body).digest();
    const write = this.#put(key, body, 'text/csv', md5).then(() => {
      this.#files.push({ status, key, md5: md5.toString('hex'), rows, seq });
    });
    this.#inFlight.add(write);
    void write.finally(() => this.#inFlight.delete(write)).catch(() => undefined);
    return write;
  }

  async #put(key: string, body: string, contentType: string, md5?: Buffer): Promise<void> {
    await this.#o.s3.send(
      new PutObjectCommand({
        Bucket: this.#o.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        ServerSideEncryption: 'AES256',
        ...(md5 ? { ContentMD5: md5.toString('base64') } : {}),
      }),
    );
  }
}
