import { describe, expect, it } from 'vitest';
import { findPolicyConflicts } from '../../../src/enforce/conflicts.js';
import { enforcementStatements, type PolicyStatement } from '../../../src/enforce/policy.js';

const KEY = 'arn:aws:kms:eu-west-2:111122223333:key/aaaaaaaa-12ab-34cd-56ef-1234567890ab';
const OTHER = 'arn:aws:kms:eu-west-2:111122223333:key/bbbbbbbb-12ab-34cd-56ef-1234567890ab';

const deny = (Action: unknown, Condition: unknown, Sid = 'Existing'): PolicyStatement => ({
  Sid,
  Effect: 'Deny',
  Principal: '*',
  Action,
  Resource: 'arn:aws:s3:::b/*',
  Condition,
});
const SSE = 's3:x-amz-server-side-encryption';
const SSE_KEY = 's3:x-amz-server-side-encryption-aws-kms-key-id';

describe('findPolicyConflicts', () => {
  it.each<[string, PolicyStatement, number]>([
    ['a classic "require AES256" deny', deny('s3:PutObject', { StringNotEquals: { [SSE]: 'AES256' } }), 1],
    ['the same with IfExists and s3:*', deny('s3:*', { StringNotEqualsIfExists: { [SSE]: 'AES256' } }), 1],
    ['a deny pinning another key', deny(['s3:Put*'], { StringNotEquals: { [SSE_KEY]: OTHER } }), 1],
    ['a deny of aws:kms uploads', deny('*', { StringEquals: { [SSE]: 'aws:kms' } }), 1],
    [
      'a deny of uploads under the target key',
      deny('s3:PutObject', { StringLike: { [SSE_KEY]: 'arn:aws:kms:*' } }),
      1,
    ],
    ['a "require aws:kms" deny', deny('s3:PutObject', { StringNotEquals: { [SSE]: 'aws:kms' } }), 0],
    [
      'a deny pinning the target key',
      deny('s3:PutObject', { StringNotEquals: { [SSE_KEY]: [KEY, OTHER] } }),
      0,
    ],
    ['a deny on another action', deny('s3:DeleteObject', { StringNotEquals: { [SSE]: 'AES256' } }), 0],
    [
      'an allow with the same condition',
      { ...deny('s3:PutObject', { StringNotEquals: { [SSE]: 'AES256' } }), Effect: 'Allow' },
      0,
    ],
    [
      'a deny without condition keys on encryption',
      deny('s3:PutObject', { Bool: { 'aws:SecureTransport': 'false' } }),
      0,
    ],
  ])('reports %s', (_name, statement, count) => {
    // Act
    const conflicts = findPolicyConflicts({ Statement: [statement] }, KEY);
    // Assess
    expect(conflicts).toHaveLength(count);
    if (count) expect(conflicts[0]).toMatch(/^statement "Existing" denies/);
  });

  it('ignores its own statements, and names Sid-less statements by position', () => {
    // Prepare
    const sidless = { ...deny('s3:PutObject', { StringNotEquals: { [SSE]: 'AES256' } }), Sid: undefined };
    const policy = { Statement: [...enforcementStatements('b', OTHER), sidless] };
    // Act
    const conflicts = findPolicyConflicts(policy, KEY);
    // Assess
    expect(conflicts).toEqual(['statement #6 denies uploads unless x-amz-server-side-encryption is AES256']);
  });
});
