import type { FailureCause } from '../batch/result-string.js';
import { assessCompliance } from '../compliance/compliance.js';
import {
  type JobSettings,
  type ObjectSnapshot,
  SINGLE_COPY_LIMIT_BYTES,
  type TargetEncryption,
} from './types.js';

/** What to do with one object version (architecture.md "Per-object routing"). */
export type Decision =
  | { readonly route: 'skip' }
  | { readonly route: 'update' }
  | { readonly route: 'copy' }
  | { readonly route: 'multipart' }
  | { readonly route: 'blocked'; readonly cause: FailureCause; readonly reason: string };

/** Why the update route is out for this object, if it is (decided before routing). */
export type UpdateUnavailable =
  | 'endpoint-disabled' // custom endpoint and not explicitly allowed
  | 'endpoint-unsupported' // the endpoint answered NotImplemented
  | 'refused'; // UpdateObjectEncryption refused this object

export interface RouteContext {
  readonly settings: JobSettings;
  readonly updateUnavailable?: UpdateUnavailable;
  readonly now: Date;
}

/** The skip test: the one definition of compliant, shared with `verify` and drift counting. */
export const isCompliant = (s: ObjectSnapshot, target: TargetEncryption): boolean =>
  assessCompliance(s.encryption, target).compliant;

/** Retention until a future date, or a legal hold: UpdateObjectEncryption refuses such objects. */
export function isLockInForce(s: ObjectSnapshot, now: Date): boolean {
  const lock = s.objectLock;
  if (!lock) return false;
  if (lock.legalHold === 'ON') return true;
  return lock.mode !== undefined && lock.retainUntil !== undefined && lock.retainUntil > now;
}

export const ARCHIVE_CLASSES: ReadonlySet<string> = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/** In an archive tier and not (or not yet) restored: no copy can read its bytes. */
export function isArchivedUnrestored(s: ObjectSnapshot): boolean {
  const archived =
    ARCHIVE_CLASSES.has(s.storageClass) ||
    s.archiveStatus === 'ARCHIVE_ACCESS' ||
    s.archiveStatus === 'DEEP_ARCHIVE_ACCESS';
  return archived && !(s.restore ?? '').includes('ongoing-request="false"');
}

const blocked = (cause: FailureCause, reason: string): Decision => ({ route: 'blocked', cause, reason });

const updateOutWhy: Record<UpdateUnavailable, string> = {
  'endpoint-disabled': 'the update route is off for this custom S3 endpoint',
  'endpoint-unsupported': 'the endpoint does not implement UpdateObjectEncryption',
  refused: 'UpdateObjectEncryption refused the object',
};

/** Pure routing: the same snapshot and context always give the same decision. */
export function decideRoute(s: ObjectSnapshot, ctx: RouteContext): Decision {
  const { settings } = ctx;
  const alg = s.encryption.algorithm;
  if (isCompliant(s, settings.target)) return { route: 'skip' };
  if (alg === 'SSE-C')
    return blocked(
      'sse-c',
      'SSE-C object: S3 cannot read it without the customer key; re-encrypt it yourself',
    );
  if (alg === 'aws:kms:dsse')
    return blocked(
      'dsse-kms',
      'DSSE-KMS object: dual-layer encryption would be weakened to SSE-KMS; left as is',
    );

  const locked = isLockInForce(s, ctx.now);
  const updatable = (alg === 'AES256' || alg === 'aws:kms') && !locked;
  const why = ctx.updateUnavailable;
  if (settings.strategy !== 'copy' && updatable && why === undefined) return { route: 'update' };

  if (settings.strategy === 'update') {
    const reason =
      alg === 'NONE'
        ? 'unencrypted objects need a copy'
        : locked
          ? 'Object Lock retention or legal hold is in force'
          : updateOutWhy[why ?? 'refused'];
    return blocked(locked ? 'object-locked' : 'route-not-allowed', `strategy=update, but ${reason}`);
  }

  if (!s.isLatest) {
    // Copying an older version onto the key would make stale bytes current (architecture.md).
    if (alg === 'NONE')
      return blocked(
        'noncurrent-unencrypted',
        'noncurrent unencrypted version: it cannot be copied in place; expire it with a lifecycle rule',
      );
    const reason = locked
      ? 'Object Lock retention or legal hold is in force'
      : settings.strategy === 'copy'
        ? 'strategy=copy never updates in place'
        : updateOutWhy[why ?? 'refused'];
    return blocked(
      locked ? 'object-locked' : 'noncurrent-version',
      `noncurrent version cannot be copied in place and ${reason}; expire it with a lifecycle rule`,
    );
  }
  if (isArchivedUnrestored(s))
    return blocked(
      'archived-restore-first',
      `${s.archiveStatus ?? s.storageClass} object not restored: restore it first (or enable the update route)`,
    );
  const limit = Math.min(settings.multipartThresholdBytes, SINGLE_COPY_LIMIT_BYTES);
  return s.size > limit ? { route: 'multipart' } : { route: 'copy' };
}
