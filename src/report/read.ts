import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { CsvRows } from './csv.js';
import { ReportChecksumError, ReportCsvError, ReportNotFoundError } from './errors.js';
import type { ReportLocation } from './location.js';
import { parseReportManifest, type ReportManifest, type ReportResultFile } from './manifest.js';
import { REPORT_COLUMNS, type ReportRow, readRow } from './row.js';
import type { ReportSource } from './source.js';
import { Summariser, type SummariserOptions } from './summariser.js';
import type { ReportSummary, ResultFileSummary } from './summary.js';

export interface ReportRead {
  readonly manifest: ReportManifest;
  readonly summary: ReportSummary;
  /** Result files holding at least one task for the retry manifest, with the key that was read. */
  readonly retryFiles: readonly ResolvedFile[];
}

export interface ResolvedFile extends ReportResultFile {
  /** The key the file was found under (the manifest's key, or that key under the report prefix). */
  readonly resolvedKey: string;
}

/** Reads and parses manifest.json; ReportNotFoundError when it is absent. */
export async function readReportManifest(source: ReportSource, loc: ReportLocation): Promise<ReportManifest> {
  const text = await source.readText(loc.bucket, loc.manifestKey);
  if (text === undefined)
    throw new ReportNotFoundError(`no completion report at s3://${loc.bucket}/${loc.manifestKey}`, {
      bucket: loc.bucket,
      key: loc.manifestKey,
    });
  return parseReportManifest(text, { bucket: loc.bucket, key: loc.manifestKey });
}

async function openResult(
  source: ReportSource,
  loc: ReportLocation,
  file: ReportResultFile,
): Promise<{ stream: AsyncIterable<Uint8Array>; key: string }> {
  // AWS's example lists `job-<id>/results/<hex>.csv`; with a report prefix the object may sit under it.
  const candidates = [file.key];
  if (loc.prefix && !file.key.startsWith(`${loc.prefix}/`)) candidates.push(`${loc.prefix}/${file.key}`);
  for (const key of candidates) {
    const stream = await source.openStream(file.bucket, key);
    if (stream) return { stream, key };
  }
  throw new ReportNotFoundError(
    `result file listed in s3://${loc.bucket}/${loc.manifestKey} is missing: s3://${file.bucket}/${candidates.join(' or ')}`,
    { bucket: file.bucket, key: file.key },
  );
}

/**
 * Streams one result file through the CSV reader, checking its MD5 against manifest.json. Rows are handed
 * over as they are read; a checksum mismatch is only known at the end, so callers must treat what they
 * received as provisional until this resolves.
 */
export async function streamResultRows(
  source: ReportSource,
  loc: ReportLocation,
  file: ReportResultFile,
  /** `context` is reused for every row: read it, do not keep it. */
  onRow: (
    row: ReportRow,
    context: { readonly bucket: string; readonly key: string; readonly row: number },
  ) => void,
  /** Awaited after each chunk's rows: lets a consumer apply back-pressure (rows themselves are synchronous). */
  afterChunk?: () => Promise<void>,
): Promise<{ key: string; rows: number }> {
  const { stream, key } = await openResult(source, loc, file);
  const context = { bucket: file.bucket, key };
  const hash = createHash('md5');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // One context object for every row (errors copy what they need): no allocation per row.
  const rowContext = { bucket: file.bucket, key, row: 0 };
  const csv = new CsvRows(
    (fields, row, escaped) => {
      rowContext.row = row;
      onRow(readRow(fields, rowContext, escaped), rowContext);
    },
    context,
    { columns: REPORT_COLUMNS, keepLastEscaped: true },
  );
  // Reports are almost always ASCII (URL-encoded keys, JSON): such chunks skip the UTF-8 decoder, which
  // costs several times more. A chunk after a non-ASCII one still goes through it, to finish a character
  // split across chunks.
  let viaDecoder = false;
  try {
    for await (const chunk of stream) {
      hash.update(chunk);
      const bytes = Buffer.isBuffer(chunk)
        ? chunk
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (!viaDecoder && isAscii(bytes)) csv.push(bytes.toString('latin1'));
      else {
        csv.push(decoder.decode(bytes, { stream: true }));
        viaDecoder = !isAscii(bytes);
      }
      if (afterChunk) await afterChunk();
    }
    csv.push(decoder.decode());
  } catch (e) {
    if (e instanceof TypeError && /decode|encoded/i.test(e.message))
      throw new ReportCsvError('result file is not valid UTF-8', context, { cause: e });
    throw e;
  }
  csv.end();
  const actual = hash.digest('hex');
  if (actual !== file.md5)
    throw new ReportChecksumError(
      `MD5 of s3://${file.bucket}/${key} is ${actual}, manifest.json says ${file.md5} (truncated or altered)`,
      { ...context, expected: file.md5, actual },
    );
  return { key, rows: csv.rows };
}

/** Reads a whole report (every result file, checksums verified) into a summary. Nothing is written. */
export async function summariseReport(
  source: ReportSource,
  loc: ReportLocation,
  options: SummariserOptions,
): Promise<ReportRead> {
  const manifest = await readReportManifest(source, loc);
  const summariser = new Summariser(options);
  const files: ResultFileSummary[] = [];
  const retryFiles: ResolvedFile[] = [];
  // One file at a time: the reader is CPU-bound, and a fixed order keeps the samples deterministic.
  for (const file of manifest.results) {
    let retry = false;
    const { key, rows } = await streamResultRows(source, loc, file, (row, c) => {
      if (summariser.add(row, c)) retry = true;
    });
    files.push({ key, status: file.status, rows, md5: file.md5 });
    if (retry) retryFiles.push({ ...file, resolvedKey: key });
  }
  const summary = summariser.summary({
    jobId: loc.jobId,
    bucket: loc.bucket,
    manifestKey: loc.manifestKey,
    format: manifest.format,
    creationDate: manifest.creationDate,
    files,
  });
  return { manifest, summary, retryFiles };
}
