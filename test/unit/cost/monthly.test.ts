import { describe, expect, it } from 'vitest';
import { UnknownRegionError } from '../../../src/cost/errors.js';
import { formatUsd, type LineItem } from '../../../src/cost/line-item.js';
import { estimateMonthly } from '../../../src/cost/monthly.js';

const line = (lines: readonly LineItem[], id: string) => {
  const l = lines.find((x) => x.id === id);
  if (!l) throw new Error(`no line ${id}`);
  return l;
};

describe('estimateMonthly', () => {
  it('reproduces the AWS Storage blog example exactly (eu-west-2, no Bucket Keys, free tier ignored)', () => {
    // Prepare: 10 TB of 1 GB objects on S3 Standard in eu-west-2; 2,000,000 downloads and 10,000 overwrites
    // a month. The blog ignores the KMS free tier, and so does the default (applyFreeTier: false).
    // Arithmetic: 1 key × $1.00 = $1.00; (2,000,000 + 10,000) = 2,010,000 requests × $0.03 / 10,000 = $6.03.
    // Act
    const e = estimateMonthly({
      region: 'eu-west-2',
      getsPerMonth: 2_000_000,
      putsPerMonth: 10_000,
      keys: 1,
    });
    // Assess
    const b = e.withoutBucketKeys;
    expect(line(b.lines, 'kms.key-months').usd).toBe(1);
    expect(line(b.lines, 'kms.requests').quantity).toBe(2_010_000);
    expect(line(b.lines, 'kms.requests').usd).toBe(6.03);
    expect(formatUsd(line(b.lines, 'kms.requests').usd)).toBe('$6.03');
    expect(b.monthlyUsd).toBe(7.03);
    expect(b.oneTimeUsd).toBe(0);
    expect(e.region).toBe('eu-west-2');
    expect(e.usesUnconfirmedPrices).toBe(false);
  });

  it('credits the 20,000 free KMS requests only when asked to', () => {
    // Prepare: the blog example with the free tier applied.
    // Arithmetic: credit min(2,010,000, 20,000) = 20,000 × $0.03 / 10,000 = $0.06 → $6.03 − $0.06 = $5.97 of
    // requests, $6.97 in all.
    // Act
    const e = estimateMonthly({
      region: 'eu-west-2',
      getsPerMonth: 2_000_000,
      putsPerMonth: 10_000,
      applyFreeTier: true,
    });
    // Assess
    expect(line(e.withoutBucketKeys.lines, 'kms.free-tier').usd).toBeCloseTo(-0.06, 10);
    expect(e.withoutBucketKeys.monthlyUsd).toBeCloseTo(6.97, 10);
    expect(e.assumptions.find((a) => a.name === 'applyFreeTier')?.value).toBe(true);
  });

  it('applies the stated Bucket Key reduction to the blog example', () => {
    // Arithmetic: ceil(2,010,000 × (1 − 0.99)) = 20,100 requests × $0.03 / 10,000 = $0.0603; + $1.00 key.
    // Act
    const e = estimateMonthly({ region: 'eu-west-2', getsPerMonth: 2_000_000, putsPerMonth: 10_000 });
    // Assess
    expect(line(e.withBucketKeys.lines, 'kms.requests').quantity).toBe(20_100);
    expect(line(e.withBucketKeys.lines, 'kms.requests').usd).toBeCloseTo(0.0603, 10);
    expect(e.withBucketKeys.monthlyUsd).toBeCloseTo(1.0603, 10);
    expect(e.chosen).toBe('withBucketKeys');
  });

  it('prices a busy us-east-1 bucket with two keys and a configurable reduction', () => {
    // Prepare: 50,000,000 GETs + 5,000,000 PUTs, 2 keys, reduction 0.9.
    // Arithmetic without Bucket Keys: 55,000,000 × $0.03 / 10,000 = $165.00; keys 2 × $1 = $2 → $167.00.
    // With: ceil(55,000,000 × 0.1) = 5,500,000 × $0.03 / 10,000 = $16.50 → $18.50.
    // Act
    const e = estimateMonthly({
      getsPerMonth: 50_000_000,
      putsPerMonth: 5_000_000,
      keys: 2,
      bucketKeyReduction: 0.9,
      bucketKey: false,
    });
    // Assess
    expect(e.region).toBe('us-east-1');
    expect(e.withoutBucketKeys.monthlyUsd).toBeCloseTo(167, 10);
    expect(e.withBucketKeys.monthlyUsd).toBeCloseTo(18.5, 10);
    expect(e.chosen).toBe('withoutBucketKeys');
    expect(line(e.withBucketKeys.lines, 'kms.requests').inputs).toEqual({
      getsPerMonth: 50_000_000,
      putsPerMonth: 5_000_000,
      bucketKeyReduction: 0.9,
    });
  });

  it('bills rotated key versions on top of the key', () => {
    // Arithmetic: 1 key × $1 + 2 rotated versions × $1 + 0 requests = $3.00.
    // Act
    const e = estimateMonthly({ getsPerMonth: 0, putsPerMonth: 0, rotatedKeyVersions: 2 });
    // Assess
    expect(e.withoutBucketKeys.monthlyUsd).toBe(3);
  });

  it('shows the arithmetic of every line', () => {
    // Act
    const e = estimateMonthly({ region: 'eu-west-2', getsPerMonth: 2_000_000, putsPerMonth: 10_000 });
    // Assess
    expect(line(e.withoutBucketKeys.lines, 'kms.requests')).toMatchObject({
      arithmetic: '2,000,000 GETs + 10,000 PUTs = 2,010,000 requests × $0.03 / 10,000 = $6.03',
    });
  });

  it('refuses an unknown region unless a fallback is requested', () => {
    // Act / Assess
    expect(() => estimateMonthly({ region: 'ap-south-2', getsPerMonth: 1, putsPerMonth: 1 })).toThrow(
      UnknownRegionError,
    );
    const e = estimateMonthly({
      region: 'ap-south-2',
      fallbackRegion: 'us-east-1',
      getsPerMonth: 10_000,
      putsPerMonth: 0,
    });
    expect(e).toMatchObject({ region: 'us-east-1', requestedRegion: 'ap-south-2', substitutedRegion: true });
  });

  it.each([
    ['getsPerMonth', { getsPerMonth: -1, putsPerMonth: 0 }],
    ['putsPerMonth', { getsPerMonth: 0, putsPerMonth: Number.NaN }],
    ['bucketKeyReduction', { getsPerMonth: 0, putsPerMonth: 0, bucketKeyReduction: 1 }],
  ])('names the bad input %s', (field, input) => {
    // Act / Assess
    expect(() => estimateMonthly(input)).toThrow(new RegExp(`^${field}`));
  });
});
