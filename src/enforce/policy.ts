import { PolicyParseError } from './errors.js';

/**
 * The bucket policy statements `enforce` owns, and the merge that adds them to an existing policy
 * without dropping anything. Pure: no AWS calls.
 *
 * Choice on requests that send no encryption header (aws-facts §6.3 and fact 15, UNCONFIRMED): every
 * deny below fires only when the request *sends* a header that would produce other encryption
 * (`Null: false` guards). A request that sends none gets the bucket default, which `enforce` sets to
 * the target key first, so it is let through whatever IAM does with missing condition keys. This also
 * keeps UploadPart (authorised as s3:PutObject, carries no encryption headers) and copies made by
 * S3-integrated services working. The one header-less hole, `aws:kms` without a key id (S3 would use
 * the AWS managed key aws/s3), has its own deny.
 */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly [element: string]: unknown;
}

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly PolicyStatement[];
  readonly [element: string]: unknown;
}

/** Every statement whose Sid starts with this is ours: replaced on re-run, never left stale. */
export const ENFORCE_SID_PREFIX = 'S3ReencryptEnforce';

export const EnforceSids = {
  denyOtherKmsKey: `${ENFORCE_SID_PREFIX}DenyOtherKmsKey`,
  denyOtherEncryption: `${ENFORCE_SID_PREFIX}DenyOtherEncryption`,
  denyAwsManagedKey: `${ENFORCE_SID_PREFIX}DenyAwsManagedKey`,
  denySseC: `${ENFORCE_SID_PREFIX}DenySseC`,
  denyInsecureTransport: `${ENFORCE_SID_PREFIX}DenyInsecureTransport`,
} as const;

export const POLICY_VERSION = '2012-10-17';
/** S3 rejects bucket policies above 20 KB. */
export const MAX_BUCKET_POLICY_BYTES = 20 * 1024;

const SSE = 's3:x-amz-server-side-encryption';
const SSE_KEY = 's3:x-amz-server-side-encryption-aws-kms-key-id';
const SSE_C = 's3:x-amz-server-side-encryption-customer-algorithm';

export function enforcementStatements(bucket: string, keyArn: string, partition = 'aws'): PolicyStatement[] {
  const bucketArn = `arn:${partition}:s3:::${bucket}`;
  const objects = `${bucketArn}/*`;
  const denyPut = (Sid: string, Condition: Record<string, Record<string, string>>): PolicyStatement => ({
    Sid,
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:PutObject',
    Resource: objects,
    Condition,
  });
  return [
    // The key ARN form is what the condition key carries (aws-facts §6.3); a key id or alias is denied.
    denyPut(EnforceSids.denyOtherKmsKey, {
      StringNotEquals: { [SSE_KEY]: keyArn },
      Null: { [SSE_KEY]: 'false' },
    }),
    denyPut(EnforceSids.denyOtherEncryption, {
      StringNotEquals: { [SSE]: 'aws:kms' },
      Null: { [SSE]: 'false' },
    }),
    denyPut(EnforceSids.denyAwsManagedKey, {
      StringEquals: { [SSE]: 'aws:kms' },
      Null: { [SSE_KEY]: 'true' },
    }),
    denyPut(EnforceSids.denySseC, { Null: { [SSE_C]: 'false' } }),
    {
      Sid: EnforceSids.denyInsecureTransport,
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [bucketArn, objects],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ];
}

/** Parses GetBucketPolicy's text; undefined when the bucket has no policy. */
export function parsePolicy(text: string | undefined, bucket: string): PolicyDocument | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new PolicyParseError(
      `the bucket policy of ${bucket} is not valid JSON; fix it before enforcing`,
      {
        bucket,
      },
      { cause: e },
    );
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new PolicyParseError(`the bucket policy of ${bucket} is not a JSON object`, { bucket });
  const raw = (doc as { Statement?: unknown }).Statement;
  // A policy may hold a single statement object instead of a list.
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  for (const [i, s] of list.entries()) {
    if (typeof s !== 'object' || s === null || Array.isArray(s))
      throw new PolicyParseError(`statement #${i + 1} of the bucket policy of ${bucket} is not an object`, {
        bucket,
      });
  }
  return { ...(doc as Record<string, unknown>), Statement: list as PolicyStatement[] };
}

export interface PolicyMerge {
  readonly policy: PolicyDocument;
  readonly changed: boolean;
  /** Our Sids that were not there before. */
  readonly added: readonly string[];
  /** Our Sids that were there with other content (an older key, a renamed bucket). */
  readonly replaced: readonly string[];
  /** Statements with our prefix that this version no longer writes (or duplicates of ours). */
  readonly removed: readonly string[];
  /** Statements not ours, all kept in place. */
  readonly kept: number;
}

export const isOwnStatement = (s: PolicyStatement): boolean =>
  typeof s.Sid === 'string' && s.Sid.startsWith(ENFORCE_SID_PREFIX);

/**
 * Adds `wanted` to `existing`: every statement not ours stays where it is; ours are replaced in place,
 * new ones appended. Idempotent: merging into its own output reports no change.
 */
export function mergeStatements(
  existing: PolicyDocument | undefined,
  wanted: readonly PolicyStatement[],
): PolicyMerge {
  const wantedBySid = new Map(wanted.map((s) => [s.Sid as string, s]));
  const placed = new Set<string>();
  const statements: PolicyStatement[] = [];
  const replaced: string[] = [];
  const removed: string[] = [];
  let kept = 0;
  for (const s of existing?.Statement ?? []) {
    if (!isOwnStatement(s)) {
      statements.push(s);
      kept += 1;
      continue;
    }
    const sid = s.Sid as string;
    const next = wantedBySid.get(sid);
    if (!next || placed.has(sid)) {
      removed.push(sid);
      continue;
    }
    placed.add(sid);
    statements.push(next);
    if (!sameStatement(s, next)) replaced.push(sid);
  }
  const added: string[] = [];
  for (const s of wanted) {
    const sid = s.Sid as string;
    if (placed.has(sid)) continue;
    statements.push(s);
    added.push(sid);
  }
  const changed = added.length + replaced.length + removed.length > 0;
  if (!changed && existing) return { policy: existing, changed, added, replaced, removed, kept };
  const policy: PolicyDocument = existing
    ? { ...existing, Version: existing.Version ?? POLICY_VERSION, Statement: statements }
    : { Version: POLICY_VERSION, Statement: statements };
  return { policy, changed, added, replaced, removed, kept };
}

export const serializePolicy = (p: PolicyDocument): string => JSON.stringify(p);

export const policyBytes = (p: PolicyDocument): number => Buffer.byteLength(serializePolicy(p), 'utf8');

/** Compares statements the way IAM reads them: key order, one-element lists and `{"AWS":"*"}` vs "*" do not matter. */
export function sameStatement(a: PolicyStatement, b: PolicyStatement): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(normalize(value));
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    if (value.length === 1) return normalize(value[0]);
    return value.map(normalize).sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0]?.[0] === 'AWS' && normalize(entries[0][1]) === '*') return '*';
    return Object.fromEntries(
      entries.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, v]) => [k, normalize(v)]),
    );
  }
  return value;
}
