import { decodeKey, encodeKey } from '../batch/keys.js';
import { parseHints } from '../batch/task-hints.js';

/**
 * Report key fields. Whether AWS writes them URL-encoded is UNCONFIRMED (aws-facts §3.4); the local engine
 * writes the manifest's field back, which is URL-encoded, and for hinted jobs a task-hints JSON document.
 */
export interface DecodedKey {
  readonly key: string;
  /** The field carried a task-hints document (the job ran with `hints=1`). */
  readonly hinted: boolean;
}

/** The real object key behind a report key field, for display. */
export function decodeReportKey(field: string, encoded = true): DecodedKey {
  let text = field;
  if (encoded && (field.includes('%') || field.includes('+'))) {
    try {
      text = decodeKey(field);
    } catch {
      text = field; // not valid percent-encoding: the field is a raw key
    }
  }
  if (text.startsWith('{"k":')) {
    try {
      return { key: parseHints(text).key, hinted: true };
    } catch {
      // a real key that merely looks like JSON
    }
  }
  return { key: text, hinted: false };
}

// What encodeKey can produce (plus `+`, which some encoders use for a space).
const ENCODED = /^[A-Za-z0-9\-_.~%+/!*'()]*$/;

/**
 * The key field for a retry-manifest row: the report's own field when it is already in manifest form (URL-encoded,
 * hinted or not), otherwise the raw key encoded. Keeping the field keeps the task hints and the exact bytes Batch
 * decoded the first time.
 */
export function retryKeyField(field: string, encoded = true): { encoded: string } {
  if (encoded && ENCODED.test(field)) {
    try {
      decodeKey(field);
      return { encoded: field };
    } catch {
      // fall through: not decodable, so it was a raw key containing '%'
    }
  }
  return { encoded: encodeKey(field) };
}

/** Whether a retry row's field is a task-hints document (needs `hints=1` on the retry job). */
export const isHintedField = (field: string, encoded = true): boolean =>
  decodeReportKey(field, encoded).hinted;
