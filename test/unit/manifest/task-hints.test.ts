import { describe, expect, it } from 'vitest';
import { decodeHintedKey, encodeHintedKey, MAX_KEY_FIELD } from '../../../src/batch/task-hints.js';
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
});
