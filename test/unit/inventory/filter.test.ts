import { describe, expect, it } from 'vitest';
import { classifyRow, type Decision } from '../../../src/inventory/filter.js';
import type { InventoryRow } from '../../../src/inventory/types.js';
import { anInventoryRow, selectionOptions } from '../../helpers/inventory.js';

const GiB = 1024 ** 3;
const work = (
  route: 'update' | 'copy' | 'multipart',
  extra: Partial<{ archived: boolean; locked: boolean }> = {},
) => ({ kind: 'work', route, archived: false, locked: false, ...extra }) satisfies Decision;
const blocked = (reason: string, archived = false) => ({ kind: 'blocked', reason, archived });
const excluded = (reason: string) => ({ kind: 'excluded', reason });

describe('classifyRow on AWS (update route available)', () => {
  it.each<[string, Partial<InventoryRow>, Decision | Record<string, unknown>]>([
    [
      'SSE-KMS with the wanted Bucket Key',
      { encryption: 'SSE-KMS', bucketKey: 'ENABLED' },
      { kind: 'compliant' },
    ],
    [
      'SSE-KMS without a BucketKeyStatus column',
      { encryption: 'SSE-KMS', bucketKey: undefined },
      { kind: 'compliant' },
    ],
    ['SSE-KMS with Bucket Key off', { encryption: 'SSE-KMS', bucketKey: 'DISABLED' }, work('update')],
    ['SSE-S3', { encryption: 'SSE-S3' }, work('update')],
    ['SSE-S3 under a legal hold', { encryption: 'SSE-S3', legalHold: true }, work('copy', { locked: true })],
    [
      'SSE-S3 retained until later',
      { encryption: 'SSE-S3', objectLockRetainUntil: '2030-01-01T00:00:00.000Z' },
      work('copy', { locked: true }),
    ],
    [
      'SSE-S3 whose retention expired',
      { encryption: 'SSE-S3', objectLockRetainUntil: '2020-01-01T00:00:00.000Z' },
      work('update'),
    ],
    [
      'SSE-S3 in GLACIER (update needs no restore)',
      { encryption: 'SSE-S3', storageClass: 'GLACIER' },
      work('update', { archived: true }),
    ],
    ['NOT-SSE', { encryption: 'NOT-SSE' }, work('copy')],
    ['NOT-SSE above 5 GiB', { encryption: 'NOT-SSE', size: 5 * GiB + 1 }, work('multipart')],
    ['NOT-SSE of exactly 5 GiB', { encryption: 'NOT-SSE', size: 5 * GiB }, work('copy')],
    [
      'NOT-SSE in DEEP_ARCHIVE',
      { encryption: 'NOT-SSE', storageClass: 'DEEP_ARCHIVE' },
      blocked('archived-restore-first', true),
    ],
    [
      'NOT-SSE in the Intelligent-Tiering archive tier',
      { encryption: 'NOT-SSE', storageClass: 'INTELLIGENT_TIERING', accessTier: 'ARCHIVE' },
      blocked('archived-restore-first', true),
    ],
    [
      'NOT-SSE in Intelligent-Tiering frequent access',
      { encryption: 'NOT-SSE', storageClass: 'INTELLIGENT_TIERING', accessTier: 'FREQUENT' },
      work('copy'),
    ],
    [
      'NOT-SSE in GLACIER_IR (instant retrieval)',
      { encryption: 'NOT-SSE', storageClass: 'GLACIER_IR' },
      work('copy'),
    ],
    [
      'NOT-SSE noncurrent version',
      { encryption: 'NOT-SSE', isLatest: false },
      blocked('noncurrent-unencrypted'),
    ],
    ['SSE-S3 noncurrent version', { encryption: 'SSE-S3', isLatest: false }, work('update')],
    [
      'SSE-S3 noncurrent version on hold',
      { encryption: 'SSE-S3', isLatest: false, legalHold: true },
      blocked('object-locked'),
    ],
    ['SSE-C', { encryption: 'SSE-C' }, blocked('sse-c')],
    ['DSSE-KMS', { encryption: 'DSSE-KMS' }, blocked('dsse-kms')],
    ['a delete marker', { isDeleteMarker: true, encryption: undefined }, excluded('delete-marker')],
  ])('routes %s', (_name, row, expected) => {
    expect(classifyRow(anInventoryRow(row), selectionOptions())).toEqual(expected);
  });
});

describe('classifyRow options', () => {
  it.each<
    [
      string,
      Partial<InventoryRow>,
      Parameters<typeof selectionOptions>[0],
      Decision | Record<string, unknown>,
    ]
  >([
    [
      'every SSE-KMS object for key rotation',
      { encryption: 'SSE-KMS', bucketKey: 'ENABLED' },
      { reencryptAllSseKms: true },
      work('update'),
    ],
    [
      'SSE-KMS with Bucket Key on when off is wanted',
      { encryption: 'SSE-KMS', bucketKey: 'ENABLED' },
      { bucketKey: false },
      work('update'),
    ],
    [
      'SSE-S3 on an endpoint without the update API',
      { encryption: 'SSE-S3' },
      { updateAvailable: false },
      work('copy'),
    ],
    ['SSE-S3 with strategy copy', { encryption: 'SSE-S3' }, { strategy: 'copy' }, work('copy')],
    [
      'NOT-SSE with strategy update',
      { encryption: 'NOT-SSE' },
      { strategy: 'update' },
      blocked('update-only-strategy'),
    ],
    [
      'a noncurrent SSE-S3 version where update is unavailable',
      { encryption: 'SSE-S3', isLatest: false },
      { updateAvailable: false },
      blocked('update-unavailable'),
    ],
    [
      'a noncurrent version when only current ones are wanted',
      { isLatest: false },
      { versions: 'current' },
      excluded('noncurrent-version'),
    ],
    [
      'a key outside the include prefixes',
      { key: 'logs/a' },
      { includePrefixes: ['photos/', 'docs/'] },
      excluded('prefix'),
    ],
    [
      'a key inside the include prefixes',
      { key: 'docs/a' },
      { includePrefixes: ['photos/', 'docs/'] },
      work('update'),
    ],
    [
      'a key under an exclude prefix',
      { key: 'photos/tmp/a' },
      { excludePrefixes: ['photos/tmp/'] },
      excluded('prefix'),
    ],
    ['an object below the minimum size', { size: 10 }, { minSizeBytes: 11 }, excluded('size')],
    ['an object above the maximum size', { size: 12 }, { maxSizeBytes: 11 }, excluded('size')],
    ['an object of unknown size with size bounds', { size: undefined }, { minSizeBytes: 11 }, work('update')],
    [
      'a lowered multipart threshold',
      { encryption: 'NOT-SSE', size: 2048 },
      { multipartThresholdBytes: 1024 },
      work('multipart'),
    ],
  ])('handles %s', (_name, row, options, expected) => {
    expect(classifyRow(anInventoryRow(row), selectionOptions(options))).toEqual(expected);
  });
});
