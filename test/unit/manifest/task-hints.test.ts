import { describe, expect, it } from 'vitest';
import { encodeKey } from '../../../src/batch/keys.js';
import {
  decodeHintedKey,
  encodeHintedKey,
  MAX_KEY_FIELD,
  type TaskHints,
} from '../../../src/batch/task-hints.js';
import { type HintColumns, hintColumns, taskHints } from '../../../src/manifest/manifest-set.js';
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

  it.each<[string, Parameters<typeof anInventoryRow>[0], HintColumns, Partial<TaskHints>]>([
    ['no lock or checksum columns', {}, { objectLock: false, checksum: false }, {}],
    ['lock columns and no lock', {}, { objectLock: true, checksum: false }, { locked: false }],
    [
      'an expired retention (mode and date still set)',
      { objectLockMode: 'GOVERNANCE', objectLockRetainUntil: '2020-01-01T00:00:00.000Z' },
      { objectLock: true, checksum: false },
      {},
    ],
    ['legal hold off', { legalHold: false }, { objectLock: true, checksum: false }, { locked: false }],
    [
      'a checksum column and no checksum',
      {},
      { objectLock: false, checksum: true },
      { checksumAlgorithm: '' },
    ],
    [
      'a checksum column and a checksum',
      { checksumAlgorithm: 'CRC32C' },
      { objectLock: false, checksum: true },
      { checksumAlgorithm: 'CRC32C' },
    ],
    [
      'a checksum without its column listed',
      { checksumAlgorithm: 'CRC32C' },
      { objectLock: false, checksum: false },
      {},
    ],
  ])('states lock and checksum facts only when the inventory lists them: %s', (_n, row, columns, want) => {
    // Act
    const h = taskHints(anInventoryRow(row), false, columns);
    // Assess
    expect({ locked: h.locked, checksumAlgorithm: h.checksumAlgorithm }).toEqual({
      locked: undefined,
      checksumAlgorithm: undefined,
      ...want,
    });
  });

  it.each([
    [['Bucket', 'Key', 'Size'], { objectLock: false, checksum: false }],
    [
      ['Bucket', 'Key', 'ObjectLockMode', 'ObjectLockRetainUntilDate', 'ChecksumAlgorithm'],
      { objectLock: false, checksum: true },
    ],
    [
      ['ObjectLockMode', 'ObjectLockRetainUntilDate', 'ObjectLockLegalHoldStatus', null],
      { objectLock: true, checksum: false },
    ],
  ] as const)('reads which facts columns %j can vouch for', (columns, want) => {
    expect(hintColumns(columns)).toEqual(want);
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
    ['known to be lock-free, with a checksum', { key: 'k', locked: false, checksumAlgorithm: 'SHA256' }],
    ['listed without a checksum', { key: 'k', checksumAlgorithm: '' }],
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
      ...(h.locked !== undefined ? { o: h.locked ? 1 : 0 } : {}),
      ...(h.checksumAlgorithm !== undefined ? { h: h.checksumAlgorithm } : {}),
    };
    // Act
    const field = encodeHintedKey(h);
    // Assess
    expect(field).toBe(encodeKey(JSON.stringify(wire)));
  });
});
