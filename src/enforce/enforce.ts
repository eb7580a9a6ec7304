import { DescribeKeyCommand, type KeyMetadata, type KMSClient } from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { parseKmsKeyArn } from '../config/kms-arn.js';
import { ensureAbortIncompleteUploadsRule, mergeAbortRule } from '../reencrypt/multipart/index.js';
import type { TargetEncryption } from '../reencrypt/types.js';
import { findPolicyConflicts } from './conflicts.js';
import {
  type DefaultEncryption,
  defaultEncryptionOf,
  sameDefaultEncryption,
  toEncryptionConfiguration,
  wantedDefaultEncryption,
} from './default-encryption.js';
import { lineDiff } from './diff.js';
import {
  EnforceApplyError,
  EnforceError,
  PolicyConflictError,
  PolicyTooLargeError,
  ProtectedBucketError,
  TargetKeyError,
} from './errors.js';
import {
  enforcementStatements,
  MAX_BUCKET_POLICY_BYTES,
  mergeStatements,
  type PolicyDocument,
  parsePolicy,
  policyBytes,
  serializePolicy,
} from './policy.js';
import { protectedBucketReasons, protectedBucketWarnings } from './protected-buckets.js';

export interface EnforceDeps {
  readonly s3: S3Client;
  readonly kms: KMSClient;
}

export interface EnforceInput {
  readonly bucket: string;
  readonly target: TargetEncryption;
  readonly dryRun: boolean;
  /** Buckets Batch Operations writes completion reports to (refused). */
  readonly reportsBuckets: readonly string[];
  /** Days after which incomplete multipart uploads are aborted (lifecycle backstop). */
  readonly abortIncompleteUploadsDays: number;
  readonly ignorePolicyConflicts: boolean;
}

export interface EnforceOutcome {
  readonly bucket: string;
  readonly bucketRegion: string;
  readonly dryRun: boolean;
  /** True when something was (or, in a dry run, would be) changed. */
  readonly changed: boolean;
  readonly defaultEncryption: {
    readonly before: DefaultEncryption | null;
    readonly after: DefaultEncryption;
    readonly changed: boolean;
  };
  readonly policy: {
    readonly before: PolicyDocument | null;
    readonly after: PolicyDocument;
    readonly changed: boolean;
    readonly added: readonly string[];
    readonly replaced: readonly string[];
    readonly removed: readonly string[];
    readonly keptStatements: number;
    /** Unified diff of the pretty-printed documents; empty when unchanged. */
    readonly diff: string;
  };
  readonly lifecycle: { readonly changed: boolean; readonly days: number };
  readonly warnings: readonly string[];
}

/**
 * Makes a bucket keep new objects under the target key: default encryption (SSE-KMS, Bucket Key),
 * an abort rule for stale multipart uploads, and deny statements merged into the bucket policy.
 * Reads everything and checks it before the first write; writes encryption first, so uploads that
 * rely on the default are already under the target key when the policy starts to deny the rest.
 */
export async function enforceBucket(deps: EnforceDeps, input: EnforceInput): Promise<EnforceOutcome> {
  const { bucket, target } = input;
  const keyParts = parseKmsKeyArn(target.keyArn, 'target key');
  // Region first: a key in another Region would otherwise surface as a misleading "key not found".
  const bucketRegion = await readBucketRegion(deps.s3, bucket);
  if (bucketRegion !== keyParts.region)
    throw new TargetKeyError(
      `the target key is in ${keyParts.region} but bucket ${bucket} is in ${bucketRegion}; SSE-KMS needs a key in the bucket's Region`,
      { bucket },
    );
  await checkTargetKey(deps.kms, input);
  const [policyText, tags, encryption, lifecycleRules] = await Promise.all([
    readPolicy(deps.s3, bucket),
    readTags(deps.s3, bucket),
    readDefaultEncryption(deps.s3, bucket),
    readLifecycleRules(deps.s3, bucket),
  ]);
  const existing = parsePolicy(policyText, bucket);
  const facts = { bucket, tags, policy: existing, reportsBuckets: input.reportsBuckets };
  const reasons = protectedBucketReasons(facts);
  if (reasons.length) throw new ProtectedBucketError(bucket, reasons);
  const conflicts = findPolicyConflicts(existing, target.keyArn);
  if (conflicts.length && !input.ignorePolicyConflicts) throw new PolicyConflictError(bucket, conflicts);

  const merge = mergeStatements(existing, enforcementStatements(bucket, target.keyArn, keyParts.partition));
  const size = policyBytes(merge.policy);
  if (merge.changed && size > MAX_BUCKET_POLICY_BYTES)
    throw new PolicyTooLargeError(
      `the merged bucket policy of ${bucket} would be ${size} bytes, above S3's limit of ${MAX_BUCKET_POLICY_BYTES}; shorten the existing policy first`,
      { bucket },
    );
  const wantedEncryption = wantedDefaultEncryption(target);
  const encryptionChanged = !sameDefaultEncryption(encryption, wantedEncryption);
  const lifecycleChanged = abortRuleChange(bucket, lifecycleRules, input.abortIncompleteUploadsDays);

  const outcome: EnforceOutcome = {
    bucket,
    bucketRegion,
    dryRun: input.dryRun,
    changed: encryptionChanged || merge.changed || lifecycleChanged,
    defaultEncryption: { before: encryption ?? null, after: wantedEncryption, changed: encryptionChanged },
    policy: {
      before: existing ?? null,
      after: merge.policy,
      changed: merge.changed,
      added: merge.added,
      replaced: merge.replaced,
      removed: merge.removed,
      keptStatements: merge.kept,
      diff: merge.changed ? lineDiff(pretty(existing), pretty(merge.policy)) : '',
    },
    lifecycle: { changed: lifecycleChanged, days: input.abortIncompleteUploadsDays },
    warnings: [
      ...protectedBucketWarnings(facts),
      ...(conflicts.length ? conflicts.map((c) => `ignored policy conflict: ${c}`) : []),
    ],
  };
  if (input.dryRun) return outcome;

  const applied: string[] = [];
  const step = async (name: string, run: () => Promise<unknown>) => {
    try {
      await run();
      applied.push(name);
    } catch (e) {
      throw new EnforceApplyError(bucket, `setting the ${name}`, applied, { cause: e });
    }
  };
  if (encryptionChanged)
    await step('default encryption', () =>
      deps.s3.send(
        new PutBucketEncryptionCommand({
          Bucket: bucket,
          ServerSideEncryptionConfiguration: toEncryptionConfiguration(wantedEncryption),
        }),
      ),
    );
  if (lifecycleChanged)
    await step('abort-incomplete-uploads lifecycle rule', () =>
      ensureAbortIncompleteUploadsRule(deps.s3, bucket, input.abortIncompleteUploadsDays),
    );
  if (merge.changed)
    await step('bucket policy', () =>
      deps.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: serializePolicy(merge.policy) })),
    );
  return outcome;
}

const pretty = (p: PolicyDocument | undefined): string => (p ? JSON.stringify(p, null, 2) : '');

function abortRuleChange(bucket: string, rules: Parameters<typeof mergeAbortRule>[0], days: number): boolean {
  try {
    return mergeAbortRule(rules, days).changed;
  } catch (e) {
    throw new EnforceError(
      `cannot add the abort-incomplete-uploads rule to ${bucket}: ${(e as Error).message}`,
      {
        bucket,
      },
    );
  }
}

async function checkTargetKey(kms: KMSClient, input: EnforceInput): Promise<void> {
  const { bucket } = input;
  let key: KeyMetadata | undefined;
  try {
    key = (await kms.send(new DescribeKeyCommand({ KeyId: input.target.keyArn }))).KeyMetadata;
  } catch (e) {
    if (errorName(e) === 'NotFoundException')
      throw new TargetKeyError(
        `the target key ${input.target.keyArn} does not exist (check --target-key)`,
        {
          bucket,
        },
        { cause: e },
      );
    throw e;
  }
  if (key?.KeyState && key.KeyState !== 'Enabled')
    throw new TargetKeyError(`the target key is ${key.KeyState}; enable it before enforcing`, { bucket });
  if (key?.KeySpec && key.KeySpec !== 'SYMMETRIC_DEFAULT')
    throw new TargetKeyError(`the target key is ${key.KeySpec}; SSE-KMS needs a symmetric encryption key`, {
      bucket,
    });
  if (key?.KeyUsage && key.KeyUsage !== 'ENCRYPT_DECRYPT')
    throw new TargetKeyError(`the target key is for ${key.KeyUsage}; SSE-KMS needs ENCRYPT_DECRYPT`, {
      bucket,
    });
}

async function readBucketRegion(s3: S3Client, bucket: string): Promise<string> {
  const out = await s3.send(new GetBucketLocationCommand({ Bucket: bucket }));
  // An empty constraint is us-east-1; "EU" is the legacy name of eu-west-1.
  const c = out.LocationConstraint as string | undefined;
  if (!c) return 'us-east-1';
  return c === 'EU' ? 'eu-west-1' : c;
}

async function readPolicy(s3: S3Client, bucket: string): Promise<string | undefined> {
  try {
    return (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy;
  } catch (e) {
    if (errorName(e) === 'NoSuchBucketPolicy') return undefined;
    throw e;
  }
}

async function readTags(s3: S3Client, bucket: string): Promise<Record<string, string>> {
  try {
    const out = await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }));
    return Object.fromEntries((out.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  } catch (e) {
    if (errorName(e) === 'NoSuchTagSet') return {};
    throw e;
  }
}

async function readDefaultEncryption(s3: S3Client, bucket: string): Promise<DefaultEncryption | undefined> {
  try {
    const out = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    return defaultEncryptionOf(out.ServerSideEncryptionConfiguration);
  } catch (e) {
    if (errorName(e) === 'ServerSideEncryptionConfigurationNotFoundError') return undefined;
    throw e;
  }
}

async function readLifecycleRules(s3: S3Client, bucket: string) {
  try {
    return (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? [];
  } catch (e) {
    if (errorName(e) === 'NoSuchLifecycleConfiguration') return [];
    throw e;
  }
}

const errorName = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null
    ? ((e as { name?: string; Code?: string }).Code ?? (e as { name?: string }).name)
    : undefined;
