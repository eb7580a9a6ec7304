import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvRows } from '../../../src/report/csv.js';
import { ReportCsvError } from '../../../src/report/errors.js';
import { csvField } from '../../helpers/report.js';

/** Feeds `text` in chunks of `size` characters and collects the rows. */
function readAll(text: string, size = text.length || 1): string[][] {
  const rows: string[][] = [];
  const csv = new CsvRows((f) => rows.push(f));
  for (let i = 0; i < text.length; i += size) csv.push(text.slice(i, i + size));
  csv.end();
  return rows;
}

describe('CsvRows', () => {
  it.each([
    ['plain fields', 'a,b,c\n', [['a', 'b', 'c']]],
    ['empty fields', 'a,,\n', [['a', '', '']]],
    ['a quoted comma', 'a,"b,c",d\n', [['a', 'b,c', 'd']]],
    ['doubled quotes', 'a,"say ""hi""",d\n', [['a', 'say "hi"', 'd']]],
    ['a quoted newline', 'a,"x\ny",z\n', [['a', 'x\ny', 'z']]],
    [
      'CRLF line ends',
      'a,b\r\nc,d\r\n',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    [
      'no final newline',
      'a,b\nc,d',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    [
      'blank lines',
      'a,b\n\nc,d\n',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    ['an empty quoted field', 'a,"",c\n', [['a', '', 'c']]],
    ['a trailing comma at the end', 'a,b,', [['a', 'b', '']]],
    [
      'an AWS example row',
      'awsexamplebucket,image_14975,,failed,200,PermanentFailure,"Lambda returned function error: {""errorMessage"":""Task timed out after 3.00 seconds""}"\n',
      [
        [
          'awsexamplebucket',
          'image_14975',
          '',
          'failed',
          '200',
          'PermanentFailure',
          'Lambda returned function error: {"errorMessage":"Task timed out after 3.00 seconds"}',
        ],
      ],
    ],
  ])('reads %s', (_name, text, expected) => {
    // Act
    const rows = readAll(text);
    // Assess
    expect(rows).toEqual(expected);
  });

  it('gives the same rows whatever the chunk size, including splits inside quotes and CRLF', () => {
    // Prepare
    const text = 'b,"k,1",,succeeded,200,,"{""r"":""copy""}"\r\nb,k2,v,failed,500,SlowDown,"x ""y"" z"\r\n';
    const whole = readAll(text);
    // Act / Assess
    for (let size = 1; size <= 12; size++) expect(readAll(text, size)).toEqual(whole);
    expect(whole).toHaveLength(2);
  });

  it('agrees with csv-parse on generated rows with awkward characters', () => {
    // Prepare: deterministic pseudo-random fields drawn from characters that stress quoting.
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = ['a', 'b', ',', '"', '\n', ' ', '{', '}', ':', 'é', '€', '+', '%'];
    const rows: string[][] = [];
    for (let r = 0; r < 300; r++) {
      const row: string[] = [];
      for (let c = 0; c < 7; c++) {
        let s = '';
        const len = rnd(12);
        for (let i = 0; i < len; i++) s += alphabet[rnd(alphabet.length)];
        row.push(s);
      }
      rows.push(row);
    }
    const text = rows.map((row) => `${row.map((f) => csvField(f, true)).join(',')}\n`).join('');
    // Act
    const ours = readAll(text, 97);
    const theirs = parse(text, { relax_column_count: true }) as string[][];
    // Assess
    expect(ours).toEqual(theirs);
    expect(ours).toEqual(rows);
  });

  it('rejects a file that ends inside a quoted field', () => {
    // Prepare
    const csv = new CsvRows(() => {}, { bucket: 'r', key: 'job-1/results/x.csv' });
    csv.push('a,b\nc,"unterminated');
    // Act / Assess
    expect(() => csv.end()).toThrow(ReportCsvError);
    expect(() => new CsvRows(() => {}).push('a,"x"y\n')).toThrow(/after a closing quote/);
  });

  it('names the row of a syntax error', () => {
    // Prepare
    const csv = new CsvRows(() => {});
    csv.push('a\nb\n"c');
    // Act / Assess
    expect(() => csv.end()).toThrow('(row 3)');
  });
});
