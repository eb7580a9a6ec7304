import { describe, expect, it } from 'vitest';
import { encodeKey } from '../../../src/batch/keys.js';
import {
  decodeHintedKey,
  encodeHintedKey,
  MAX_KEY_FIELD,
  type TaskHints,
} from '../../../src/batch/task-hints.js';
import { taskHints } from '../../../src/manifest/manifest-set.js';
import { anInventoryRow } from '../../helpers/inventory.js';

describe('taskHints from an inventory row', () => {
  it('carries the inventory facts the per-object Lambda needs', () => {
    // Act
    const h = taskHints(
      anInventoryRow({
        key: 'a b+c/é.txt',
        encryption: 'SSE-KMS',
        bucketKey: 'DISABLED',
        size: 99,
        storageClass: 'INTELLIGENT_TIERING',
        accessTier: 'DEEP_ARCHIVE',
        isLatest: false,
        etag: 'abc',
      }),
      true,
    );
    // Assess
    expect(h).toEqual({
      key: 'a b+c/é.txt',
      encryption: 'SSE-KMS',
      size: 99,
      storageClass: 'INTELLIGENT_TIERING',
      etag: 'abc',
      bucketKey: 'DISABLED',
      isLatest: false,
      archiveTier: 'DEEP_ARCHIVE',
      locked: true,
    });
  });

  it('does not name a non-archive Intelligent-Tiering tier as archived', () => {
    expect(taskHints(anInventoryRow({ accessTier: 'FREQUENT' }), false)).not.toHaveProperty('archiveTier');
  });

  it('round-trips through the URL-encoded manifest key field', () => {
    // Prepare
    const h = taskHints(anInventoryRow({ key: 'x,y "z" 100%+1' }), false);
    // Act
    const field = encodeHintedKey(h);
    // Assess
    expect(field).toBeDefined();
    expect(field).not.toMatch(/[,"\n ]/);
    expect(decodeHintedKey(field!)).toEqual(h);
  });

  it.each([
    ['a short key', 200, true],
    ['a key that makes the field exceed 1,024 characters', 900, false],
  ])('encodes %s: fits = %s', (_name, length, fits) => {
    // Act
    const field = encodeHintedKey(taskHints(anInventoryRow({ key: 'k'.repeat(length) }), false));
    // Assess
    expect(field !== undefined).toBe(fits);
    if (field) expect(field.length).toBeLessThanOrEqual(MAX_KEY_FIELD);
  });

  it.each<[string, TaskHints]>([
    ['a plain key', { key: 'data/0/x.bin', encryption: 'SSE-S3', size: 5, isLatest: true }],
    ['spaces, plus and percent', { key: 'a b+c/100%.txt', size: 0, etag: 'abc-2', isLatest: false }],
    ["characters encodeKey escapes itself (!'()*)", { key: "img(1)!*'.jpg", storageClass: 'STANDARD' }],
    ['quotes, backslashes and a line break', { key: 'x"y\\z\nw', encryption: 'NOT-SSE', locked: true }],
    ['non-ASCII and an astral character', { key: 'données/été/😀.txt', bucketKey: 'ENABLED' }],
    ['a lone surrogate', { key: 'bad\ud800end', archiveTier: 'DEEP_ARCHIVE' }],
    [
      'an empty key and every hint',
      {
        key: '',
        encryption: 'SSE-KMS',
        size: 2 ** 53,
        storageClass: 'GLACIER',
        etag: 'e',
        bucketKey: 'DISABLED',
        isLatest: true,
        archiveTier: 'ARCHIVE',
        locked: true,
      },
    ],
    ['a size JSON writes with an exponent', { key: 'k', size: 1e21 }],
    ['a fractional size', { key: 'k', size: 1.5, encryption: 'sse-s3 "odd"' }],
    ['a negative size and an unsafe integer', { key: 'k', size: -7, etag: String(2 ** 60) }],
    ['a size past the safe integers', { key: 'k', size: 2 ** 60 }],
  ])('encodes %s exactly as URL-encoding its JSON document does', (_name, h) => {
    // Prepare: the wire document by its definition (short names, in this order)
    const wire = {
      k: h.key,
      ...(h.encryption ? { e: h.encryption } : {}),
      ...(h.size !== undefined ? { s: h.size } : {}),
      ...(h.storageClass ? { c: h.storageClass } : {}),
      ...(h.etag ? { t: h.etag } : {}),
      ...(h.bucketKey ? { b: h.bucketKey } : {}),
      ...(h.isLatest !== undefined ? { l: h.isLatest ? 1 : 0 } : {}),
      ...(h.archiveTier ? { a: h.archiveTier } : {}),
      ...(h.locked ? { o: 1 } : {}),
    };
    // Act
    const field = encodeHintedKey(h);
    // Assess
    expect(field).toBe(encodeKey(JSON.stringify(wire)));
  });
});
