import type { PolicyDocument } from './policy.js';

/**
 * Buckets that S3 itself writes to with SSE-S3, whatever their policy says. Enforcing SSE-KMS there
 * would make those writes fail: Batch Operations completion reports are always SSE-S3 (aws-facts §3.2),
 * and server access log delivery supports only SSE-S3 on the target bucket (S3 user guide, server
 * access logging).
 */
export const REPORTS_BUCKET_TAG = 's3-reencrypt:batch-reports';

export interface BucketFacts {
  readonly bucket: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly policy: PolicyDocument | undefined;
  /** Buckets named as report destinations (option or configuration). */
  readonly reportsBuckets: readonly string[];
}

/** Reasons to refuse; empty when the bucket may be enforced. */
export function protectedBucketReasons(facts: BucketFacts): string[] {
  const reasons: string[] = [];
  if (facts.reportsBuckets.includes(facts.bucket))
    reasons.push(
      'it is a Batch Operations reports bucket, and Batch writes completion reports with SSE-S3 only, so the policy would make every job fail at the end',
    );
  else if (facts.tags[REPORTS_BUCKET_TAG]?.toLowerCase() === 'true')
    reasons.push(
      `it is tagged ${REPORTS_BUCKET_TAG}=true (a Batch Operations reports bucket); Batch writes reports with SSE-S3 only`,
    );
  if (grantsPutTo(facts.policy, 'logging.s3.amazonaws.com'))
    reasons.push(
      'its policy lets logging.s3.amazonaws.com deliver server access logs, which support SSE-S3 only on the target bucket',
    );
  return reasons;
}

/** Things the user should check, but which do not make enforcing wrong by themselves. */
export function protectedBucketWarnings(facts: BucketFacts): string[] {
  const warnings: string[] = [];
  if (grantsPutTo(facts.policy, 's3.amazonaws.com'))
    warnings.push(
      'the bucket policy lets s3.amazonaws.com write here (S3 Inventory, analytics or Batch manifest exports): configure those exports with SSE-KMS under the target key, or they will be denied',
    );
  return warnings;
}

function grantsPutTo(policy: PolicyDocument | undefined, service: string): boolean {
  return (policy?.Statement ?? []).some((s) => {
    if (s.Effect !== 'Allow') return false;
    const principal = s.Principal;
    if (typeof principal !== 'object' || principal === null) return false;
    const services = (principal as { Service?: unknown }).Service;
    const list = Array.isArray(services) ? services : [services];
    if (!list.includes(service)) return false;
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
    return actions.some((a) => typeof a === 'string' && /^(s3:\*|\*|s3:put\*|s3:putobject)$/i.test(a));
  });
}
