import type { InventoryStatsJson, Tally } from '../inventory/stats.js';

/**
 * What a cost model needs from a plan, in one structured place: objects and bytes per route and
 * storage class, how many came from SSE-KMS, and whether versions are involved. The full model
 * (src/cost) consumes this; `estimateKmsRequests` below is the stand-in until it is wired.
 */
export interface CostInputs {
  readonly region: string;
  /** Target Bucket Key state. */
  readonly bucketKey: boolean;
  /** The inventory lists every version (copies in versioned buckets leave the old version billed). */
  readonly versioned: boolean;
  readonly routes: Readonly<Record<'update' | 'copy' | 'multipart', RouteInputs>>;
  readonly skipped: Tally;
  readonly blocked: Tally;
  /** Batch jobs the plan creates (each costs a job fee). */
  readonly jobs: number;
  /** Tasks across those jobs. */
  readonly tasks: number;
}

export interface RouteInputs extends Tally {
  readonly byStorageClass: Readonly<Record<string, Tally>>;
  /** Of these, objects currently under SSE-KMS (reading them costs a KMS Decrypt). */
  readonly fromSseKms: Tally;
}

export interface CostEstimate {
  /** Which estimator produced it, so a reader knows how much to trust it. */
  readonly model: string;
  readonly currency: 'USD';
  readonly total: number;
  readonly lines: readonly { readonly item: string; readonly quantity: number; readonly usd: number }[];
  readonly notes: readonly string[];
}

export type CostEstimator = (inputs: CostInputs) => CostEstimate;

export function costInputsFromStats(
  stats: InventoryStatsJson,
  context: { region: string; bucketKey: boolean; versioned: boolean; jobs: number; tasks: number },
): CostInputs {
  const route = (r: 'update' | 'copy' | 'multipart'): RouteInputs => {
    const byStorageClass: Record<string, Tally> = {};
    const fromSseKms: Tally = { objects: 0, bytes: 0 };
    for (const c of stats.breakdown) {
      if (c.route !== r) continue;
      const t = byStorageClass[c.storageClass] ?? { objects: 0, bytes: 0 };
      byStorageClass[c.storageClass] = t;
      t.objects += c.objects;
      t.bytes += c.bytes;
      if (c.encryption === 'SSE-KMS') {
        fromSseKms.objects += c.objects;
        fromSseKms.bytes += c.bytes;
      }
    }
    return { ...stats.byRoute[r], byStorageClass, fromSseKms };
  };
  return {
    ...context,
    routes: { update: route('update'), copy: route('copy'), multipart: route('multipart') },
    skipped: { ...stats.byRoute.skip },
    blocked: { ...stats.byRoute.blocked },
  };
}

/** KMS symmetric request price (aws-facts §6.6, same in us-east-1 and eu-west-2). */
const USD_PER_KMS_REQUEST = 0.03 / 10_000;
/** Part size assumed for multipart copies when only total bytes are known. */
const ASSUMED_PART_BYTES = 512 * 1024 * 1024;
/** Bucket Keys cut S3's KMS calls for the target key by "up to 99 %" (aws-facts §6.2). */
const BUCKET_KEY_FACTOR = 0.01;

/**
 * Plain KMS request estimate, an upper bound: per written object one GenerateDataKey for the
 * target key (plus one per part on multipart copies), plus one Decrypt per SSE-KMS source read. Ignores
 * the free tier and every non-KMS charge; the cost module replaces it.
 */
export function estimateKmsRequests(inputs: CostInputs): CostEstimate {
  const { update, copy, multipart } = inputs.routes;
  // A multipart copy asks for a data key when it starts and uses the key again for every part.
  const multipartRequests = multipart.objects + Math.ceil(multipart.bytes / ASSUMED_PART_BYTES);
  const targetSide = update.objects + copy.objects + multipartRequests;
  const target = inputs.bucketKey ? Math.ceil(targetSide * BUCKET_KEY_FACTOR) : targetSide;
  const source = update.fromSseKms.objects + copy.fromSseKms.objects + multipart.fromSseKms.objects;
  const lines = [
    { item: 'KMS requests for the target key', quantity: target, usd: target * USD_PER_KMS_REQUEST },
    { item: 'KMS Decrypt of SSE-KMS sources', quantity: source, usd: source * USD_PER_KMS_REQUEST },
  ];
  return {
    model: 'kms-requests-only',
    currency: 'USD',
    total: lines.reduce((a, l) => a + l.usd, 0),
    lines,
    notes: [
      'KMS request charges only ($0.03 per 10,000); S3 requests, Batch and Lambda charges not included',
      inputs.bucketKey
        ? 'target-key requests reduced by 99 % for S3 Bucket Keys (an optimistic figure)'
        : 'no S3 Bucket Key: one target-key request per object written',
    ],
  };
}
