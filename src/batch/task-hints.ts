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
  /**
   * true: Object Lock retention or legal hold in force according to the inventory. false: the inventory
   * lists the Object Lock fields and the object has none of them set. Absent: not known.
   */
  readonly locked?: boolean;
  /**
   * Inventory ChecksumAlgorithm (API spelling), `''` when the inventory lists the field and the object
   * has no checksum; absent when the inventory does not list the field.
   */
  readonly checksumAlgorithm?: string;
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
  o?: 0 | 1;
  h?: string;
}

// encodeKey works character by character, so the field is the concatenation of its encoded JSON pieces:
// names and punctuation are encoded once here, and a value is JSON-quoted by hand unless it holds a
// character JSON.stringify escapes. The trigger encodes one field per selected row; this keeps it cheap.
// (A paired surrogate is not escaped by JSON, but taking the long way for it is still exact.)
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters JSON escapes
const JSON_ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;
const name = (n: keyof Wire) => encodeKey(`,"${n}":`);
const OPEN = encodeKey('{"k":');
const [E, S, C, T, B, L, A, O, H] = (['e', 's', 'c', 't', 'b', 'l', 'a', 'o', 'h'] as const).map(name);
const CLOSE = encodeKey('}');
const str = (v: string): string =>
  JSON_ESCAPED.test(v) ? encodeKey(JSON.stringify(v)) : `%22${encodeKey(v)}%22`;
// Encryption, storage class, Bucket Key and tier take a handful of values: each is encoded once.
const vocabulary = new Map<string, string>();
const word = (v: string): string => {
  let encoded = vocabulary.get(v);
  if (encoded === undefined) {
    encoded = str(v);
    if (vocabulary.size < 256) vocabulary.set(v, encoded);
  }
  return encoded;
};
const num = (v: number): string => (Number.isSafeInteger(v) ? String(v) : encodeKey(JSON.stringify(v)));

/**
 * The URL-encoded key field for a hinted row, or undefined when it would not fit (use a plain manifest).
 * Equal to `encodeKey(JSON.stringify(wire))` for the `Wire` document of `h` (task-hints.test.ts).
 */
export function encodeHintedKey(h: TaskHints): string | undefined {
  let field = OPEN + str(h.key);
  if (h.encryption) field += E + word(h.encryption);
  if (h.size !== undefined) field += S + num(h.size);
  if (h.storageClass) field += C + word(h.storageClass);
  if (h.etag) field += T + str(h.etag);
  if (h.bucketKey) field += B + word(h.bucketKey);
  if (h.isLatest !== undefined) field += L + (h.isLatest ? '1' : '0');
  if (h.archiveTier) field += A + word(h.archiveTier);
  if (h.locked !== undefined) field += O + (h.locked ? '1' : '0');
  if (h.checksumAlgorithm !== undefined) field += H + word(h.checksumAlgorithm);
  field += CLOSE;
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
    ...(x.o === 0 || x.o === 1 ? { locked: x.o === 1 } : {}),
    ...(typeof x.h === 'string' ? { checksumAlgorithm: x.h } : {}),
  };
}

export const decodeHintedKey = (field: string): TaskHints => parseHints(decodeKey(field));
