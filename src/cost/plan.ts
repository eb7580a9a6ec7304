import { count, DEFAULT_BUCKET_KEY_REDUCTION, fraction, GiB } from './common.js';
import { InvalidCostInputError } from './errors.js';
import {
  type Architecture,
  type PriceTableChoice,
  type RegionPrices,
  type StorageClass,
  StorageClasses,
} from './prices.js';

export const PlanRoutes = {
  skip: 'skip',
  update: 'update',
  copy: 'copy',
  multipart: 'multipart',
  blocked: 'blocked',
} as const;
export type PlanRoute = (typeof PlanRoutes)[keyof typeof PlanRoutes];

/** Objects of one route, storage class and source encryption. */
export interface PlanGroup {
  readonly route: PlanRoute;
  readonly objects: number;
  readonly bytes: number;
  /** Default STANDARD. */
  readonly storageClass?: StorageClass;
  /** `SSE-KMS` (or `aws:kms`) sources cost a KMS Decrypt under their old key when read. Default SSE-S3. */
  readonly sourceEncryption?: string;
  /** How many of `objects` are SSE-KMS sources, when the group mixes them (overrides `sourceEncryption`). */
  readonly sseKmsObjects?: number;
  /** Multipart groups: the real number of parts, when known (a run); otherwise estimated from the average size. */
  readonly parts?: number;
}

export interface MigrationPlan {
  readonly groups: readonly PlanGroup[];
  /** Versioned buckets keep the version a copy replaces (billed until expired). */
  readonly versioned?: boolean;
  /** Batch jobs the plan needs. Default 1. */
  readonly jobs?: number;
}

export interface LambdaAssumptions {
  readonly memoryMb: number;
  readonly architecture: Architecture;
  /** Billed milliseconds per object by route (request overhead). */
  readonly msPerObject: Readonly<Record<PlanRoute, number>>;
  /** Extra billed milliseconds per GiB moved (copy routes wait for S3's server-side copy). */
  readonly msPerGiB: Readonly<Record<PlanRoute, number>>;
}

// Starting points, not measurements: a pilot run's summary gives the real figures (estimateRun).
export const DEFAULT_LAMBDA: LambdaAssumptions = {
  memoryMb: 1024,
  architecture: 'arm64',
  msPerObject: { skip: 40, update: 80, copy: 250, multipart: 1000, blocked: 40 },
  msPerGiB: { skip: 0, update: 0, copy: 8000, multipart: 2000, blocked: 0 },
};

/** Matches the multipart module's default part size. */
export const DEFAULT_PART_SIZE_BYTES = 512 * 1024 ** 2;

export interface MigrationOptions {
  readonly region?: string;
  readonly fallbackRegion?: string;
  /** The Bucket Key setting the job will use; picks `chosen`. Default true. */
  readonly bucketKey?: boolean;
  readonly bucketKeyReduction?: number;
  readonly applyFreeTier?: boolean;
  readonly lambda?: Partial<LambdaAssumptions>;
  /** Tasks carry inventory facts, so the Lambda needs no HEAD per object. Default false. */
  readonly hints?: boolean;
  /** Reads besides the HEAD per copied object (GetObjectTagging; add one where ACLs are still used). Default 1. */
  readonly extraReadsPerCopy?: number;
  readonly multipartPartSizeBytes?: number;
  /** The version a copy replaces is deleted after verification (no noncurrent storage, but early-deletion fees). */
  readonly deletePriorVersion?: boolean;
  /** Age of objects when rewritten, for minimum-duration charges. Default 0 (worst case: the whole minimum). */
  readonly objectAgeDays?: number;
}

/** Figures a finished run measured, replacing the corresponding assumptions. */
export interface MeasuredRun {
  readonly tasks?: number;
  readonly lambdaInvocations?: number;
  readonly lambdaMs?: number;
}

const routeValues = new Set<string>(Object.values(PlanRoutes));
const classValues = new Set<string>(Object.values(StorageClasses));
const isKmsSource = (s: string | undefined) => s === 'SSE-KMS' || s === 'aws:kms';
export const gb = (bytes: number) => bytes / GiB;

/** Options resolved and validated, with the price table. */
export interface Settings {
  readonly prices: RegionPrices;
  readonly lambda: LambdaAssumptions;
  readonly hints: boolean;
  readonly extraReadsPerCopy: number;
  readonly partSize: number;
  readonly versioned: boolean;
  readonly deletePriorVersion: boolean;
  readonly objectAgeDays: number;
  readonly reduction: number;
  readonly applyFreeTier: boolean;
  readonly jobs: number;
}

/** A validated plan group. */
export interface Group {
  readonly route: PlanRoute;
  readonly objects: number;
  readonly bytes: number;
  readonly storageClass: StorageClass;
  /** Objects read under an old KMS key. */
  readonly sseKmsObjects: number;
  readonly parts: number;
}

export function normaliseGroups(groups: readonly PlanGroup[], partSize: number): Group[] {
  return groups.map((g, i) => {
    const at = `groups[${i}]`;
    if (!routeValues.has(g.route))
      throw new InvalidCostInputError(`${at}.route`, `must be one of ${[...routeValues].join(', ')}`);
    const storageClass = g.storageClass ?? 'STANDARD';
    if (!classValues.has(storageClass))
      throw new InvalidCostInputError(
        `${at}.storageClass`,
        `unknown storage class "${storageClass}" (known: ${[...classValues].join(', ')})`,
      );
    const objects = count(`${at}.objects`, g.objects);
    const bytes = count(`${at}.bytes`, g.bytes);
    let parts = 0;
    if (g.route === 'multipart') {
      // Average-size approximation: exact when the group's objects are of similar size.
      parts =
        g.parts !== undefined
          ? count(`${at}.parts`, g.parts)
          : objects === 0
            ? 0
            : objects * Math.max(1, Math.ceil(bytes / objects / partSize));
    }
    const sseKmsObjects =
      g.sseKmsObjects !== undefined
        ? count(`${at}.sseKmsObjects`, g.sseKmsObjects)
        : isKmsSource(g.sourceEncryption)
          ? objects
          : 0;
    if (sseKmsObjects > objects)
      throw new InvalidCostInputError(`${at}.sseKmsObjects`, `exceeds the group's ${objects} objects`);
    return { route: g.route, objects, bytes, storageClass, sseKmsObjects, parts };
  });
}

export function settingsFrom(
  plan: MigrationPlan,
  options: MigrationOptions,
  choice: PriceTableChoice,
): Settings {
  const l = options.lambda ?? {};
  const memoryMb = count('lambda.memoryMb', l.memoryMb, DEFAULT_LAMBDA.memoryMb);
  if (memoryMb < 128 || memoryMb > 10_240)
    throw new InvalidCostInputError(
      'lambda.memoryMb',
      `must be 128–10,240 MB (Lambda limits), got ${memoryMb}`,
    );
  const architecture = l.architecture ?? DEFAULT_LAMBDA.architecture;
  if (architecture !== 'arm64' && architecture !== 'x86_64')
    throw new InvalidCostInputError('lambda.architecture', `must be arm64 or x86_64, got ${architecture}`);
  const partSize = count('multipartPartSizeBytes', options.multipartPartSizeBytes, DEFAULT_PART_SIZE_BYTES);
  if (partSize < 5 * 1024 ** 2)
    throw new InvalidCostInputError(
      'multipartPartSizeBytes',
      'must be at least 5 MiB (S3 minimum part size)',
    );
  return {
    prices: choice.prices,
    lambda: {
      memoryMb,
      architecture,
      msPerObject: { ...DEFAULT_LAMBDA.msPerObject, ...l.msPerObject },
      msPerGiB: { ...DEFAULT_LAMBDA.msPerGiB, ...l.msPerGiB },
    },
    hints: options.hints ?? false,
    extraReadsPerCopy: count('extraReadsPerCopy', options.extraReadsPerCopy, 1),
    partSize,
    versioned: plan.versioned ?? false,
    deletePriorVersion: options.deletePriorVersion ?? false,
    objectAgeDays: count('objectAgeDays', options.objectAgeDays, 0),
    reduction: fraction('bucketKeyReduction', options.bucketKeyReduction, DEFAULT_BUCKET_KEY_REDUCTION),
    applyFreeTier: options.applyFreeTier ?? false,
    jobs: count('jobs', plan.jobs, 1),
  };
}
