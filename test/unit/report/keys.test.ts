import { describe, expect, it } from 'vitest';
import { decodeKey } from '../../../src/batch/keys.js';
import { decodeReportKey, isHintedField, retryKeyField } from '../../../src/report/keys.js';
import { hintedKeyField } from '../../helpers/report.js';

describe('decodeReportKey', () => {
  it.each([
    ['a URL-encoded key', 'dir/red%20flower.jpg', 'dir/red flower.jpg', false],
    ['a form-encoded space', 'red+flower.jpg', 'red flower.jpg', false],
    ['an encoded plus', 'a%2Bb', 'a+b', false],
    ['a raw key with an invalid escape', '100%-done.txt', '100%-done.txt', false],
    ['a plain key', 'image_14975', 'image_14975', false],
    [
      'a hinted field',
      hintedKeyField({ key: 'dir/a b,c.txt', size: 5, encryption: 'SSE-S3' }),
      'dir/a b,c.txt',
      true,
    ],
    ['a key that looks like JSON but is not hints', '%7B%22k%22%3A', '{"k":', false],
  ])('decodes %s', (_name, field, key, hinted) => {
    // Act
    const d = decodeReportKey(field);
    // Assess
    expect(d).toEqual({ key, hinted });
  });

  it('leaves fields alone when keys are configured as raw', () => {
    // Act / Assess
    expect(decodeReportKey('red+flower.jpg', false).key).toBe('red+flower.jpg');
  });
});

describe('retryKeyField', () => {
  it.each([
    ['an encoded key', 'dir/red%20flower.jpg', 'dir/red%20flower.jpg'],
    [
      'a hinted field',
      hintedKeyField({ key: 'x y', etag: 'abc' }),
      hintedKeyField({ key: 'x y', etag: 'abc' }),
    ],
    ['a raw key with a comma and a space', 'a b,c.txt', 'a%20b%2Cc.txt'],
    ['a raw key with an invalid escape', '100%-done', '100%25-done'],
  ])('keeps or encodes %s', (_name, field, expected) => {
    // Act
    const out = retryKeyField(field);
    // Assess
    expect(out.encoded).toBe(expected);
    expect(out.encoded).not.toMatch(/[,"\n ]/);
  });

  it('round-trips the real key through Batch decoding', () => {
    // Act / Assess
    expect(decodeKey(retryKeyField('a b,c+d.txt').encoded)).toBe('a b,c+d.txt');
    expect(isHintedField(hintedKeyField({ key: 'k' }))).toBe(true);
    expect(isHintedField('k')).toBe(false);
  });
});
