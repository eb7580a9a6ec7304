import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  asList,
  type CfnTemplate,
  type PolicyStatement,
  packageTemplate,
  repoRoot,
  roleStatements,
} from '../../support/template.js';

// Actions for which IAM offers no resource-level permissions, so Resource must be "*".
const UNSCOPABLE_ACTIONS = new Set(['s3:CreateJob', 's3:ListJobs']);

let template: CfnTemplate;
let templatePath: string;

beforeAll(() => {
  ({ template, path: templatePath } = packageTemplate());
}, 300_000);

const resourcesOf = (s: PolicyStatement) => asList(s.Resource as unknown);
const json = (v: unknown) => JSON.stringify(v);

describe('packaged CloudFormation template', () => {
  it('passes cfn-lint', () => {
    // Act
    const r = spawnSync(join(repoRoot, '.venv', 'bin', 'cfn-lint'), [templatePath], { encoding: 'utf8' });
    // Assess
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('grants no wildcard action in any role', () => {
    const wildcard = roleStatements(template).flatMap(({ role, statement }) =>
      asList(statement.Action)
        .filter((a) => a.includes('*'))
        .map((a) => `${role}: ${a}`),
    );
    expect(wildcard).toEqual([]);
  });

  it('scopes every allowed resource except actions IAM cannot scope', () => {
    const unscoped = roleStatements(template)
      .filter(({ statement }) => statement.Effect === 'Allow')
      .filter(({ statement }) => resourcesOf(statement).some((r) => r === '*'))
      .flatMap(({ role, statement }) =>
        asList(statement.Action)
          .filter((a) => !UNSCOPABLE_ACTIONS.has(a))
          .map((a) => `${role}: ${a}`),
      );
    expect(unscoped).toEqual([]);
  });

  it('limits the Batch Operations role trust to the service and this account', () => {
    const role = template.Resources.BatchOperationsRole?.Properties as {
      AssumeRolePolicyDocument: { Statement: PolicyStatement[] };
    };
    const [trust] = role.AssumeRolePolicyDocument.Statement;
    expect(trust?.Principal).toEqual({ Service: 'batchoperations.s3.amazonaws.com' });
    expect(trust?.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
  });

  it('denies non-TLS access and blocks public access on every bucket the stack creates', () => {
    const buckets = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::S3::Bucket');
    expect(buckets.length).toBeGreaterThan(0);
    for (const [id, bucket] of buckets) {
      expect(bucket.Properties?.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      const policy = Object.values(template.Resources).find(
        (r) => r.Type === 'AWS::S3::BucketPolicy' && json(r.Properties?.Bucket) === json({ Ref: id }),
      );
      const statements = (policy?.Properties?.PolicyDocument as { Statement: PolicyStatement[] } | undefined)
        ?.Statement;
      const tlsDeny = statements?.find(
        // The framework writes the condition value as a boolean, our resources as a string; IAM takes both.
        (s) =>
          s.Effect === 'Deny' &&
          String((s.Condition?.Bool as Record<string, unknown> | undefined)?.['aws:SecureTransport']) ===
            'false',
      );
      expect(tlsDeny, `${id} has no TLS-only deny`).toBeDefined();
    }
  });
});

describe('re-encrypt role', () => {
  const reencrypt = () => roleStatements(template).filter((s) => s.role === 'ReencryptObjectRole');

  it('touches objects only in the configured buckets and the work bucket checkpoints', () => {
    const s3Resources = reencrypt()
      .filter(({ statement }) => asList(statement.Action).some((a) => a.startsWith('s3:')))
      .flatMap(({ statement }) => resourcesOf(statement).map(json));
    expect(new Set(s3Resources)).toEqual(
      new Set([
        json({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::example-data-bucket/*' }),
        json({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::example-data-bucket' }),
        json({ 'Fn::Sub': '${WorkBucket.Arn}/checkpoints/*' }),
        // ListBucket on the work bucket, limited to the checkpoints prefix by condition.
        json({ 'Fn::GetAtt': ['WorkBucket', 'Arn'] }),
      ]),
    );
  });

  it('uses the target key, and other keys only to decrypt through S3', () => {
    const kms = reencrypt().filter(({ statement }) =>
      asList(statement.Action).some((a) => a.startsWith('kms:')),
    );
    const onTarget = kms.filter(
      ({ statement }) =>
        json(statement.Resource) ===
        json('arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000'),
    );
    const elsewhere = kms.filter((s) => !onTarget.includes(s));
    expect(onTarget.length).toBe(1);
    for (const { statement } of elsewhere) {
      expect(asList(statement.Action)).toEqual(['kms:Decrypt']);
      expect(json(statement.Condition)).toContain('kms:ViaService');
    }
  });

  // serverless package takes ~10 s on a quiet machine and over a minute on a loaded one.
  it('scopes to every bucket passed in managedBuckets', () => {
    // Act: package again with two buckets and another key
    const key = 'arn:aws:kms:eu-west-2:111122223333:key/11111111-2222-3333-4444-555555555555';
    const { template: t } = packageTemplate('.serverless-test-params', [
      '--param',
      'managedBuckets=alpha-bucket,beta-bucket',
      '--param',
      `targetKeyArn=${key}`,
    ]);
    // Assess
    const resources = roleStatements(t)
      .filter((s) => s.role === 'ReencryptObjectRole')
      .flatMap(({ statement }) => resourcesOf(statement).map(json));
    for (const b of ['alpha-bucket', 'beta-bucket']) {
      expect(resources).toContain(json({ 'Fn::Sub': `arn:\${AWS::Partition}:s3:::${b}/*` }));
      expect(resources).toContain(json({ 'Fn::Sub': `arn:\${AWS::Partition}:s3:::${b}` }));
    }
    expect(resources).not.toContain(json({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::example-data-bucket/*' }));
    expect(resources).toContain(json(key));
  }, 300_000);
});
