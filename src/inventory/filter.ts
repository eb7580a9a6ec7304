import type { Strategy } from '../reencrypt/types.js';
import { ARCHIVE_ACCESS_TIERS, ARCHIVE_STORAGE_CLASSES } from './fields.js';
import type { InventoryRow } from './types.js';

/** What the user asked for; read once from configuration. */
export interface SelectionOptions {
  /** Only keys starting with one of these (empty: every key). */
  readonly includePrefixes: readonly string[];
  readonly excludePrefixes: readonly string[];
  readonly minSizeBytes?: number;
  readonly maxSizeBytes?: number;
  /** `current`: latest versions only; `all`: every version the inventory lists. */
  readonly versions: 'current' | 'all';
  /**
   * Treat every SSE-KMS object as needing work. Inventory has no key column (aws-facts §4.4), so
   * rotating to a new key, or moving off `aws/s3`, cannot be told apart from compliance otherwise.
   */
  readonly reencryptAllSseKms: boolean;
  /** Wanted S3 Bucket Key state. */
  readonly bucketKey: boolean;
  readonly strategy: Strategy;
  /** The endpoint implements UpdateObjectEncryption (AWS itself; not moto or most S3-compatible stores). */
  readonly updateAvailable: boolean;
  readonly multipartThresholdBytes: number;
  /** For Object Lock retain-until dates. */
  readonly now: Date;
}

export const ExclusionReasons = {
  deleteMarker: 'delete-marker',
  noncurrent: 'noncurrent-version',
  prefix: 'prefix',
  size: 'size',
} as const;
export type ExclusionReason = (typeof ExclusionReasons)[keyof typeof ExclusionReasons];

/** Why a row that needs work cannot get it from this pipeline (the user must act first). */
export const BlockReasons = {
  archived: 'archived-restore-first',
  sseC: 'sse-c',
  dsseKms: 'dsse-kms',
  noncurrentUnencrypted: 'noncurrent-unencrypted',
  objectLocked: 'object-locked',
  updateUnavailable: 'update-unavailable',
  updateOnly: 'update-only-strategy',
} as const;
export type BlockReason = (typeof BlockReasons)[keyof typeof BlockReasons];

export type WorkRoute = 'update' | 'copy' | 'multipart';

export type Decision =
  | { readonly kind: 'excluded'; readonly reason: ExclusionReason }
  | { readonly kind: 'compliant' }
  | { readonly kind: 'work'; readonly route: WorkRoute; readonly archived: boolean; readonly locked: boolean }
  | { readonly kind: 'blocked'; readonly reason: BlockReason; readonly archived: boolean };

export const isArchived = (row: InventoryRow): boolean =>
  (row.storageClass !== undefined && ARCHIVE_STORAGE_CLASSES.has(row.storageClass)) ||
  (row.accessTier !== undefined && ARCHIVE_ACCESS_TIERS.has(row.accessTier));

/** Retention or legal hold in force: UpdateObjectEncryption refuses such objects (aws-facts §5.7). */
export const isLocked = (row: InventoryRow, now: Date): boolean =>
  row.legalHold === true ||
  (row.objectLockRetainUntil !== undefined && Date.parse(row.objectLockRetainUntil) > now.getTime());

const EXCLUDED = {
  deleteMarker: { kind: 'excluded', reason: 'delete-marker' },
  noncurrent: { kind: 'excluded', reason: 'noncurrent-version' },
  prefix: { kind: 'excluded', reason: 'prefix' },
  size: { kind: 'excluded', reason: 'size' },
} as const satisfies Record<string, Decision>;
const COMPLIANT: Decision = { kind: 'compliant' };

/**
 * Decides one row, following architecture.md "Per-object routing". The per-object Lambda decides
 * again from what it sees; this prediction selects the rows and prices the plan.
 */
export function classifyRow(row: InventoryRow, o: SelectionOptions): Decision {
  if (row.isDeleteMarker) return EXCLUDED.deleteMarker;
  if (o.versions === 'current' && !row.isLatest) return EXCLUDED.noncurrent;
  if (o.includePrefixes.length > 0 && !o.includePrefixes.some((p) => row.key.startsWith(p)))
    return EXCLUDED.prefix;
  if (o.excludePrefixes.length > 0 && o.excludePrefixes.some((p) => row.key.startsWith(p)))
    return EXCLUDED.prefix;
  if (row.size !== undefined) {
    if (o.minSizeBytes !== undefined && row.size < o.minSizeBytes) return EXCLUDED.size;
    if (o.maxSizeBytes !== undefined && row.size > o.maxSizeBytes) return EXCLUDED.size;
  }
  const archived = isArchived(row);
  switch (row.encryption) {
    case 'SSE-C':
      return blocked('sse-c', archived);
    case 'DSSE-KMS':
      return blocked('dsse-kms', archived);
    case 'SSE-KMS': {
      // Without a BucketKeyStatus column the Bucket Key state cannot be judged: assume it is as wanted.
      const wrongBucketKey = row.bucketKey !== undefined && (row.bucketKey === 'ENABLED') !== o.bucketKey;
      if (!o.reencryptAllSseKms && !wrongBucketKey) return COMPLIANT;
      return route(row, o, true, archived);
    }
    case 'SSE-S3':
      return route(row, o, true, archived);
    default:
      return route(row, o, false, archived);
  }
}

// Decisions are shared constants: classification runs for every inventory row and allocates nothing.
const WORK = Object.fromEntries(
  (['update', 'copy', 'multipart'] as const).map((r) => [
    r,
    [false, true].map((archived) =>
      [false, true].map((locked) => Object.freeze({ kind: 'work', route: r, archived, locked }) as Decision),
    ),
  ]),
) as Record<WorkRoute, Decision[][]>;
const BLOCKED = Object.fromEntries(
  Object.values(BlockReasons).map((reason) => [
    reason,
    [false, true].map((archived) => Object.freeze({ kind: 'blocked', reason, archived }) as Decision),
  ]),
) as Record<BlockReason, Decision[]>;
const work = (r: WorkRoute, archived: boolean, locked: boolean): Decision =>
  WORK[r][archived ? 1 : 0]![locked ? 1 : 0]!;
const blocked = (reason: BlockReason, archived: boolean): Decision => BLOCKED[reason][archived ? 1 : 0]!;

function route(row: InventoryRow, o: SelectionOptions, encrypted: boolean, archived: boolean): Decision {
  const locked = isLocked(row, o.now);
  if (encrypted && !locked && o.strategy !== 'copy' && o.updateAvailable)
    return work('update', archived, locked);
  if (o.strategy === 'update') return blocked('update-only-strategy', archived);
  // Copying an older version onto the key would make stale bytes current (architecture.md).
  if (!row.isLatest) {
    const reason: BlockReason = !encrypted
      ? 'noncurrent-unencrypted'
      : locked
        ? 'object-locked'
        : 'update-unavailable';
    return blocked(reason, archived);
  }
  if (archived) return blocked('archived-restore-first', archived);
  const big = row.size !== undefined && row.size > o.multipartThresholdBytes;
  return work(big ? 'multipart' : 'copy', archived, locked);
}
