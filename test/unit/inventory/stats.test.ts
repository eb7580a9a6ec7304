import { describe, expect, it } from 'vitest';
import { classifyRow } from '../../../src/inventory/filter.js';
import { emptyStats, mergeStats, StatsCollector } from '../../../src/inventory/stats.js';
import type { InventoryRow } from '../../../src/inventory/types.js';
import { anInventoryRow, selectionOptions } from '../../helpers/inventory.js';

const rows: InventoryRow[] = [
  anInventoryRow({ key: 'a', encryption: 'SSE-S3', size: 10 }),
  anInventoryRow({ key: 'b', encryption: 'SSE-S3', size: 20 }),
  anInventoryRow({ key: 'c', encryption: 'NOT-SSE', size: 5, storageClass: 'GLACIER' }),
  anInventoryRow({ key: 'd', encryption: 'SSE-KMS', bucketKey: 'ENABLED', size: 7 }),
  anInventoryRow({ key: 'e', encryption: 'NOT-SSE', size: 3, isLatest: false }),
  anInventoryRow({ key: 'f', isDeleteMarker: true, encryption: undefined, size: undefined }),
  anInventoryRow({ key: 'g', encryption: 'SSE-S3', size: 1, isLatest: false }),
];

function collect(list: InventoryRow[]) {
  const s = new StatsCollector();
  for (const r of list) s.add(r, classifyRow(r, selectionOptions()));
  return s.toJSON();
}

describe('StatsCollector', () => {
  it('counts objects and bytes by encryption × storage class × route', () => {
    // Act
    const s = collect(rows);
    // Assess
    expect(s.rowsScanned).toBe(7);
    expect(s.breakdown).toEqual([
      { encryption: 'NOT-SSE', storageClass: 'GLACIER', route: 'blocked', objects: 1, bytes: 5 },
      { encryption: 'NOT-SSE', storageClass: 'STANDARD', route: 'blocked', objects: 1, bytes: 3 },
      { encryption: 'SSE-KMS', storageClass: 'STANDARD', route: 'skip', objects: 1, bytes: 7 },
      { encryption: 'SSE-S3', storageClass: 'STANDARD', route: 'update', objects: 3, bytes: 31 },
    ]);
    expect(s.byRoute).toEqual({
      skip: { objects: 1, bytes: 7 },
      update: { objects: 3, bytes: 31 },
      copy: { objects: 0, bytes: 0 },
      multipart: { objects: 0, bytes: 0 },
      blocked: { objects: 2, bytes: 8 },
    });
    expect(s.excluded).toEqual({ 'delete-marker': { objects: 1, bytes: 0 } });
    expect(s.blocked).toEqual({
      'archived-restore-first': { objects: 1, bytes: 5 },
      'noncurrent-unencrypted': { objects: 1, bytes: 3 },
    });
    expect(s.archived).toEqual({ work: { objects: 0, bytes: 0 }, blocked: { objects: 1, bytes: 5 } });
    expect(s.versions).toEqual({ current: { objects: 2, bytes: 30 }, noncurrent: { objects: 1, bytes: 1 } });
  });

  it('merges per-file stats into the same totals as one pass', () => {
    // Act
    const merged = mergeStats(mergeStats(emptyStats(), collect(rows.slice(0, 3))), collect(rows.slice(3)));
    // Assess
    expect(merged).toEqual(collect(rows));
  });
});
