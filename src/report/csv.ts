import { ReportCsvError } from './errors.js';

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Receives each row. With `keepLastEscaped`, a quoted last field may be handed over still CSV-escaped
 * (inner quotes doubled, surrounding quotes removed); `lastEscaped` says so.
 */
export type RowHandler = (fields: string[], row: number, lastEscaped: boolean) => void;

/**
 * Incremental RFC 4180 reader for completion-report CSVs: comma-separated, fields optionally quoted with
 * inner quotes doubled, LF or CRLF line ends, no header, blank lines skipped. Text arrives in chunks of any
 * size; a row split across chunks is kept until its end arrives.
 *
 * Hand-written rather than csv-parse for speed: reports have millions of rows, and this reader does
 * several times the rows per second (tests check it against csv-parse on the same inputs).
 */
export class CsvRows {
  private rest = '';
  private rowNumber = 0;
  private ended = false;

  constructor(
    private readonly onRow: RowHandler,
    private readonly context: { bucket?: string; key?: string } = {},
    private readonly options: { keepLastEscaped?: boolean; columns?: number } = {},
  ) {}

  /** Rows completed so far. */
  get rows(): number {
    return this.rowNumber;
  }

  push(chunk: string): void {
    if (this.ended) throw new Error('CsvRows.push after end');
    const text = this.rest.length === 0 ? chunk : this.rest + chunk;
    this.rest = text.slice(this.parse(text, false));
  }

  /** Parses what is left; throws if the text ends inside a quoted field. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const text = this.rest;
    this.rest = '';
    if (text.length > 0) this.parse(text, true);
  }

  /** Parses complete rows; returns the index where an incomplete row starts (text.length if none). */
  private parse(text: string, final: boolean): number {
    const n = text.length;
    const columns = this.options.columns ?? 0;
    let pos = 0;
    while (pos < n) {
      if (columns > 0) {
        const lf = text.indexOf('\n', pos);
        if (lf >= 0 && this.fastRow(text, pos, lf, columns)) {
          pos = lf + 1;
          continue;
        }
      }
      const rowStart = pos;
      const fields: string[] = [];
      let complete = false;
      for (;;) {
        if (pos >= n) {
          // Text ended right after a comma.
          if (!final) break;
          fields.push('');
          complete = true;
          break;
        }
        let c = text.charCodeAt(pos);
        if (c === QUOTE) {
          // Find the closing quote first, then slice once: cheaper than concatenating the pieces
          // between doubled quotes (a JSON resultString has many).
          let seg = pos + 1;
          let doubled = false;
          let close = -1;
          for (;;) {
            const q = text.indexOf('"', seg);
            if (q === -1) break;
            if (q + 1 >= n && !final) break; // cannot tell a closing quote from the first of a doubled one yet
            if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
              doubled = true;
              seg = q + 2;
              continue;
            }
            close = q;
            break;
          }
          if (close < 0) {
            if (final)
              throw new ReportCsvError('result file ends inside a quoted field (truncated?)', {
                ...this.context,
                row: this.rowNumber + 1,
              });
            break;
          }
          const raw = text.slice(pos + 1, close);
          const value = doubled ? raw.replaceAll('""', '"') : raw;
          pos = close + 1;
          fields.push(value);
          if (pos >= n) {
            if (!final) break;
            complete = true;
            break;
          }
          c = text.charCodeAt(pos);
          if (c === COMMA) {
            pos++;
            continue;
          }
          if (c === LF || c === CR) {
            const end = this.lineEnd(text, pos, final);
            if (end < 0) break;
            pos = end;
            complete = true;
            break;
          }
          throw new ReportCsvError(
            `unexpected character ${JSON.stringify(text[pos])} after a closing quote`,
            {
              ...this.context,
              row: this.rowNumber + 1,
            },
          );
        }
        let i = pos;
        while (i < n) {
          c = text.charCodeAt(i);
          if (c === COMMA || c === LF || c === CR) break;
          i++;
        }
        if (i >= n) {
          if (!final) break;
          fields.push(text.slice(pos, i));
          pos = i;
          complete = true;
          break;
        }
        fields.push(text.slice(pos, i));
        if (c === COMMA) {
          pos = i + 1;
          continue;
        }
        const end = this.lineEnd(text, i, final);
        if (end < 0) break;
        pos = end;
        complete = true;
        break;
      }
      if (!complete) return rowStart;
      if (fields.length === 1 && fields[0] === '') continue; // blank line
      this.rowNumber++;
      this.onRow(fields, this.rowNumber, false);
    }
    return n;
  }

  /**
   * The common shape, read with indexOf instead of a character loop: one line, the first `columns - 1`
   * fields unquoted, the last one quoted or not. Anything else (a quoted earlier field, a newline inside
   * quotes) returns false and goes to the general parser, which gives the same fields.
   */
  private fastRow(text: string, pos: number, lf: number, columns: number): boolean {
    let end = lf;
    if (end > pos && text.charCodeAt(end - 1) === CR) end--;
    if (end === pos) return true; // blank line
    const fields: string[] = [];
    let p = pos;
    for (let k = 1; k < columns; k++) {
      if (text.charCodeAt(p) === QUOTE) return false;
      const comma = text.indexOf(',', p);
      if (comma < 0 || comma > end) return false;
      fields.push(text.slice(p, comma));
      p = comma + 1;
    }
    let escaped = false;
    if (p < end && text.charCodeAt(p) === QUOTE) {
      if (end - 1 <= p || text.charCodeAt(end - 1) !== QUOTE) return false;
      // The closing quote ends an odd run of quotes; an even run means the line end is inside the field.
      let run = 0;
      for (let q = end - 1; q > p && text.charCodeAt(q) === QUOTE; q--) run++;
      if ((run & 1) === 0) return false;
      const raw = text.slice(p + 1, end - 1);
      if (raw.indexOf('"') >= 0) {
        if (this.options.keepLastEscaped) {
          escaped = true;
          fields.push(raw);
        } else fields.push(raw.replaceAll('""', '"'));
      } else fields.push(raw);
    } else {
      const last = text.slice(p, end);
      // More columns than expected, or a stray quote: let the general parser decide.
      if (last.indexOf(',') >= 0 || last.indexOf('"') >= 0) return false;
      fields.push(last);
    }
    this.rowNumber++;
    this.onRow(fields, this.rowNumber, escaped);
    return true;
  }

  /** Index after the line end at `i` (LF, CR or CRLF); -1 when a CR is the last character and more may come. */
  private lineEnd(text: string, i: number, final: boolean): number {
    if (text.charCodeAt(i) === LF) return i + 1;
    if (i + 1 < text.length) return text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
    return final ? i + 1 : -1;
  }
}
