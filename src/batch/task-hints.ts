import { decodeKey, encodeKey } from './keys.js';

/**
 * Inventory facts carried in a manifest row's key field (architecture.md: Batch allows a URL-encoded
 * JSON document there for Lambda jobs, up to 1,024 characters). With them the per-object Lambda can
 * act without a HEAD; it falls back to a HEAD when the object changed since the inventory.
 */
export interface TaskHints {
  /** The object key (decoded). */
  readonly key: string;
  /** Inventory EncryptionStatus: SSE-S3 | SSE-KMS | DSSE-KMS | SSE-C | NOT-SSE. */
  readonly encryption?: string;
  readonly size?: number;
  readonly storageClass?: string;
  /** ETag as the inventory lists it (no quotes). */
  readonly etag?: string;
  /** ENABLED | DISABLED */
  readonly bucketKey?: string;
  readonly isLatest?: boolean;
  /** IntelligentTieringAccessTier when ARCHIVE/DEEP_ARCHIVE. */
  readonly archiveTier?: string;
  /** Object Lock retention or legal hold in force according to the inventory. */
  readonly locked?: boolean;
}

/** Maximum length of a manifest key field (aws-facts §1.4). */
export const MAX_KEY_FIELD = 1024;

interface Wire {
  k: string;
  e?: string;
  s?: number;
  c?: string;
  t?: string;
  b?: string;
  l?: 0 | 1;
  a?: string;
  o?: 1;
}

/** The URL-encoded key field for a hinted row, or undefined when it would not fit (use a plain manifest). */
export function encodeHintedKey(h: TaskHints): string | undefined {
  const w: Wire = { k: h.key };
  if (h.encryption) w.e = h.encryption;
  if (h.size !== undefined) w.s = h.size;
  if (h.storageClass) w.c = h.storageClass;
  if (h.etag) w.t = h.etag;
  if (h.bucketKey) w.b = h.bucketKey;
  if (h.isLatest !== undefined) w.l = h.isLatest ? 1 : 0;
  if (h.archiveTier) w.a = h.archiveTier;
  if (h.locked) w.o = 1;
  const field = encodeKey(JSON.stringify(w));
  return field.length <= MAX_KEY_FIELD ? field : undefined;
}

export class TaskHintsError extends Error {
  override readonly name = 'TaskHintsError';
}

/** Parses an already-decoded key field of a hinted job. */
export function parseHints(decodedField: string): TaskHints {
  let w: unknown;
  try {
    w = JSON.parse(decodedField);
  } catch (cause) {
    throw new TaskHintsError('s3Key is not a task-hints JSON document although job argument hints=1', {
      cause,
    });
  }
  if (typeof w !== 'object' || w === null || typeof (w as Wire).k !== 'string' || (w as Wire).k === '')
    throw new TaskHintsError('task-hints document in s3Key has no "k" (object key) string');
  const x = w as Wire;
  const num = typeof x.s === 'number' && Number.isFinite(x.s) && x.s >= 0 ? x.s : undefined;
  return {
    key: x.k,
    ...(typeof x.e === 'string' ? { encryption: x.e } : {}),
    ...(num !== undefined ? { size: num } : {}),
    ...(typeof x.c === 'string' ? { storageClass: x.c } : {}),
    ...(typeof x.t === 'string' ? { etag: x.t } : {}),
    ...(typeof x.b === 'string' ? { bucketKey: x.b } : {}),
    ...(x.l === 0 || x.l === 1 ? { isLatest: x.l === 1 } : {}),
    ...(typeof x.a === 'string' ? { archiveTier: x.a } : {}),
    ...(x.o === 1 ? { locked: true } : {}),
  };
}

export const decodeHintedKey = (field: string): TaskHints => parseHints(decodeKey(field));
