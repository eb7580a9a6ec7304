import { describe, expect, it } from 'vitest';
import { ReportCsvError } from '../../../src/report/errors.js';
import { readRow } from '../../../src/report/row.js';

const ctx = { bucket: 'reports', key: 'job-1/results/a.csv', row: 4 };

describe('readRow', () => {
  it.each([
    [
      'the example order (HTTP status fifth)',
      ['b', 'k', '', 'failed', '200', 'PermanentFailure', 'm'],
      200,
      'PermanentFailure',
    ],
    [
      'the documented order (error code fifth)',
      ['b', 'k', '', 'failed', 'PermanentFailure', '200', 'm'],
      200,
      'PermanentFailure',
    ],
    ['a succeeded row in the example order', ['b', 'k', 'v1', 'succeeded', '200', '', '{}'], 200, ''],
    ['a succeeded row in the documented order', ['b', 'k', 'v1', 'succeeded', '', '200', '{}'], 200, ''],
    [
      'a row without HTTP status',
      ['b', 'k', '', 'failed', 'TemporaryFailure', '', 'm'],
      undefined,
      'TemporaryFailure',
    ],
    ['a 5xx with an S3 error code', ['b', 'k', '', 'failed', 'SlowDown', '503', 'm'], 503, 'SlowDown'],
  ])('resolves %s', (_name, fields, http, code) => {
    // Act
    const row = readRow(fields, ctx);
    // Assess
    expect(row.httpStatus).toBe(http);
    expect(row.errorCode).toBe(code);
    expect(row.bucket).toBe('b');
    expect(row.keyField).toBe('k');
  });

  it.each([
    ['too few columns', ['b', 'k', '', 'failed', '200', 'PermanentFailure'], /expected 7 columns.*found 6/],
    ['too many columns', ['b', 'k', '', 'failed', '200', '', 'm', 'x'], /found 8/],
    ['an unknown status', ['b', 'k', '', 'done', '200', '', 'm'], /unknown TaskStatus "done"/],
    ['no HTTP status among two words', ['b', 'k', '', 'failed', 'Oops', 'Nope', 'm'], /neither column 5/],
  ])('rejects %s and names the row', (_name, fields, message) => {
    // Act / Assess
    expect(() => readRow(fields, ctx)).toThrow(ReportCsvError);
    expect(() => readRow(fields, ctx)).toThrow(message);
    expect(() => readRow(fields, ctx)).toThrow('(row 4)');
  });

  it('accepts an upper-case status', () => {
    // Act / Assess
    expect(readRow(['b', 'k', '', 'Succeeded', '200', '', '{}'], ctx).status).toBe('succeeded');
  });
});
