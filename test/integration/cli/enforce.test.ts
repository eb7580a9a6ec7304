import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { motoClients, newBucket, newKmsKey } from '../../support/aws.js';
import { buildCli, runCli } from '../../support/cli.js';

const { s3, kms } = motoClients();
const endpoint = inject('motoEndpoint');
let target: string;
let other: string;

const OURS = [
  'S3ReencryptEnforceDenyOtherKmsKey',
  'S3ReencryptEnforceDenyOtherEncryption',
  'S3ReencryptEnforceDenyAwsManagedKey',
  'S3ReencryptEnforceDenySseC',
  'S3ReencryptEnforceDenyInsecureTransport',
];

beforeAll(async () => {
  [target, other] = await Promise.all([
    newKmsKey(kms, 'enforce target'),
    newKmsKey(kms, 'enforce other'),
    buildCli(),
  ]);
});

const enforce = (bucket: string, key: string, ...args: string[]) =>
  runCli(['enforce', '--bucket', bucket, '--target-key', key, '--endpoint-url', endpoint, ...args]);

const existingStatements = (bucket: string) => [
  {
    Sid: 'AllowAnalyticsRead',
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::123456789012:role/analytics' },
    Action: 's3:GetObject',
    Resource: `arn:aws:s3:::${bucket}/*`,
  },
  {
    Sid: 'DenyDeleteBucket',
    Effect: 'Deny',
    Principal: { AWS: 'arn:aws:iam::123456789012:role/app' },
    Action: 's3:DeleteBucket',
    Resource: `arn:aws:s3:::${bucket}`,
  },
];

async function bucketWithPolicy(statements?: unknown[]): Promise<string> {
  const bucket = await newBucket(s3);
  const Statement = statements ?? existingStatements(bucket);
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({ Version: '2012-10-17', Statement }),
    }),
  );
  return bucket;
}

const policyOf = async (bucket: string) =>
  JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? '{}');

async function encryptionOf(bucket: string) {
  try {
    return (await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket })))
      .ServerSideEncryptionConfiguration;
  } catch (e) {
    if ((e as Error).name === 'ServerSideEncryptionConfigurationNotFoundError') return undefined;
    throw e;
  }
}

describe('s3-reencrypt enforce (built CLI against moto)', () => {
  it('keeps the existing statements, adds its own, and sets default encryption and the abort rule', async () => {
    // Prepare
    const bucket = await bucketWithPolicy();
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: {
          Rules: [
            { ID: 'expire-tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } },
          ],
        },
      }),
    );
    // Act
    const run = await enforce(bucket, target, '--json');
    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({
      command: 'enforce',
      dryRun: false,
      changed: true,
      policy: { changed: true, added: OURS, keptStatements: 2 },
    });
    const policy = await policyOf(bucket);
    expect(policy.Statement.slice(0, 2)).toEqual(existingStatements(bucket));
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      'AllowAnalyticsRead',
      'DenyDeleteBucket',
      ...OURS,
    ]);
    expect(await encryptionOf(bucket)).toEqual({
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: target },
          BucketKeyEnabled: true,
        },
      ],
    });
    const rules = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? [];
    expect(rules.map((r) => r.ID)).toEqual(['expire-tmp', 's3-reencrypt-abort-incomplete-multipart-uploads']);
  });

  it('changes nothing when run a second time', async () => {
    // Prepare
    const bucket = await bucketWithPolicy();
    expect((await enforce(bucket, target)).code).toBe(0);
    const before = (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy;
    // Act
    const run = await enforce(bucket, target, '--json');
    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      changed: false,
      defaultEncryption: { changed: false },
      lifecycle: { changed: false },
      policy: { changed: false, added: [], replaced: [], diff: '' },
    });
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy).toBe(before);
  });

  it('replaces only its own statements when the target key changes', async () => {
    // Prepare
    const bucket = await bucketWithPolicy();
    expect((await enforce(bucket, other)).code).toBe(0);
    // Act
    const run = await enforce(bucket, target, '--json');
    // Assess
    expect(JSON.parse(run.stdout).policy).toMatchObject({
      replaced: ['S3ReencryptEnforceDenyOtherKmsKey'],
      added: [],
    });
    const text = JSON.stringify(await policyOf(bucket));
    expect(text).toContain(target);
    expect(text).not.toContain(other);
    expect((await policyOf(bucket)).Statement).toHaveLength(2 + OURS.length);
  });

  it('prints the resulting policy and the diff with --dry-run, and changes nothing', async () => {
    // Prepare
    const bucket = await bucketWithPolicy();
    const before = (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy;
    // Act
    const run = await enforce(bucket, target, '--dry-run');
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`enforce s3://${bucket} (us-east-1): dry run, nothing changed`);
    expect(run.stdout).toContain('default encryption: would change (none -> aws:kms');
    expect(run.stdout).toContain('resulting bucket policy:\n{\n  "Version": "2012-10-17"');
    expect(run.stdout).toContain('policy diff:');
    expect(run.stdout).toContain('+       "Sid": "S3ReencryptEnforceDenyOtherKmsKey",');
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy).toBe(before);
    expect(await encryptionOf(bucket)).toBeUndefined();
    await expect(
      s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })),
    ).rejects.toMatchObject({
      name: 'NoSuchLifecycleConfiguration',
    });
  });

  it('leaves a policy moto enforces crudely: it refuses the SSE-S3 upload, but also compliant ones', async () => {
    // moto 5.2 evaluates bucket policies on object requests but not their conditions: a matching
    // statement with a Condition always denies. So the refusal below is real, yet it does not prove
    // the conditions are right; the statements themselves are asserted in test/unit/enforce. If the
    // compliant upload starts to succeed, moto has learned conditions: tighten this test then.
    // Prepare
    const bucket = await newBucket(s3);
    expect((await enforce(bucket, target)).code).toBe(0);
    // Act
    const sseS3 = s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'a', Body: 'x', ServerSideEncryption: 'AES256' }),
    );
    const compliant = s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'b',
        Body: 'x',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: target,
      }),
    );
    // Assess
    await expect(sseS3).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    await expect(compliant).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
  });

  it('refuses a bucket named as a Batch reports bucket, changing nothing', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    // Act
    const run = await enforce(bucket, target, '--reports-bucket', `other-bucket,${bucket}`);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(
        `^error: refusing to enforce SSE-KMS on bucket ${bucket}: it is a Batch Operations reports bucket.*SSE-S3 only`,
      ),
    );
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(await encryptionOf(bucket)).toBeUndefined();
  });

  it('refuses a bucket tagged as a reports bucket, and one named in S3_REENCRYPT_REPORTS_BUCKETS', async () => {
    // Prepare
    const tagged = await newBucket(s3);
    const configured = await newBucket(s3);
    await s3.send(
      new PutBucketTaggingCommand({
        Bucket: tagged,
        Tagging: { TagSet: [{ Key: 's3-reencrypt:batch-reports', Value: 'true' }] },
      }),
    );
    // Act
    const byTag = await enforce(tagged, target);
    const byEnv = await runCli(
      ['enforce', '--bucket', configured, '--target-key', target, '--endpoint-url', endpoint],
      {
        S3_REENCRYPT_REPORTS_BUCKETS: configured,
      },
    );
    // Assess
    expect(byTag.code).toBe(2);
    expect(byTag.stderr).toContain('tagged s3-reencrypt:batch-reports=true');
    expect(byEnv.code).toBe(2);
    expect(byEnv.stderr).toContain('Batch Operations reports bucket');
  });

  it('refuses to merge next to a statement that requires SSE-S3, unless told to', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    const requireAes = {
      Sid: 'RequireAES256',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${bucket}/*`,
      Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'AES256' } },
    };
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [requireAes] }),
      }),
    );
    // Act
    const refused = await enforce(bucket, target);
    const forced = await enforce(bucket, target, '--ignore-policy-conflicts');
    // Assess
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'statement "RequireAES256" denies uploads unless x-amz-server-side-encryption is AES256',
    );
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/^warning: ignored policy conflict: statement "RequireAES256"/);
    expect((await policyOf(bucket)).Statement[0]).toEqual(requireAes);
  });

  it.each([
    [
      'a key that does not exist',
      'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000',
      /the target key .* does not exist/,
    ],
    [
      'a key in another Region',
      'arn:aws:kms:eu-west-2:123456789012:key/00000000-0000-0000-0000-000000000000',
      /the target key is in eu-west-2 but bucket .* is in us-east-1/,
    ],
  ])('exits 2 for %s', async (_name, key, message) => {
    // Prepare
    const bucket = await newBucket(s3);
    // Act
    const run = await enforce(bucket, key);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(await encryptionOf(bucket)).toBeUndefined();
  });
});
