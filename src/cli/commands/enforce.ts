import { list } from '../../config/env.js';
import type { DefaultEncryption } from '../../enforce/default-encryption.js';
import { type EnforceOutcome, enforceBucket } from '../../enforce/enforce.js';
import { REPORTS_BUCKET_TAG } from '../../enforce/protected-buckets.js';
import { defineCommand } from '../command.js';
import { ExitCodes } from '../exit-codes.js';
import { booleanValue, bucketName, collect, integerIn, kmsKeyArn, regionOfKeyArn } from '../options.js';

interface EnforceOptions {
  readonly bucket: string;
  readonly targetKey: string;
  readonly dryRun?: boolean;
  readonly bucketKey: boolean;
  readonly reportsBucket: readonly string[];
  readonly abortIncompleteUploadsDays: number;
  readonly ignorePolicyConflicts?: boolean;
}

/** Also read from the environment, so a deployment can name its reports bucket once. */
const REPORTS_BUCKETS_ENV = 'S3_REENCRYPT_REPORTS_BUCKETS';

export const enforceCommand = defineCommand<EnforceOptions>({
  name: 'enforce',
  summary: 'keep new objects under the target key: default encryption, bucket policy, TLS only',
  description: [
    'Sets default encryption to SSE-KMS with the target key and Bucket Key, adds a lifecycle rule that',
    'aborts incomplete multipart uploads, and merges into the bucket policy statements that deny',
    'uploads asking for any other key or encryption type (SSE-S3, DSSE-KMS, SSE-C, the aws/s3 key) and',
    'any request without TLS. Existing statements are always kept; only statements whose Sid starts',
    'with S3ReencryptEnforce are replaced, so running it twice changes nothing. Uploads that send no',
    'encryption header are allowed and get the target key from the default encryption.',
    `Refuses Batch Operations reports buckets (--reports-bucket, ${REPORTS_BUCKETS_ENV}, or the tag`,
    `${REPORTS_BUCKET_TAG}=true) and server access log targets: S3 writes those with SSE-S3 only.`,
  ].join('\n'),
  examples: [
    's3-reencrypt enforce --bucket my-data --target-key arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab --dry-run',
    's3-reencrypt enforce --bucket my-data --target-key arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab --reports-bucket my-batch-reports',
  ],
  configure: (cmd) => {
    cmd
      .requiredOption('--bucket <name>', 'bucket to protect', bucketName)
      .requiredOption('--target-key <arn>', 'full ARN of the KMS key new objects must use', kmsKeyArn)
      .option('--dry-run', 'print the resulting policy and the diff; change nothing')
      .option(
        '--bucket-key [true|false]',
        'enable S3 Bucket Key in the default encryption',
        booleanValue,
        true,
      )
      .option(
        '--reports-bucket <name>',
        'a bucket Batch Operations writes reports to (refused); repeatable or comma-separated',
        collect(bucketName),
        [],
      )
      .option(
        '--abort-incomplete-uploads-days <n>',
        'days after which incomplete multipart uploads are aborted',
        integerIn(1, 365),
        7,
      )
      .option('--ignore-policy-conflicts', 'merge even when existing statements would deny SSE-KMS uploads');
  },
  // SSE-KMS needs the bucket in the key's Region, so that is where to look unless told otherwise.
  regionFrom: (options) => regionOfKeyArn(options.targetKey),
  async run(options, ctx) {
    const outcome = await enforceBucket(
      { s3: ctx.clients.s3(), kms: ctx.clients.kms() },
      {
        bucket: options.bucket,
        target: { keyArn: options.targetKey, bucketKey: options.bucketKey },
        dryRun: options.dryRun === true,
        reportsBuckets: [...options.reportsBucket, ...list(ctx.io.env, REPORTS_BUCKETS_ENV)],
        abortIncompleteUploadsDays: options.abortIncompleteUploadsDays,
        ignorePolicyConflicts: options.ignorePolicyConflicts === true,
      },
    );
    for (const w of outcome.warnings) ctx.warn(w);
    return { exitCode: ExitCodes.ok, data: { command: 'enforce', ...outcome }, text: renderText(outcome) };
  },
});

function renderText(o: EnforceOutcome): string {
  const verb = (changed: boolean) => (changed ? (o.dryRun ? 'would change' : 'changed') : 'already in place');
  const enc = o.defaultEncryption;
  const describe = (e: DefaultEncryption | null) =>
    e ? `${e.algorithm}${e.kmsKeyId ? ` ${e.kmsKeyId}` : ''}${e.bucketKey ? ' +BucketKey' : ''}` : 'none';
  const p = o.policy;
  const policyParts = [
    ...(p.added.length ? [`adds ${p.added.join(', ')}`] : []),
    ...(p.replaced.length ? [`updates ${p.replaced.join(', ')}`] : []),
    ...(p.removed.length ? [`removes outdated ${p.removed.join(', ')}`] : []),
    `keeps ${p.keptStatements} existing statement(s)`,
  ];
  const lines = [
    `enforce s3://${o.bucket} (${o.bucketRegion})${o.dryRun ? ': dry run, nothing changed' : ''}`,
    `default encryption: ${verb(enc.changed)} (${enc.changed ? `${describe(enc.before)} -> ` : ''}${describe(enc.after)})`,
    `lifecycle: ${verb(o.lifecycle.changed)} (abort incomplete multipart uploads after ${o.lifecycle.days} days)`,
    `bucket policy: ${verb(p.changed)}${p.changed ? ` (${policyParts.join('; ')})` : ''}`,
  ];
  if (o.dryRun) lines.push('', 'resulting bucket policy:', JSON.stringify(p.after, null, 2));
  if (p.diff) lines.push('', 'policy diff:', p.diff);
  return lines.join('\n');
}
