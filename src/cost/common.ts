import { InvalidCostInputError } from './errors.js';
import { type Assumption, formatNumber, type LineItem, lineItem } from './line-item.js';
import type { Price, RegionPrices } from './prices.js';

/** "Up to 99 %" fewer KMS requests with S3 Bucket Keys (aws-facts §6.2): an assumption, not a guarantee. */
export const DEFAULT_BUCKET_KEY_REDUCTION = 0.99;

export const GiB = 1024 ** 3;

export function count(field: string, v: number | undefined, fallback?: number): number {
  const n = v ?? fallback;
  if (n === undefined) throw new InvalidCostInputError(field, 'is required');
  if (!Number.isFinite(n) || n < 0) throw new InvalidCostInputError(field, `must be a number ≥ 0, got ${n}`);
  return n;
}

export function fraction(field: string, v: number | undefined, fallback: number): number {
  const n = v ?? fallback;
  if (!Number.isFinite(n) || n < 0 || n >= 1)
    throw new InvalidCostInputError(field, `must be a fraction in [0, 1), got ${n}`);
  return n;
}

/**
 * KMS requests left after Bucket Keys; whole requests, rounded up. The small tolerance keeps binary
 * floating point from turning 2,010,000 × (1 − 0.99) = 20,100.000000000018 into 20,101.
 */
export const withReduction = (requests: number, reduction: number): number =>
  Math.max(0, Math.ceil(requests * (1 - reduction) - 1e-6));

export function bucketKeyAssumption(reduction: number): Assumption {
  return {
    name: 'bucketKeyReduction',
    value: reduction,
    note:
      'share of KMS requests on the target key that S3 Bucket Keys remove; AWS says "up to 99 %" and the real ' +
      'figure depends on how many distinct requesters and bucket-key lifetimes there are',
  };
}

export function freeTierAssumption(apply: boolean): Assumption {
  return {
    name: 'applyFreeTier',
    value: apply,
    note: apply
      ? 'the KMS (20,000 requests) and Lambda monthly free allowances are credited in full to this estimate'
      : 'free allowances are not credited: they are account-wide, shared by every workload and Region, and ' +
        'usually used up elsewhere (the AWS blog example also ignores them)',
  };
}

/** A credit line for a free allowance: min(used, allowance) at the same price. */
export function freeTierCredit(args: {
  id: string;
  label: string;
  used: number;
  allowance: number;
  price: Price;
  recurrence: 'one-time' | 'monthly';
}): LineItem | undefined {
  const credited = Math.min(args.used, args.allowance);
  if (credited <= 0) return undefined;
  return lineItem({
    id: args.id,
    category: 'free-tier',
    recurrence: args.recurrence,
    label: args.label,
    quantity: credited,
    price: args.price,
    inputs: { used: args.used, allowance: args.allowance },
    formula: `min(${formatNumber(args.used)} used, ${formatNumber(args.allowance)} free)`,
    sign: -1,
  });
}

export const hasUnconfirmed = (lines: readonly LineItem[]): boolean => lines.some((l) => !l.price.confirmed);

export type { RegionPrices };
