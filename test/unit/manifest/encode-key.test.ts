import { describe, expect, it } from 'vitest';
import { decodeKey, encodeKey } from '../../../src/batch/keys.js';

/** encodeKey's definition: encodeURIComponent, `/` kept readable, and !'()* escaped as S3's encoders do. */
const definition = (key: string): string =>
  encodeURIComponent(key)
    .replace(/%2F/g, '/')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const outcome = (f: (k: string) => string, key: string): string => {
  try {
    return f(key);
  } catch (e) {
    return `throws ${(e as Error).name}`;
  }
};

describe('encodeKey', () => {
  it('encodes every UTF-16 code unit as its definition does, alone and between other characters', () => {
    // Act: lone surrogates included (both throw URIError)
    const differ: number[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      for (const key of [ch, `a${ch}b/${ch}${ch}`])
        if (outcome(encodeKey, key) !== outcome(definition, key)) differ.push(c);
    }
    // Assess
    expect(differ).toEqual([]);
  });

  it.each([
    ['a plain key', 'data/2024/05/file_1.bin'],
    ['spaces and form characters', 'a b+c=d&e?f#g'],
    ["characters only S3's encoders escape", "img(1)!*'.jpg"],
    ['percent signs', '100%/%2F%25'],
    ['accents and an astral character', 'données/été/😀 x.txt'],
    ['a run of mixed scripts', 'Ünïcödé/日本語/é😀é'],
    ['an empty key', ''],
    ['only slashes', '///'],
  ])('encodes %s as its definition does and decodes back', (_name, key) => {
    // Act
    const encoded = encodeKey(key);
    // Assess
    expect(encoded).toBe(definition(key));
    expect(decodeKey(encoded)).toBe(key);
  });
});
