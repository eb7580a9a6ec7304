import { encodeKey } from '../batch/keys.js';

/**
 * One row of an S3BatchOperations_CSV_20180820 manifest: bucket, URL-encoded key (or an already
 * encoded task-hints field), optional version id. No header row, no empty lines, UTF-8 without BOM,
 * and every row either has a version id or none (aws-facts §2.2).
 */
export function manifestRow(
  bucket: string,
  keyField: { encoded: string } | { key: string },
  versionId?: string,
): string {
  const field = 'encoded' in keyField ? keyField.encoded : encodeKey(keyField.key);
  // An encoded key has no comma, quote or newline (all percent-encoded), so no CSV quoting is needed.
  return versionId === undefined ? `${bucket},${field}\n` : `${bucket},${field},${versionId}\n`;
}
