import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../../src/enforce/policy.js';
import {
  type BucketFacts,
  protectedBucketReasons,
  protectedBucketWarnings,
  REPORTS_BUCKET_TAG,
} from '../../../src/enforce/protected-buckets.js';

const facts = (over: Partial<BucketFacts> = {}): BucketFacts => ({
  bucket: 'b',
  tags: {},
  policy: undefined,
  reportsBuckets: [],
  ...over,
});
const grant = (service: string, action: string | string[] = 's3:PutObject'): PolicyDocument => ({
  Statement: [
    { Effect: 'Allow', Principal: { Service: service }, Action: action, Resource: 'arn:aws:s3:::b/*' },
  ],
});

describe('protectedBucketReasons', () => {
  it('accepts an ordinary bucket', () => {
    expect(protectedBucketReasons(facts())).toEqual([]);
  });

  it('refuses a bucket named as a reports bucket, explaining that Batch writes SSE-S3', () => {
    const reasons = protectedBucketReasons(facts({ reportsBuckets: ['other', 'b'] }));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/Batch Operations reports bucket.*SSE-S3/);
  });

  it.each([
    ['true', 1],
    ['TRUE', 1],
    ['false', 0],
  ])('refuses a bucket tagged %s=%s', (value, count) => {
    expect(protectedBucketReasons(facts({ tags: { [REPORTS_BUCKET_TAG]: value } }))).toHaveLength(count);
  });

  it('refuses a server access log target', () => {
    const reasons = protectedBucketReasons(
      facts({ policy: grant('logging.s3.amazonaws.com', ['s3:PutObject']) }),
    );
    expect(reasons[0]).toMatch(/server access logs/);
  });
});

describe('protectedBucketWarnings', () => {
  it('warns when S3 itself delivers exports into the bucket', () => {
    expect(protectedBucketWarnings(facts({ policy: grant('s3.amazonaws.com') }))).toHaveLength(1);
  });

  it('stays quiet for a service that only reads', () => {
    expect(protectedBucketWarnings(facts({ policy: grant('s3.amazonaws.com', 's3:GetObject') }))).toEqual([]);
  });
});
