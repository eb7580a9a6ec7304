import type { LifecycleRule } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { ABORT_RULE_ID, mergeAbortRule } from '../../../src/reencrypt/multipart/lifecycle.js';

const expireLogs: LifecycleRule = {
  ID: 'expire-logs',
  Status: 'Enabled',
  Filter: { Prefix: 'logs/' },
  Expiration: { Days: 30 },
};
const ours = (days: number): LifecycleRule => ({
  ID: ABORT_RULE_ID,
  Status: 'Enabled',
  Filter: { Prefix: '' },
  AbortIncompleteMultipartUpload: { DaysAfterInitiation: days },
});
const abortRule = (days: number, extra: Partial<LifecycleRule> = {}): LifecycleRule => ({
  ID: 'theirs',
  Status: 'Enabled',
  Filter: {},
  AbortIncompleteMultipartUpload: { DaysAfterInitiation: days },
  ...extra,
});

describe('mergeAbortRule', () => {
  it.each([
    { name: 'a bucket without rules', existing: [], expected: [ours(7)], changed: true },
    {
      name: 'a bucket with other rules',
      existing: [expireLogs],
      expected: [expireLogs, ours(7)],
      changed: true,
    },
    {
      name: 'our rule with a longer delay',
      existing: [expireLogs, ours(30)],
      expected: [expireLogs, ours(7)],
      changed: true,
    },
    {
      name: 'our rule already there',
      existing: [ours(7), expireLogs],
      expected: [ours(7), expireLogs],
      changed: false,
    },
    {
      name: 'their bucket-wide rule, sooner',
      existing: [abortRule(3)],
      expected: [abortRule(3)],
      changed: false,
    },
    {
      name: 'their legacy empty-prefix rule',
      existing: [abortRule(7, { Filter: undefined, Prefix: '' })],
      expected: [abortRule(7, { Filter: undefined, Prefix: '' })],
      changed: false,
    },
    {
      name: 'their rule for one prefix only',
      existing: [abortRule(1, { Filter: { Prefix: 'tmp/' } })],
      expected: [abortRule(1, { Filter: { Prefix: 'tmp/' } }), ours(7)],
      changed: true,
    },
    {
      name: 'their disabled rule',
      existing: [abortRule(1, { Status: 'Disabled' })],
      expected: [abortRule(1, { Status: 'Disabled' }), ours(7)],
      changed: true,
    },
    {
      name: 'their rule, later',
      existing: [abortRule(14)],
      expected: [abortRule(14), ours(7)],
      changed: true,
    },
  ])('merges into $name', ({ existing, expected, changed }) => {
    // Act
    const merged = mergeAbortRule(existing, 7);
    // Assess
    expect(merged).toEqual({ rules: expected, changed });
  });

  it.each([0, -1, 1.5])('rejects %s days', (days) => {
    expect(() => mergeAbortRule([], days)).toThrow(/days must be a whole number/);
  });

  it('refuses to exceed 1,000 rules', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ ...expireLogs, ID: `r${i}` }));
    expect(() => mergeAbortRule(many, 7)).toThrow(/1000 lifecycle rules/);
  });
});
