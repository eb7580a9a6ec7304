import { describe, expect, it } from 'vitest';
import { PolicyParseError } from '../../../src/enforce/errors.js';
import {
  EnforceSids,
  enforcementStatements,
  mergeStatements,
  type PolicyDocument,
  type PolicyStatement,
  parsePolicy,
  sameStatement,
} from '../../../src/enforce/policy.js';

const BUCKET = 'data-bucket';
const KEY_A = 'arn:aws:kms:eu-west-2:111122223333:key/aaaaaaaa-12ab-34cd-56ef-1234567890ab';
const KEY_B = 'arn:aws:kms:eu-west-2:111122223333:key/bbbbbbbb-12ab-34cd-56ef-1234567890ab';

const allowRead: PolicyStatement = {
  Sid: 'AllowAnalyticsRead',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::444455556666:role/analytics' },
  Action: ['s3:GetObject'],
  Resource: `arn:aws:s3:::${BUCKET}/*`,
};
const noSid: PolicyStatement = {
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:DeleteBucket',
  Resource: `arn:aws:s3:::${BUCKET}`,
};
const policyWith = (...statements: PolicyStatement[]): PolicyDocument => ({
  Version: '2012-10-17',
  Id: 'existing-policy',
  Statement: statements,
});

describe('enforcementStatements', () => {
  it('denies only requests that ask for other encryption, plus non-TLS access', () => {
    // Act
    const statements = enforcementStatements(BUCKET, KEY_A);
    // Assess
    expect(statements.map((s) => s.Sid)).toEqual(Object.values(EnforceSids));
    expect(statements.every((s) => s.Effect === 'Deny' && s.Principal === '*')).toBe(true);
    const byId = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(byId[EnforceSids.denyOtherKmsKey]?.Condition).toEqual({
      StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': KEY_A },
      Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
    });
    expect(byId[EnforceSids.denyOtherEncryption]?.Condition).toEqual({
      StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
      Null: { 's3:x-amz-server-side-encryption': 'false' },
    });
    expect(byId[EnforceSids.denyInsecureTransport]).toMatchObject({
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  });

  it('uses the partition of the key for the bucket ARN', () => {
    const statements = enforcementStatements(BUCKET, KEY_A, 'aws-cn');
    expect(statements[0]?.Resource).toBe(`arn:aws-cn:s3:::${BUCKET}/*`);
  });
});

describe('mergeStatements', () => {
  it('creates a policy when the bucket has none', () => {
    // Act
    const merge = mergeStatements(undefined, enforcementStatements(BUCKET, KEY_A));
    // Assess
    expect(merge.changed).toBe(true);
    expect(merge.policy.Version).toBe('2012-10-17');
    expect(merge.added).toEqual(Object.values(EnforceSids));
    expect(merge.kept).toBe(0);
  });

  it('keeps every existing statement in place, with and without Sid, and the policy Id', () => {
    // Prepare
    const existing = policyWith(allowRead, noSid);
    // Act
    const merge = mergeStatements(existing, enforcementStatements(BUCKET, KEY_A));
    // Assess
    expect(merge.policy.Statement.slice(0, 2)).toEqual([allowRead, noSid]);
    expect(merge.policy.Statement).toHaveLength(2 + Object.values(EnforceSids).length);
    expect(merge.policy.Id).toBe('existing-policy');
    expect(merge.kept).toBe(2);
  });

  it('adds nothing when run on its own output', () => {
    // Prepare
    const once = mergeStatements(policyWith(allowRead), enforcementStatements(BUCKET, KEY_A)).policy;
    // Act
    const twice = mergeStatements(JSON.parse(JSON.stringify(once)), enforcementStatements(BUCKET, KEY_A));
    // Assess
    expect(twice.changed).toBe(false);
    expect(twice.added).toEqual([]);
    expect(twice.policy).toEqual(once);
  });

  it('replaces its own statements in place when the key changes', () => {
    // Prepare
    const withA = mergeStatements(policyWith(allowRead, noSid), enforcementStatements(BUCKET, KEY_A)).policy;
    // Act
    const merge = mergeStatements(withA, enforcementStatements(BUCKET, KEY_B));
    // Assess
    expect(merge.changed).toBe(true);
    expect(merge.replaced).toEqual([EnforceSids.denyOtherKmsKey]);
    expect(merge.added).toEqual([]);
    expect(merge.policy.Statement).toHaveLength(withA.Statement.length);
    expect(JSON.stringify(merge.policy)).toContain(KEY_B);
    expect(JSON.stringify(merge.policy)).not.toContain(KEY_A);
  });

  it('removes stale and duplicate statements under its own prefix, and only those', () => {
    // Prepare
    const stale: PolicyStatement = {
      Sid: 'S3ReencryptEnforceOldName',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
    };
    const [first] = enforcementStatements(BUCKET, KEY_A);
    const lookalike: PolicyStatement = { ...allowRead, Sid: 'S3ReencryptOther' };
    // Act
    const merge = mergeStatements(
      policyWith(stale, first as PolicyStatement, first as PolicyStatement, lookalike),
      enforcementStatements(BUCKET, KEY_A),
    );
    // Assess
    expect(merge.removed).toEqual(['S3ReencryptEnforceOldName', EnforceSids.denyOtherKmsKey]);
    expect(merge.policy.Statement.filter((s) => s.Sid === EnforceSids.denyOtherKmsKey)).toHaveLength(1);
    expect(merge.policy.Statement).toContainEqual(lookalike);
  });

  it('treats AWS reformatting (one-element lists, key order, {"AWS":"*"}) as no change', () => {
    // Prepare
    const ours = enforcementStatements(BUCKET, KEY_A).map((s) =>
      Object.fromEntries(Object.entries({ ...s, Principal: { AWS: '*' }, Action: [s.Action] }).reverse()),
    ) as PolicyStatement[];
    // Act
    const merge = mergeStatements(policyWith(...ours), enforcementStatements(BUCKET, KEY_A));
    // Assess
    expect(merge.changed).toBe(false);
  });
});

describe('sameStatement', () => {
  it('tells statements with other resources apart', () => {
    expect(sameStatement(allowRead, { ...allowRead, Resource: 'arn:aws:s3:::other/*' })).toBe(false);
  });
});

describe('parsePolicy', () => {
  it('returns undefined for a bucket without policy', () => {
    expect(parsePolicy(undefined, BUCKET)).toBeUndefined();
  });

  it('accepts a single statement object and returns it as a list', () => {
    const doc = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: allowRead }), BUCKET);
    expect(doc?.Statement).toEqual([allowRead]);
  });

  it.each([
    ['not JSON', '{"Version": '],
    ['not an object', '[1,2]'],
    ['a statement that is not an object', '{"Statement": ["x"]}'],
  ])('refuses a policy that is %s', (_name, text) => {
    expect(() => parsePolicy(text, BUCKET)).toThrow(PolicyParseError);
  });
});
