import { isOwnStatement, type PolicyDocument, type PolicyStatement } from './policy.js';

/**
 * Existing statements that would deny the very writes the target needs (a classic "require AES256"
 * policy, or one pinning another key). Deny always wins in IAM, so merging our statements next to
 * such a statement would leave a bucket nobody can write to, and the re-encryption copies would fail.
 * Conservative: a statement is reported when it *can* deny such a write; its other conditions
 * (principals, source VPC, ...) are not evaluated.
 */
export function findPolicyConflicts(policy: PolicyDocument | undefined, targetKeyArn: string): string[] {
  const conflicts: string[] = [];
  for (const [i, s] of (policy?.Statement ?? []).entries()) {
    if (isOwnStatement(s) || s.Effect !== 'Deny' || !coversPutObject(s)) continue;
    const name = typeof s.Sid === 'string' && s.Sid !== '' ? `"${s.Sid}"` : `#${i + 1}`;
    for (const reason of conditionConflicts(s, targetKeyArn)) conflicts.push(`statement ${name} ${reason}`);
  }
  return conflicts;
}

const SSE = 's3:x-amz-server-side-encryption';
const SSE_KEY = 's3:x-amz-server-side-encryption-aws-kms-key-id';

function conditionConflicts(s: PolicyStatement, keyArn: string): string[] {
  const out: string[] = [];
  const condition = s.Condition;
  if (typeof condition !== 'object' || condition === null) return out;
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    if (typeof block !== 'object' || block === null) continue;
    const op = operator.replace(/^ForAllValues:|^ForAnyValue:/, '').replace(/IfExists$/, '');
    for (const [conditionKey, raw] of Object.entries(block as Record<string, unknown>)) {
      const key = conditionKey.toLowerCase();
      const values = (Array.isArray(raw) ? raw : [raw]).map(String);
      const negated = op === 'StringNotEquals' || op === 'StringNotLike';
      const positive = op === 'StringEquals' || op === 'StringLike';
      const matches = (wanted: string) =>
        values.some((v) => (op.endsWith('Like') ? likeMatch(v, wanted) : v === wanted));
      if (key === SSE && negated && !matches('aws:kms'))
        out.push(`denies uploads unless x-amz-server-side-encryption is ${values.join(' or ')}`);
      if (key === SSE && positive && matches('aws:kms')) out.push('denies uploads that ask for aws:kms');
      if (key === SSE_KEY && negated && !matches(keyArn))
        out.push(`denies uploads unless the KMS key is ${values.join(' or ')}`);
      if (key === SSE_KEY && positive && matches(keyArn)) out.push('denies uploads under the target key');
    }
  }
  return out;
}

function coversPutObject(s: PolicyStatement): boolean {
  const actions = s.Action;
  if (actions === undefined) return s.NotAction !== undefined && !listOf(s.NotAction).some(matchesPut);
  return listOf(actions).some(matchesPut);
}

const matchesPut = (pattern: string): boolean => likeMatch(pattern.toLowerCase(), 's3:putobject');

const listOf = (v: unknown): string[] => (Array.isArray(v) ? v : [v]).filter((x) => typeof x === 'string');

/** IAM wildcard match: `*` any run, `?` one character. */
function likeMatch(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(value);
}
