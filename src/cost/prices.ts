import { UnknownRegionError } from './errors.js';
import type { PriceSourceTag } from './sources.js';

/** One list price: `usd` per `per` units of `unit`, with where it was read and whether that is confirmed. */
export interface Price {
  readonly usd: number;
  readonly per: number;
  readonly unit: string;
  readonly sources: readonly PriceSourceTag[];
  /** False when no source was read for this Region (marked UNCONFIRMED in output). */
  readonly confirmed: boolean;
  readonly note?: string;
}

/** A free monthly allowance (account-wide, all Regions unless the note says otherwise). */
export interface Allowance {
  readonly quantity: number;
  readonly unit: string;
  readonly sources: readonly PriceSourceTag[];
  readonly note: string;
}

export const StorageClasses = {
  STANDARD: 'STANDARD',
  INTELLIGENT_TIERING: 'INTELLIGENT_TIERING',
  STANDARD_IA: 'STANDARD_IA',
  ONEZONE_IA: 'ONEZONE_IA',
  GLACIER_IR: 'GLACIER_IR',
  GLACIER: 'GLACIER',
  DEEP_ARCHIVE: 'DEEP_ARCHIVE',
} as const;
export type StorageClass = (typeof StorageClasses)[keyof typeof StorageClasses];

export interface StorageClassPrices {
  /** Per GB-month (first 50 TB tier where tiered). */
  readonly storage: Price;
  /** PUT, COPY, POST, LIST and multipart calls, at this class's rate (a copy is billed at the destination class). */
  readonly tier1: Price;
  /** GET, HEAD and all other requests. */
  readonly tier2: Price;
  /** Per GB read (a copy reads its source). */
  readonly retrieval: Price;
  /** Deleting or overwriting earlier bills the remaining days (0 = no minimum). */
  readonly minimumDays: number;
  /** Smaller objects are billed as this size (0 = no minimum). */
  readonly minimumBillableBytes: number;
}

export const Architectures = { arm64: 'arm64', x86_64: 'x86_64' } as const;
export type Architecture = (typeof Architectures)[keyof typeof Architectures];

export interface RegionPrices {
  readonly region: string;
  readonly currency: 'USD';
  readonly kms: {
    /** Per customer managed key per month; AWS managed keys are free. */
    readonly keyMonth: Price;
    /** Each automatically rotated key version adds this per month (first and second rotation). */
    readonly rotatedKeyVersionMonth: Price;
    /** Symmetric cryptographic requests (Decrypt, GenerateDataKey, Encrypt, ReEncrypt). */
    readonly requests: Price;
    readonly freeRequests: Allowance;
  };
  readonly s3: {
    readonly classes: Readonly<Record<StorageClass, StorageClassPrices>>;
    /** Always the S3 Standard PUT rate, whatever the object's class [A11]. */
    readonly updateObjectEncryption: Price;
  };
  readonly batch: {
    readonly perJob: Price;
    readonly perObject: Price;
  };
  readonly lambda: {
    readonly requests: Price;
    readonly gbSecond: Readonly<Record<Architecture, Price>>;
    readonly freeRequests: Allowance;
    readonly freeGbSeconds: Allowance;
  };
}

const price = (
  usd: number,
  per: number,
  unit: string,
  sources: readonly PriceSourceTag[],
  note?: string,
): Price => ({ usd, per, unit, sources, confirmed: true, ...(note ? { note } : {}) });

const unconfirmed = (usd: number, per: number, unit: string, note?: string): Price => ({
  usd,
  per,
  unit,
  sources: ['UNCONFIRMED'],
  confirmed: false,
  ...(note ? { note } : {}),
});

const KiB = 1024;

// Minimum durations and sizes are S3-wide rules, the same in every Region [P2 §2.3].
const MIN = {
  STANDARD: { minimumDays: 0, minimumBillableBytes: 0 },
  INTELLIGENT_TIERING: { minimumDays: 0, minimumBillableBytes: 0 },
  STANDARD_IA: { minimumDays: 30, minimumBillableBytes: 128 * KiB },
  ONEZONE_IA: { minimumDays: 30, minimumBillableBytes: 128 * KiB },
  GLACIER_IR: { minimumDays: 90, minimumBillableBytes: 128 * KiB },
  GLACIER: { minimumDays: 90, minimumBillableBytes: 0 },
  DEEP_ARCHIVE: { minimumDays: 180, minimumBillableBytes: 0 },
} as const;

const KMS_FREE: Allowance = {
  quantity: 20_000,
  unit: 'request',
  sources: ['P4'],
  note: 'per month, shared by every Region and every workload of the account',
};
const LAMBDA_FREE_REQUESTS: Allowance = {
  quantity: 1_000_000,
  unit: 'request',
  sources: ['P5', 'P3'],
  note: 'per month, shared by every function of the account',
};
const LAMBDA_FREE_GBS: Allowance = {
  quantity: 400_000,
  unit: 'GB-second',
  sources: ['P5', 'P3'],
  note: 'per month, shared by every function of the account',
};

const usEast1: RegionPrices = {
  region: 'us-east-1',
  currency: 'USD',
  kms: {
    keyMonth: price(1, 1, 'key-month', ['P4']),
    rotatedKeyVersionMonth: price(1, 1, 'key-version-month', ['P4']),
    requests: price(0.03, 10_000, 'request', ['P5', 'P2']),
    freeRequests: KMS_FREE,
  },
  s3: {
    classes: {
      STANDARD: {
        storage: price(0.023, 1, 'GB-month', ['P2'], 'first 50 TB tier'),
        tier1: price(0.005, 1000, 'request', ['P2', 'P5']),
        tier2: price(0.0004, 1000, 'request', ['P2', 'P5']),
        retrieval: price(0, 1, 'GB', ['P2']),
        ...MIN.STANDARD,
      },
      INTELLIGENT_TIERING: {
        storage: price(0.023, 1, 'GB-month', ['P2'], 'Frequent Access tier, first 50 TB'),
        tier1: price(0.005, 1000, 'request', ['P2']),
        tier2: price(0.0004, 1000, 'request', ['P2']),
        retrieval: price(0, 1, 'GB', ['P2']),
        ...MIN.INTELLIGENT_TIERING,
      },
      STANDARD_IA: {
        storage: price(0.0125, 1, 'GB-month', ['P2']),
        tier1: price(0.01, 1000, 'request', ['P2']),
        tier2: price(0.001, 1000, 'request', ['P2']),
        retrieval: price(0.01, 1, 'GB', ['P2']),
        ...MIN.STANDARD_IA,
      },
      ONEZONE_IA: {
        storage: price(0.01, 1, 'GB-month', ['P2']),
        tier1: price(0.01, 1000, 'request', ['P2']),
        tier2: price(0.001, 1000, 'request', ['P2']),
        retrieval: price(0.01, 1, 'GB', ['P2']),
        ...MIN.ONEZONE_IA,
      },
      GLACIER_IR: {
        storage: price(0.004, 1, 'GB-month', ['P2']),
        tier1: price(0.02, 1000, 'request', ['P2']),
        tier2: price(0.01, 1000, 'request', ['P2']),
        retrieval: price(0.03, 1, 'GB', ['P2']),
        ...MIN.GLACIER_IR,
      },
      GLACIER: {
        storage: price(0.0036, 1, 'GB-month', ['P2']),
        tier1: price(0.03, 1000, 'request', ['P2']),
        tier2: price(0.0004, 1000, 'request', ['P2']),
        retrieval: price(0.01, 1, 'GB', ['P2'], 'Standard restore; the copy route needs a restore first'),
        ...MIN.GLACIER,
      },
      DEEP_ARCHIVE: {
        storage: price(0.00099, 1, 'GB-month', ['P2']),
        tier1: price(0.05, 1000, 'request', ['P2']),
        tier2: price(0.0004, 1000, 'request', ['P2']),
        retrieval: price(0.02, 1, 'GB', ['P2'], 'Standard restore; the copy route needs a restore first'),
        ...MIN.DEEP_ARCHIVE,
      },
    },
    updateObjectEncryption: price(0.005, 1000, 'request', ['A11', 'P2']),
  },
  batch: {
    perJob: price(0.25, 1, 'job', ['P2', 'P1']),
    perObject: price(1, 1_000_000, 'object', ['P2', 'P1']),
  },
  lambda: {
    requests: price(0.2, 1_000_000, 'request', ['P5']),
    gbSecond: {
      arm64: price(0.0000133334, 1, 'GB-second', ['P5'], 'first 7.5 billion GB-s a month'),
      x86_64: price(0.0000166667, 1, 'GB-second', ['P5'], 'first 6 billion GB-s a month'),
    },
    freeRequests: LAMBDA_FREE_REQUESTS,
    freeGbSeconds: LAMBDA_FREE_GBS,
  },
};

const euWest2: RegionPrices = {
  region: 'eu-west-2',
  currency: 'USD',
  kms: {
    keyMonth: price(1, 1, 'key-month', ['P3']),
    rotatedKeyVersionMonth: price(1, 1, 'key-version-month', ['P4']),
    requests: price(0.03, 10_000, 'request', ['P3']),
    freeRequests: KMS_FREE,
  },
  s3: {
    classes: {
      STANDARD: {
        storage: price(0.024, 1, 'GB-month', ['P3'], 'first 50 TB tier'),
        tier1: price(0.0053, 1000, 'request', ['P3']),
        tier2: price(0.00042, 1000, 'request', ['P3']),
        retrieval: price(0, 1, 'GB', ['P2']),
        ...MIN.STANDARD,
      },
      INTELLIGENT_TIERING: {
        storage: unconfirmed(0.024, 1, 'GB-month', 'Frequent Access tier; assumed equal to Standard'),
        tier1: unconfirmed(0.0053, 1000, 'request', 'assumed equal to Standard'),
        tier2: unconfirmed(0.00042, 1000, 'request', 'assumed equal to Standard'),
        retrieval: price(0, 1, 'GB', ['P2']),
        ...MIN.INTELLIGENT_TIERING,
      },
      STANDARD_IA: {
        storage: unconfirmed(0.0131, 1, 'GB-month'),
        tier1: unconfirmed(0.01, 1000, 'request'),
        tier2: unconfirmed(0.001, 1000, 'request'),
        retrieval: unconfirmed(0.01, 1, 'GB'),
        ...MIN.STANDARD_IA,
      },
      ONEZONE_IA: {
        storage: unconfirmed(0.0105, 1, 'GB-month'),
        tier1: unconfirmed(0.01, 1000, 'request'),
        tier2: unconfirmed(0.001, 1000, 'request'),
        retrieval: unconfirmed(0.01, 1, 'GB'),
        ...MIN.ONEZONE_IA,
      },
      GLACIER_IR: {
        storage: unconfirmed(0.005, 1, 'GB-month'),
        tier1: unconfirmed(0.02, 1000, 'request'),
        tier2: unconfirmed(0.01, 1000, 'request'),
        retrieval: unconfirmed(0.03, 1, 'GB'),
        ...MIN.GLACIER_IR,
      },
      GLACIER: {
        storage: unconfirmed(0.0043, 1, 'GB-month'),
        tier1: unconfirmed(0.03, 1000, 'request'),
        tier2: unconfirmed(0.0004, 1000, 'request'),
        retrieval: unconfirmed(0.01, 1, 'GB', 'Standard restore; the copy route needs a restore first'),
        ...MIN.GLACIER,
      },
      DEEP_ARCHIVE: {
        storage: unconfirmed(0.0018, 1, 'GB-month'),
        tier1: unconfirmed(0.05, 1000, 'request'),
        tier2: unconfirmed(0.0004, 1000, 'request'),
        retrieval: unconfirmed(0.02, 1, 'GB', 'Standard restore; the copy route needs a restore first'),
        ...MIN.DEEP_ARCHIVE,
      },
    },
    updateObjectEncryption: price(0.0053, 1000, 'request', ['A11', 'P3']),
  },
  batch: {
    // aws-facts §2.6: the same figures as us-east-1 and UAE, but no eu-west-2 source was read.
    perJob: unconfirmed(0.25, 1, 'job', 'us-east-1 figure [P2, P1]'),
    perObject: unconfirmed(1, 1_000_000, 'object', 'us-east-1 figure [P2, P1]'),
  },
  lambda: {
    requests: price(0.2, 1_000_000, 'request', ['P3']),
    gbSecond: {
      arm64: price(0.0000133334, 1, 'GB-second', ['P3']),
      x86_64: price(0.0000166667, 1, 'GB-second', ['P3']),
    },
    freeRequests: LAMBDA_FREE_REQUESTS,
    freeGbSeconds: LAMBDA_FREE_GBS,
  },
};

/** The Region estimates use when none is given (the SDK's own default Region as well). */
export const DEFAULT_PRICE_REGION = 'us-east-1';

const TABLES: Readonly<Record<string, RegionPrices>> = { 'us-east-1': usEast1, 'eu-west-2': euWest2 };

export const knownPriceRegions = (): readonly string[] => Object.keys(TABLES);

export interface PriceTableChoice {
  readonly prices: RegionPrices;
  /** The Region asked for; differs from `prices.region` when a fallback table was used. */
  readonly requestedRegion: string;
  readonly substituted: boolean;
}

/**
 * The price table of a Region. An unknown Region is an error unless `fallbackRegion` names a known one,
 * in which case that table is used and the choice says so (estimates print it).
 */
export function priceTable(
  region: string = DEFAULT_PRICE_REGION,
  options: { fallbackRegion?: string } = {},
): PriceTableChoice {
  const own = TABLES[region];
  if (own) return { prices: own, requestedRegion: region, substituted: false };
  const fallback = options.fallbackRegion === undefined ? undefined : TABLES[options.fallbackRegion];
  if (!fallback) throw new UnknownRegionError(region, knownPriceRegions());
  return { prices: fallback, requestedRegion: region, substituted: true };
}
