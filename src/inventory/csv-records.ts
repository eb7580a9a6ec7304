import { StringDecoder } from 'node:string_decoder';
import { CsvError } from 'csv-parse';
import { parse as parseCsv } from 'csv-parse/sync';
import { InventoryRowError } from './errors.js';

/**
 * Receives one CSV record. `cells` may be a reused array: read it before returning, never keep it.
 * `record` is the 1-based record number (blank lines are not records).
 */
export type RecordSink = (cells: readonly string[], record: number) => void;

/**
 * The longest line, or multi-line quoted record, accepted. S3 rows are a few KiB at most (a key is at
 * most 1,024 bytes before URL encoding); without a bound a file with no line ends would be held whole.
 */
export const MAX_RECORD_CHARS = 8 * 1024 * 1024;

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const CSV_OPTIONS = { relax_column_count: true, skip_empty_lines: true } as const;

/**
 * Splits CSV text into records, fed chunk by chunk. S3 Inventory quotes every value and URL-encodes
 * keys (aws-facts §4.3), so a line almost always is `"v1","v2",…,"vN"` with no quote inside a value:
 * such a line is cut at its `","` separators directly. Any other line — unquoted or doubled-quote
 * values, a wrong column count, a quoted line break — goes to csv-parse, which gives the exact RFC 4180
 * reading and errors. Consecutive such lines are parsed together, and a line with an odd number of quotes
 * keeps its record open across line and chunk ends until the quotes balance. Lines may end in LF or
 * CRLF, line by line (csv-parse alone fixes one from the first line and rejects quoted lines that differ).
 */
export class CsvRecordReader {
  private readonly decoder = new StringDecoder('utf8');
  private readonly cells: string[];
  /** Text after the last line end seen (an incomplete line). */
  private rest = '';
  /** Complete lines waiting for csv-parse, and how many quotes they hold (odd: inside a quoted value). */
  private slow = '';
  private slowQuotes = 0;
  private slowFirstLine = 0;
  /** Complete physical lines consumed, and records emitted. */
  private lines = 0;
  private records = 0;
  /** Records cut directly, without csv-parse (for tests and diagnostics). */
  fastRecords = 0;
  private readonly maxRecordChars: number;
  private readonly wanted: readonly boolean[];

  /**
   * `wanted[i]` false: the fast path leaves cell i empty (a column the reader's user never looks at,
   * such as a long ACL); csv-parse records carry every cell.
   */
  constructor(
    private readonly columns: number,
    private readonly file: string,
    private readonly sink: RecordSink,
    options: { readonly maxRecordChars?: number; readonly wanted?: readonly boolean[] } = {},
  ) {
    this.cells = new Array<string>(columns).fill('');
    this.maxRecordChars = options.maxRecordChars ?? MAX_RECORD_CHARS;
    this.wanted = options.wanted ?? this.cells.map(() => true);
  }

  /** Feeds bytes (any split: a line or a UTF-8 character may continue in the next chunk). */
  write(chunk: Buffer): void {
    this.text(this.decoder.write(chunk));
  }

  /** Feeds decoded text (the decoder holds back a character split across byte chunks). */
  private text(chunk: string): void {
    let pos = 0;
    if (this.rest !== '') {
      // Only the line that straddles the boundary is joined: the chunk itself stays a flat string.
      const nl = chunk.indexOf('\n');
      if (nl < 0) {
        this.rest += chunk;
        this.checkLength();
        return;
      }
      const first = this.rest + chunk.slice(0, nl + 1);
      this.rest = '';
      this.line(first, 0, first.length);
      pos = nl + 1;
    }
    for (let nl = chunk.indexOf('\n', pos); nl >= 0; nl = chunk.indexOf('\n', pos)) {
      this.line(chunk, pos, nl + 1);
      pos = nl + 1;
    }
    this.rest = pos === 0 ? chunk : chunk.slice(pos);
    if (this.slow !== '' && (this.slowQuotes & 1) === 0) this.flushSlow();
    this.checkLength();
  }

  private checkLength(): void {
    if (this.rest.length + this.slow.length > this.maxRecordChars)
      throw new InventoryRowError(
        `row ${this.records + 1} of ${this.file} is longer than ${this.maxRecordChars} characters ` +
          '(no line end or an unclosed quote): this is not an S3 Inventory CSV file',
        { file: this.file, row: this.records + 1 },
      );
  }

  /** Call once after the last chunk: the final line may lack a line end. */
  end(): void {
    const tail = this.decoder.end();
    if (tail) this.text(tail);
    if (this.rest !== '') {
      const text = this.rest;
      this.rest = '';
      this.line(text, 0, text.length);
    }
    if (this.slow !== '') this.flushSlow();
  }

  /** One physical line `text[start, next)`, line end included when there is one. */
  private line(text: string, start: number, next: number): void {
    this.lines += 1;
    if (this.slow !== '' && (this.slowQuotes & 1) === 1) {
      this.addSlow(text, start, next);
      return;
    }
    let end = next;
    if (end > start && text.charCodeAt(end - 1) === 10) end -= 1;
    if (end > start && text.charCodeAt(end - 1) === CR) end -= 1;
    if (end === start) {
      // Blank line: csv-parse skips it too (skip_empty_lines); inside a slow run it keeps line numbers right.
      if (this.slow !== '') this.slow += text.slice(start, next);
      return;
    }
    if (this.fast(text, start, end)) {
      if (this.slow !== '') this.flushSlow();
      this.records += 1;
      this.fastRecords += 1;
      this.sink(this.cells, this.records);
      return;
    }
    this.addSlow(text, start, next);
  }

  /** Cuts `"v1",…,"vN"` with no other quote into `cells`; false when the line is anything else. */
  private fast(text: string, start: number, end: number): boolean {
    if (end - start < 2 || text.charCodeAt(start) !== QUOTE || text.charCodeAt(end - 1) !== QUOTE)
      return false;
    const cells = this.cells;
    const wanted = this.wanted;
    const last = this.columns - 1;
    let p = start + 1;
    for (let i = 0; i < last; i++) {
      // The first quote after the value's start must close it and be followed by `,"`; a doubled quote
      // (an escaped quote inside the value) is followed by `"` instead and sends the line to csv-parse.
      const q = text.indexOf('"', p);
      if (q < 0 || q > end - 3 || text.charCodeAt(q + 1) !== COMMA || text.charCodeAt(q + 2) !== QUOTE)
        return false;
      if (wanted[i]) cells[i] = text.slice(p, q);
      p = q + 3;
    }
    if (p > end - 1 || text.indexOf('"', p) !== end - 1) return false;
    if (wanted[last]) cells[last] = text.slice(p, end - 1);
    return true;
  }

  private addSlow(text: string, start: number, next: number): void {
    if (this.slow === '') this.slowFirstLine = this.lines;
    this.slow += text.slice(start, next);
    let quotes = 0;
    for (let q = text.indexOf('"', start); q >= 0 && q < next; q = text.indexOf('"', q + 1)) quotes += 1;
    this.slowQuotes += quotes;
  }

  private flushSlow(): void {
    const text = this.slow;
    const firstLine = this.slowFirstLine;
    this.slow = '';
    this.slowQuotes = 0;
    let parsed: string[][];
    try {
      parsed = parseCsv(text, CSV_OPTIONS) as string[][];
    } catch (cause) {
      if (!(cause instanceof CsvError)) throw cause;
      const within = (cause as CsvError & { lines?: number }).lines;
      const line = typeof within === 'number' ? firstLine - 1 + within : undefined;
      // csv-parse counts lines from the start of this run; the message names lines of the file.
      const message = cause.message.replace(
        /\bline (\d+)/g,
        (_, n: string) => `line ${firstLine - 1 + Number(n)}`,
      );
      throw new InventoryRowError(
        `${this.file} is not valid CSV near line ${line ?? '?'}: ${message}`,
        { file: this.file, ...(line !== undefined ? { row: line } : {}) },
        { cause },
      );
    }
    for (const cells of parsed) {
      this.records += 1;
      this.sink(cells, this.records);
    }
  }
}
