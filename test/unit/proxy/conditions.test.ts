import { describe, expect, it } from 'vitest';
import {
  destinationVerdict,
  etagMatches,
  failedSourceCondition,
  type ObjectFacts,
  parseCopySource,
  readDestinationConditions,
  readSourceConditions,
  type SourceConditions,
} from '../../support/proxy/conditions.js';

const source: ObjectFacts = { etag: '"abc"', lastModified: new Date('2026-05-01T12:00:00Z') };
const before = new Date('2026-04-30T00:00:00Z');
const after = new Date('2026-05-02T00:00:00Z');

describe('etagMatches', () => {
  it.each([
    { header: '"abc"', etag: '"abc"', matches: true },
    { header: 'abc', etag: '"abc"', matches: true },
    { header: '"abc"', etag: 'abc', matches: true },
    { header: 'W/"abc"', etag: '"abc"', matches: true },
    { header: '*', etag: '"abc"', matches: true },
    { header: '"x", "abc"', etag: '"abc"', matches: true },
    { header: '"abd"', etag: '"abc"', matches: false },
    { header: '"abc-2"', etag: '"abc"', matches: false },
  ])('$header against $etag: $matches', ({ header, etag, matches }) => {
    // Act + Assess
    expect(etagMatches(header, etag)).toBe(matches);
  });
});

describe('failedSourceCondition', () => {
  it.each<{ conditions: SourceConditions; failed: string | undefined }>([
    { conditions: {}, failed: undefined },
    { conditions: { ifMatch: '"abc"' }, failed: undefined },
    { conditions: { ifMatch: '"old"' }, failed: 'x-amz-copy-source-If-Match' },
    { conditions: { ifNoneMatch: '"abc"' }, failed: 'x-amz-copy-source-If-None-Match' },
    { conditions: { ifNoneMatch: '"old"' }, failed: undefined },
    { conditions: { ifUnmodifiedSince: before }, failed: 'x-amz-copy-source-If-Unmodified-Since' },
    { conditions: { ifUnmodifiedSince: after }, failed: undefined },
    { conditions: { ifModifiedSince: after }, failed: 'x-amz-copy-source-If-Modified-Since' },
    { conditions: { ifModifiedSince: before }, failed: undefined },
    // S3: if-match true overrides a false if-unmodified-since ...
    { conditions: { ifMatch: '"abc"', ifUnmodifiedSince: before }, failed: undefined },
    // ... and a false if-none-match fails even with a true if-modified-since.
    {
      conditions: { ifNoneMatch: '"abc"', ifModifiedSince: before },
      failed: 'x-amz-copy-source-If-None-Match',
    },
  ])('$conditions -> $failed', ({ conditions, failed }) => {
    // Act + Assess
    expect(failedSourceCondition(conditions, source)).toBe(failed);
  });

  it('compares dates to the second, as Last-Modified is sent', () => {
    // Prepare
    const sameSecond = new Date(source.lastModified?.getTime() ?? 0);
    const facts = { etag: '"abc"', lastModified: new Date((source.lastModified?.getTime() ?? 0) + 400) };
    // Act
    const failed = failedSourceCondition({ ifUnmodifiedSince: sameSecond }, facts);
    // Assess
    expect(failed).toBeUndefined();
  });
});

describe('destinationVerdict', () => {
  it.each([
    { conditions: { ifMatch: '"abc"' }, current: source, verdict: { ok: true } },
    {
      conditions: { ifMatch: '"old"' },
      current: source,
      verdict: { ok: false, failed: 'If-Match', missing: false },
    },
    {
      conditions: { ifMatch: '"abc"' },
      current: undefined,
      verdict: { ok: false, failed: 'If-Match', missing: true },
    },
    {
      conditions: { ifNoneMatch: '*' },
      current: source,
      verdict: { ok: false, failed: 'If-None-Match', missing: false },
    },
    { conditions: { ifNoneMatch: '*' }, current: undefined, verdict: { ok: true } },
  ])('$conditions on $current.etag -> $verdict', ({ conditions, current, verdict }) => {
    // Act + Assess
    expect(destinationVerdict(conditions, current)).toEqual(verdict);
  });
});

describe('reading conditions from headers', () => {
  it('reads the four copy-source conditions and ignores an unparsable date', () => {
    // Act
    const c = readSourceConditions({
      'x-amz-copy-source-if-match': '"a"',
      'x-amz-copy-source-if-none-match': '"b"',
      'x-amz-copy-source-if-modified-since': 'Fri, 01 May 2026 12:00:00 GMT',
      'x-amz-copy-source-if-unmodified-since': 'not a date',
    });
    // Assess
    expect(c).toEqual({
      ifMatch: '"a"',
      ifNoneMatch: '"b"',
      ifModifiedSince: new Date('2026-05-01T12:00:00Z'),
    });
  });

  it('reads destination If-Match and If-None-Match', () => {
    // Act + Assess
    expect(readDestinationConditions({ 'if-match': '"a"', 'if-none-match': '*', other: 'x' })).toEqual({
      ifMatch: '"a"',
      ifNoneMatch: '*',
    });
  });
});

describe('parseCopySource', () => {
  it.each([
    { header: 'b/k', expected: { bucket: 'b', key: 'k', rawPath: '/b/k' } },
    { header: '/b/dir/a%20b', expected: { bucket: 'b', key: 'dir/a b', rawPath: '/b/dir/a%20b' } },
    { header: 'b/k?versionId=v%2B1', expected: { bucket: 'b', key: 'k', rawPath: '/b/k', versionId: 'v+1' } },
    { header: 'b/%C3%BC', expected: { bucket: 'b', key: 'ü', rawPath: '/b/%C3%BC' } },
  ])('reads $header', ({ header, expected }) => {
    // Act + Assess
    expect(parseCopySource(header)).toEqual(expected);
  });

  it.each(['b', 'b/', '/k', 'b/%E0%A4%A'])('gives up on %s', (header) => {
    // Act + Assess
    expect(parseCopySource(header)).toBeUndefined();
  });
});
