import { describe, expect, it } from 'vitest';
import { CsvRows } from '../../../src/report/csv.js';

const rows = [
  'b,k,,succeeded,200,,"{""r"":""copy""}"',
  'b,k2,v,failed,500,SlowDown,plain message',
  'b,"quoted, key",,failed,200,PermanentFailure,"x"',
  'b,k3,,failed,200,PermanentFailure,"multi',
  'line ""message"""',
  'b,k4,,succeeded,200,,""',
  'b,k5,,succeeded,200,,',
  'b,k6,,succeeded,200,,"a ""q"" b"\r',
  'too,few,columns',
  'b,k7,,succeeded,200,,x,extra',
  '',
];

function general(text: string): string[][] {
  const out: string[][] = [];
  const csv = new CsvRows((f) => out.push(f));
  csv.push(text);
  csv.end();
  return out;
}

function fast(text: string, chunk: number): string[][] {
  const out: string[][] = [];
  const csv = new CsvRows(
    (fields, _row, escaped) => {
      const copy = [...fields];
      if (escaped) copy[copy.length - 1] = (copy[copy.length - 1] as string).replaceAll('""', '"');
      out.push(copy);
    },
    {},
    { columns: 7, keepLastEscaped: true },
  );
  for (let i = 0; i < text.length; i += chunk) csv.push(text.slice(i, i + chunk));
  csv.end();
  return out;
}

describe('CsvRows fast path', () => {
  it.each([1, 7, 64, 10_000])(
    'gives the same fields as the general parser, chunks of %s characters',
    (chunk) => {
      // Prepare: rows of every shape a report can have, fast-path friendly or not.
      const text = rows.join('\n');
      // Act
      const expected = general(text);
      const actual = fast(text, chunk);
      // Assess
      expect(actual).toEqual(expected);
      expect(expected).toHaveLength(9);
      expect(expected[3]?.[6]).toBe('multi\nline "message"');
      expect(expected[0]?.[6]).toBe('{"r":"copy"}');
    },
  );

  it('hands the last field over still escaped only when asked', () => {
    // Prepare
    const seen: [string, boolean][] = [];
    const csv = new CsvRows(
      (f, _r, escaped) => seen.push([f[6] as string, escaped]),
      {},
      { columns: 7, keepLastEscaped: true },
    );
    // Act
    csv.push('b,k,,succeeded,200,,"{""r"":1}"\nb,k,,succeeded,200,,"plain"\n');
    csv.end();
    // Assess
    expect(seen).toEqual([
      ['{""r"":1}', true],
      ['plain', false],
    ]);
  });
});
