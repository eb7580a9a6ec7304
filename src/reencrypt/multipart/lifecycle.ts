import {
  GetBucketLifecycleConfigurationCommand,
  type GetBucketLifecycleConfigurationCommandOutput,
  type LifecycleRule,
  PutBucketLifecycleConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { errorCode } from './classify.js';

/** The rule this tool adds; recognised (and updated) by its id on later runs. */
export const ABORT_RULE_ID = 's3-reencrypt-abort-incomplete-multipart-uploads';

/** S3 allows at most 1,000 lifecycle rules per bucket. */
const MAX_RULES = 1_000;

/** True when the rule applies to every object in the bucket (no prefix, tag or size filter). */
function coversWholeBucket(r: LifecycleRule): boolean {
  if (r.Prefix) return false;
  const f = r.Filter;
  if (!f) return true;
  return (
    !f.Prefix &&
    !f.Tag &&
    !f.And &&
    f.ObjectSizeGreaterThan === undefined &&
    f.ObjectSizeLessThan === undefined
  );
}

export interface AbortRuleMerge {
  readonly rules: LifecycleRule[];
  readonly changed: boolean;
}

/**
 * Adds (or tightens) a bucket-wide AbortIncompleteMultipartUpload rule, keeping every other rule
 * as it is. An enabled bucket-wide rule that already aborts within `days` is left alone.
 */
export function mergeAbortRule(existing: readonly LifecycleRule[], days: number): AbortRuleMerge {
  if (!Number.isInteger(days) || days < 1)
    throw new RangeError(`days must be a whole number of days >= 1, got ${days}`);
  const sufficient = existing.some(
    (r) =>
      r.Status === 'Enabled' &&
      coversWholeBucket(r) &&
      r.AbortIncompleteMultipartUpload?.DaysAfterInitiation !== undefined &&
      r.AbortIncompleteMultipartUpload.DaysAfterInitiation <= days,
  );
  if (sufficient) return { rules: [...existing], changed: false };
  const ours: LifecycleRule = {
    ID: ABORT_RULE_ID,
    Status: 'Enabled',
    // AbortIncompleteMultipartUpload may not be combined with a tag filter; an empty prefix is the whole bucket.
    Filter: { Prefix: '' },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: days },
  };
  const others = existing.filter((r) => r.ID !== ABORT_RULE_ID);
  if (others.length >= MAX_RULES)
    throw new RangeError(`bucket already has ${others.length} lifecycle rules (S3 allows ${MAX_RULES})`);
  return { rules: [...others, ours], changed: true };
}

/**
 * Makes sure incomplete multipart uploads in `bucket` are aborted after `days`, as a backstop for
 * copies that never finish. Idempotent. Lifecycle configuration is replaced as a whole by S3 and has
 * no conditional write, so a concurrent edit by someone else between the read and the write is lost;
 * run it from one place (the `enforce` command).
 */
export async function ensureAbortIncompleteUploadsRule(
  s3: S3Client,
  bucket: string,
  days: number,
): Promise<{ changed: boolean; ruleId: string }> {
  let current: GetBucketLifecycleConfigurationCommandOutput | undefined;
  try {
    current = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
  } catch (e) {
    if (errorCode(e) !== 'NoSuchLifecycleConfiguration') throw e;
  }
  const merged = mergeAbortRule(current?.Rules ?? [], days);
  if (!merged.changed) return { changed: false, ruleId: ABORT_RULE_ID };
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: bucket,
      LifecycleConfiguration: { Rules: merged.rules },
      // Keep the bucket's own choice; omitting it would reset it to S3's default.
      ...(current?.TransitionDefaultMinimumObjectSize
        ? { TransitionDefaultMinimumObjectSize: current.TransitionDefaultMinimumObjectSize }
        : {}),
    }),
  );
  return { changed: true, ruleId: ABORT_RULE_ID };
}
