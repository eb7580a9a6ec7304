import type { Price } from './prices.js';
import type { PriceSourceTag } from './sources.js';

export const CostCategories = {
  kms: 'kms',
  s3Requests: 's3-requests',
  s3Retrieval: 's3-retrieval',
  storage: 'storage',
  batch: 'batch',
  lambda: 'lambda',
  freeTier: 'free-tier',
} as const;
export type CostCategory = (typeof CostCategories)[keyof typeof CostCategories];

export const Recurrences = { oneTime: 'one-time', monthly: 'monthly' } as const;
export type Recurrence = (typeof Recurrences)[keyof typeof Recurrences];

/** One priced quantity, with every number it was computed from. Money is never rounded here. */
export interface LineItem {
  readonly id: string;
  readonly category: CostCategory;
  readonly recurrence: Recurrence;
  readonly label: string;
  readonly quantity: number;
  readonly unit: string;
  readonly price: Price;
  /** quantity × price.usd / price.per (negative for free-tier credits). */
  readonly usd: number;
  /** The named inputs of the quantity, e.g. `{ getsPerMonth: 2000000, putsPerMonth: 10000 }`. */
  readonly inputs: Readonly<Record<string, number | string | boolean>>;
  /** The arithmetic in words: how the quantity was formed, then quantity × price. */
  readonly arithmetic: string;
}

/** A named assumption an estimate rests on; printed with every estimate. */
export interface Assumption {
  readonly name: string;
  readonly value: number | string | boolean;
  readonly note: string;
}

export interface CostBreakdown {
  readonly lines: readonly LineItem[];
  /** Sum of the one-time lines (including one-time free-tier credits). */
  readonly oneTimeUsd: number;
  /** Sum of the monthly lines. */
  readonly monthlyUsd: number;
}

export interface CostEstimate {
  readonly kind: 'migration' | 'monthly' | 'run';
  /** Region whose prices were used. */
  readonly region: string;
  readonly requestedRegion: string;
  /** True when the requested Region had no table and a fallback Region's prices were used. */
  readonly substitutedRegion: boolean;
  readonly currency: 'USD';
  readonly assumptions: readonly Assumption[];
  readonly withoutBucketKeys: CostBreakdown;
  readonly withBucketKeys: CostBreakdown;
  /** The variant matching the configured Bucket Key setting. */
  readonly chosen: 'withBucketKeys' | 'withoutBucketKeys';
  /** Some price used has no source for this Region. */
  readonly usesUnconfirmedPrices: boolean;
  readonly sources: readonly PriceSourceTag[];
}

const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });
export const formatNumber = (n: number): string => intFmt.format(n);

/** Display only: cents for amounts from $1, up to four decimals below, two significant digits below $0.0001. */
export function formatUsd(usd: number): string {
  const sign = usd < 0 ? '-' : '';
  const a = Math.abs(usd);
  if (a === 0) return '$0.00';
  if (a >= 1)
    return `${sign}$${a.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (a >= 0.0001) {
    const s = a.toFixed(4).replace(/0{1,2}$/, '');
    return `${sign}$${s}`;
  }
  return `${sign}$${a.toPrecision(2)}`;
}

export function formatPrice(p: Price): string {
  return p.per === 1 ? `$${p.usd} per ${p.unit}` : `$${p.usd} per ${formatNumber(p.per)} ${p.unit}s`;
}

export function lineItem(args: {
  id: string;
  category: CostCategory;
  recurrence: Recurrence;
  label: string;
  quantity: number;
  price: Price;
  inputs: Readonly<Record<string, number | string | boolean>>;
  /** How the quantity was formed, e.g. "2,000,000 GETs + 10,000 PUTs". */
  formula?: string;
  /** Credits are negative. */
  sign?: 1 | -1;
}): LineItem {
  const sign = args.sign ?? 1;
  // Multiply before dividing: 2,010,000 × 0.03 / 10,000 is exactly 6.03 in binary floating point,
  // 2,010,000 / 10,000 × 0.03 is not.
  const usd = (sign * (args.quantity * args.price.usd)) / args.price.per;
  const per = args.price.per === 1 ? '' : ` / ${formatNumber(args.price.per)}`;
  const head = args.formula ? `${args.formula} = ` : '';
  const arithmetic = `${head}${formatNumber(args.quantity)} ${args.price.unit}s × $${args.price.usd}${per}${
    sign < 0 ? ' (credit)' : ''
  } = ${formatUsd(usd)}`;
  return {
    id: args.id,
    category: args.category,
    recurrence: args.recurrence,
    label: args.label,
    quantity: args.quantity,
    unit: args.price.unit,
    price: args.price,
    usd,
    inputs: args.inputs,
    arithmetic,
  };
}

export function breakdown(lines: readonly LineItem[]): CostBreakdown {
  let oneTimeUsd = 0;
  let monthlyUsd = 0;
  for (const l of lines) {
    if (l.recurrence === 'monthly') monthlyUsd += l.usd;
    else oneTimeUsd += l.usd;
  }
  return { lines, oneTimeUsd, monthlyUsd };
}

export function sourcesOf(lines: readonly LineItem[]): PriceSourceTag[] {
  const s = new Set<PriceSourceTag>();
  for (const l of lines) for (const t of l.price.sources) s.add(t);
  return [...s].sort();
}
