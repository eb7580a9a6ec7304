import { describe, expect, it } from 'vitest';
import type { InventoryRow } from '../../../src/inventory/types.js';
import { inventoryEncryption } from '../../../src/verify/inventory-source.js';

const row = (over: Partial<InventoryRow>): InventoryRow => ({
  bucket: 'b',
  key: 'k',
  isLatest: true,
  isDeleteMarker: false,
  ...over,
});

describe('inventoryEncryption', () => {
  it.each<[Partial<InventoryRow>, ReturnType<typeof inventoryEncryption>]>([
    [{ encryption: 'SSE-S3' }, { algorithm: 'AES256' }],
    [{ encryption: 'NOT-SSE' }, { algorithm: 'NONE' }],
    [{ encryption: 'SSE-C' }, { algorithm: 'SSE-C' }],
    [{ encryption: 'DSSE-KMS' }, { algorithm: 'aws:kms:dsse' }],
    [
      { encryption: 'SSE-KMS', bucketKey: 'ENABLED' },
      { algorithm: 'aws:kms', bucketKeyEnabled: true },
    ],
    [
      { encryption: 'SSE-KMS', bucketKey: 'DISABLED' },
      { algorithm: 'aws:kms', bucketKeyEnabled: false },
    ],
    [{ encryption: 'SSE-KMS' }, { algorithm: 'aws:kms' }],
    [{ isDeleteMarker: true }, undefined],
  ])('maps %o', (over, expected) => {
    expect(inventoryEncryption(row(over))).toEqual(expected);
  });
});
