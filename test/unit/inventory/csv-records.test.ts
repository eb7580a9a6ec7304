import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvRecordReader } from '../../../src/inventory/csv-records.js';
import { InventoryRowError } from '../../../src/inventory/errors.js';

const FILE = 's3://inv/data/1.csv.gz';

interface Read {
  readonly records: string[][];
  readonly numbers: number[];
  readonly fast: number;
}

/** Feeds `bytes` to a reader in the given pieces and collects what it emits. */
function read(pieces: readonly Buffer[], columns: number): Read {
  const records: string[][] = [];
  const numbers: number[] = [];
  const reader = new CsvRecordReader(columns, FILE, (cells, n) => {
    records.push([...cells]);
    numbers.push(n);
  });
  for (const p of pieces) reader.write(p);
  reader.end();
  return { records, numbers, fast: reader.fastRecords };
}

/** What csv-parse alone reads from the whole text: the reference the reader must match. */
const reference = (text: string): string[][] =>
  parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];

const S3_LINE = '"bucket","photos/a%20b.jpg","12","SSE-S3"';

// [case, text, records the fast path is expected to cut]
const CASES: [string, string, number][] = [
  ['S3 quoting', `${S3_LINE}\n${S3_LINE}\n`, 2],
  ['an empty value', '"b","","","NOT-SSE"\n', 1],
  ['all values empty', '"","","",""\n', 1],
  ['CRLF line ends', `${S3_LINE}\r\n"b","k","1","SSE-KMS"\r\n`, 2],
  ['a final line without a line end', `${S3_LINE}\n"b","last","1","SSE-S3"`, 2],
  ['blank lines between rows', `\n${S3_LINE}\n\n\n${S3_LINE}\n\n`, 2],
  ['blank CRLF lines between rows', `\r\n${S3_LINE}\r\n\r\n${S3_LINE}\r\n`, 2],
  ['unencoded unicode', '"b","données/été/😀 ☃.txt","1","SSE-S3"\n', 1],
  ['a doubled quote inside a value', `"b","say ""hi""","1","SSE-S3"\n${S3_LINE}\n`, 1],
  ['a quoted separator inside a value', '"b","a"",""b","1","SSE-S3"\n', 0],
  ['unquoted values', `b,plain,5,NOT-SSE\n${S3_LINE}\nb,,,\n`, 1],
  ['mixed quoting on one line', '"b",k,"1",SSE-S3\n', 0],
  ['a quoted line break', `${S3_LINE}\n"b","two\nlines","1","SSE-S3"\n${S3_LINE}\n`, 2],
  ['a quoted CRLF and blank line', '"b","x\r\n\r\ny","1","SSE-S3"\r\n', 0],
  ['a line break right after an opening quote', '"b","\nk","1","SSE-S3"\n', 0],
  ['a line break right after a doubled quote', '"b","k""\n","1","SSE-S3"\n', 0],
  ['too few columns', `${S3_LINE}\n"b","k","1"\n`, 1],
  ['too many columns', '"b","k","1","SSE-S3","extra"\n', 0],
  ['a trailing separator', '"b","k","1","SSE-S3",\n', 0],
  ['a single quote character value', '"b","""","1","SSE-S3"\n', 0],
];

describe('CsvRecordReader', () => {
  it.each(CASES)('reads %s exactly as csv-parse does', (_name, text, fast) => {
    // Act
    const got = read([Buffer.from(text)], 4);
    // Assess
    expect(got.records).toEqual(reference(text));
    expect(got.numbers).toEqual(got.records.map((_, i) => i + 1));
    expect(got.fast).toBe(fast);
  });

  it.each(CASES)('reads %s the same whatever the chunk boundaries', (_name, text) => {
    // Prepare: every split into two chunks (inside lines, CRLF pairs and multi-byte characters), and byte by byte
    const bytes = Buffer.from(text);
    const expected = reference(text);
    for (let cut = 0; cut <= bytes.length; cut++) {
      // Act
      const got = read([bytes.subarray(0, cut), bytes.subarray(cut)], 4);
      // Assess
      expect(got.records, `split at byte ${cut}`).toEqual(expected);
    }
    const single = read(
      [...bytes].map((b) => Buffer.from([b])),
      4,
    );
    expect(single.records).toEqual(expected);
  });

  it('cuts a 4-byte UTF-8 character split across chunks into the right value', () => {
    // Prepare: the emoji's bytes straddle the chunk boundary
    const bytes = Buffer.from('"😀","x"\n');
    // Act
    const got = read([bytes.subarray(0, 3), bytes.subarray(3)], 2);
    // Assess
    expect(got.records).toEqual([['😀', 'x']]);
    expect(got.fast).toBe(1);
  });

  it('keeps file order when fast and csv-parse records alternate', () => {
    // Prepare
    const lines = Array.from({ length: 200 }, (_, i) =>
      i % 3 === 0 ? `b,k${i},${i},SSE-S3\n` : `"b","k${i}","${i}","SSE-S3"\n`,
    );
    // Act
    const got = read([Buffer.from(lines.join(''))], 4);
    // Assess
    expect(got.records.map((r) => r[1])).toEqual(lines.map((_, i) => `k${i}`));
    expect(got.fast).toBe(133);
  });

  it.each([
    ['an invalid closing quote', `${S3_LINE}\n${S3_LINE}\n\n"b","x"y","1","SSE-S3"\n`, 4],
    ['an invalid opening quote', `${S3_LINE}\nb,x"y,1,SSE-S3\n`, 2],
  ])('names the line of the file for %s', (_name, text, line) => {
    // Act
    const act = () => read([Buffer.from(text)], 4);
    // Assess
    expect(act).toThrow(InventoryRowError);
    expect(act).toThrow(new RegExp(`${FILE} is not valid CSV near line ${line}: .*at line ${line}\\b`));
  });

  it('fails on a quote left open at the end of the file', () => {
    expect(() => read([Buffer.from(`${S3_LINE}\n"b","open,1,SSE-S3\n`)], 4)).toThrow(
      /near line 2: Quote Not Closed/,
    );
  });

  it('takes LF and CRLF line ends line by line', () => {
    // Prepare: csv-parse alone fixes the line end from the first line and rejects the second one here
    const text = `${S3_LINE}\n"b","k","1","SSE-KMS"\r\nb,x,2,NOT-SSE\r\n`;
    // Act
    const got = read([Buffer.from(text)], 4);
    // Assess
    expect(got.records.map((r) => r[3])).toEqual(['SSE-S3', 'SSE-KMS', 'NOT-SSE']);
  });

  it('leaves the cells nobody reads empty on the fast path, and csv-parse records whole', () => {
    // Prepare
    const records: string[][] = [];
    const reader = new CsvRecordReader(4, FILE, (cells) => records.push([...cells]), {
      wanted: [true, true, false, true],
    });
    // Act
    reader.write(Buffer.from(`${S3_LINE}\nb,k,7,NOT-SSE\n`));
    reader.end();
    // Assess
    expect(records).toEqual([
      ['bucket', 'photos/a%20b.jpg', '', 'SSE-S3'],
      ['b', 'k', '7', 'NOT-SSE'],
    ]);
  });

  it('refuses a record longer than the limit instead of holding it', () => {
    // Prepare: no line end at all
    const reader = new CsvRecordReader(4, FILE, () => {}, { maxRecordChars: 1000 });
    // Act
    const act = () => {
      for (let i = 0; i < 20; i++) reader.write(Buffer.from('x'.repeat(100)));
    };
    // Assess
    expect(act).toThrow(`row 1 of ${FILE} is longer than 1000 characters`);
  });

  it('reads a long quoted value with line breaks across many chunks', () => {
    // Prepare: a 20,000-character value with a line break every 100 characters, fed in 64-byte chunks
    const value = Array.from({ length: 200 }, (_, i) => `${String(i).padStart(99, '-')}`).join('\n');
    const text = `${S3_LINE}\n"b","${value}","1","SSE-S3"\n${S3_LINE}\n`;
    const bytes = Buffer.from(text);
    const pieces: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 64) pieces.push(bytes.subarray(i, i + 64));
    // Act
    const got = read(pieces, 4);
    // Assess
    expect(got.records).toEqual(reference(text));
    expect(got.records[1]?.[1]).toBe(value);
    expect(got.fast).toBe(2);
  });
});
