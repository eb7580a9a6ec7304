import {
  bucketKeyAssumption,
  count,
  DEFAULT_BUCKET_KEY_REDUCTION,
  fraction,
  freeTierAssumption,
  freeTierCredit,
  hasUnconfirmed,
  withReduction,
} from './common.js';
import {
  type Assumption,
  breakdown,
  type CostEstimate,
  formatNumber,
  type LineItem,
  lineItem,
  sourcesOf,
} from './line-item.js';
import { priceTable } from './prices.js';

export interface MonthlyInput {
  /** GET/HEAD-with-body requests on SSE-KMS objects a month (each is one KMS Decrypt without Bucket Keys). */
  readonly getsPerMonth: number;
  /** PUT/COPY/POST writes of SSE-KMS objects a month (each is one KMS GenerateDataKey without Bucket Keys). */
  readonly putsPerMonth: number;
  /** Customer managed keys billed ($1 a month each). Default 1. */
  readonly keys?: number;
  /** Automatically rotated key versions billed on top ($1 a month each, first and second rotation). Default 0. */
  readonly rotatedKeyVersions?: number;
  readonly region?: string;
  readonly fallbackRegion?: string;
  readonly bucketKeyReduction?: number;
  readonly applyFreeTier?: boolean;
  /** Which variant is "chosen" (the configured Bucket Key setting). Default true. */
  readonly bucketKey?: boolean;
}

/**
 * Ongoing monthly KMS cost of keeping objects under SSE-KMS with a customer managed key: key-months plus
 * one KMS request per GET and per PUT, with and without S3 Bucket Keys.
 */
export function estimateMonthly(input: MonthlyInput): CostEstimate {
  const choice = priceTable(input.region, {
    ...(input.fallbackRegion ? { fallbackRegion: input.fallbackRegion } : {}),
  });
  const { kms } = choice.prices;
  const gets = count('getsPerMonth', input.getsPerMonth);
  const puts = count('putsPerMonth', input.putsPerMonth);
  const keys = count('keys', input.keys, 1);
  const rotated = count('rotatedKeyVersions', input.rotatedKeyVersions, 0);
  const reduction = fraction('bucketKeyReduction', input.bucketKeyReduction, DEFAULT_BUCKET_KEY_REDUCTION);
  const applyFreeTier = input.applyFreeTier ?? false;

  const fixed: LineItem[] = [
    lineItem({
      id: 'kms.key-months',
      category: 'kms',
      recurrence: 'monthly',
      label: 'Customer managed KMS keys',
      quantity: keys,
      price: kms.keyMonth,
      inputs: { keys },
    }),
  ];
  if (rotated > 0)
    fixed.push(
      lineItem({
        id: 'kms.rotated-key-versions',
        category: 'kms',
        recurrence: 'monthly',
        label: 'Rotated key versions',
        quantity: rotated,
        price: kms.rotatedKeyVersionMonth,
        inputs: { rotatedKeyVersions: rotated },
      }),
    );

  const variant = (bucketKeys: boolean) => {
    const raw = gets + puts;
    const requests = bucketKeys ? withReduction(raw, reduction) : raw;
    const sumText = `${formatNumber(gets)} GETs + ${formatNumber(puts)} PUTs`;
    const formula = bucketKeys ? `ceil((${sumText}) × (1 − ${reduction}))` : sumText;
    const lines: LineItem[] = [
      ...fixed,
      lineItem({
        id: 'kms.requests',
        category: 'kms',
        recurrence: 'monthly',
        label: bucketKeys ? 'KMS requests with S3 Bucket Keys' : 'KMS requests (one per GET and per PUT)',
        quantity: requests,
        price: kms.requests,
        inputs: {
          getsPerMonth: gets,
          putsPerMonth: puts,
          ...(bucketKeys ? { bucketKeyReduction: reduction } : {}),
        },
        formula,
      }),
    ];
    if (applyFreeTier) {
      const credit = freeTierCredit({
        id: 'kms.free-tier',
        label: 'KMS free tier',
        used: requests,
        allowance: kms.freeRequests.quantity,
        price: kms.requests,
        recurrence: 'monthly',
      });
      if (credit) lines.push(credit);
    }
    return breakdown(lines);
  };

  const withoutBucketKeys = variant(false);
  const withBucketKeys = variant(true);
  const assumptions: Assumption[] = [
    {
      name: 'kmsRequestsPerAccess',
      value: 1,
      note: 'without Bucket Keys S3 calls KMS once per GET (Decrypt) and once per PUT (GenerateDataKey) [A25]',
    },
    bucketKeyAssumption(reduction),
    freeTierAssumption(applyFreeTier),
  ];
  const all = [...withoutBucketKeys.lines, ...withBucketKeys.lines];
  return {
    kind: 'monthly',
    region: choice.prices.region,
    requestedRegion: choice.requestedRegion,
    substitutedRegion: choice.substituted,
    currency: 'USD',
    assumptions,
    withoutBucketKeys,
    withBucketKeys,
    chosen: (input.bucketKey ?? true) ? 'withBucketKeys' : 'withoutBucketKeys',
    usesUnconfirmedPrices: hasUnconfirmed(all),
    sources: sourcesOf(all),
  };
}
