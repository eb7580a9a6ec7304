import {
  bucketKeyAssumption,
  count,
  DEFAULT_BUCKET_KEY_REDUCTION,
  fraction,
  freeTierAssumption,
  freeTierCredit,
  GiB,
  hasUnconfirmed,
  withReduction,
} from './common.js';
import { InvalidCostInputError } from './errors.js';
import {
  type Assumption,
  breakdown,
  type CostEstimate,
  formatNumber,
  type LineItem,
  lineItem,
  sourcesOf,
} from './line-item.js';
import {
  type Architecture,
  type PriceTableChoice,
  priceTable,
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
const gb = (bytes: number) => bytes / GiB;

interface Settings {
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

interface Group {
  readonly route: PlanRoute;
  readonly objects: number;
  readonly bytes: number;
  readonly storageClass: StorageClass;
  /** Objects read under an old KMS key. */
  readonly sseKmsObjects: number;
  readonly parts: number;
}

function normaliseGroups(groups: readonly PlanGroup[], partSize: number): Group[] {
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

const isCopy = (g: Group) => g.route === 'copy' || g.route === 'multipart';

function byClass(groups: readonly Group[], pick: (g: Group) => boolean): Map<StorageClass, Group[]> {
  const m = new Map<StorageClass, Group[]>();
  for (const g of groups) {
    if (!pick(g)) continue;
    const list = m.get(g.storageClass) ?? [];
    list.push(g);
    m.set(g.storageClass, list);
  }
  return m;
}

const sum = (gs: readonly Group[], f: (g: Group) => number) => gs.reduce((a, g) => a + f(g), 0);

function s3Lines(groups: readonly Group[], s: Settings): LineItem[] {
  const lines: LineItem[] = [];
  const heads = s.hints ? 0 : 1;
  for (const [cls, gs] of byClass(groups, (g) => g.objects > 0)) {
    const p = s.prices.s3.classes[cls];
    const objects = sum(gs, (g) => g.objects);
    const copied = sum(
      gs.filter((g) => isCopy(g)),
      (g) => g.objects,
    );
    const reads = objects * heads + copied * s.extraReadsPerCopy;
    if (reads > 0)
      lines.push(
        lineItem({
          id: `s3.reads.${cls}`,
          category: 's3-requests',
          recurrence: 'one-time',
          label: `HEAD and tag reads (${cls})`,
          quantity: reads,
          price: p.tier2,
          inputs: {
            objects,
            headsPerObject: heads,
            copiedObjects: copied,
            extraReadsPerCopy: s.extraReadsPerCopy,
          },
          formula: `${formatNumber(objects)} objects × ${heads} HEAD + ${formatNumber(copied)} copies × ${
            s.extraReadsPerCopy
          } extra read`,
        }),
      );
    const singles = sum(
      gs.filter((g) => g.route === 'copy'),
      (g) => g.objects,
    );
    const mpObjects = sum(
      gs.filter((g) => g.route === 'multipart'),
      (g) => g.objects,
    );
    const parts = sum(
      gs.filter((g) => g.route === 'multipart'),
      (g) => g.parts,
    );
    const writes = singles + mpObjects * 2 + parts;
    if (writes > 0)
      lines.push(
        lineItem({
          id: `s3.writes.${cls}`,
          category: 's3-requests',
          recurrence: 'one-time',
          label: `CopyObject and multipart copy requests (${cls} rate)`,
          quantity: writes,
          price: p.tier1,
          inputs: { copyObjects: singles, multipartObjects: mpObjects, uploadPartCopies: parts },
          formula: `${formatNumber(singles)} CopyObject + ${formatNumber(mpObjects)} × 2 (create, complete) + ${formatNumber(
            parts,
          )} UploadPartCopy`,
        }),
      );
    const copiedBytes = sum(
      gs.filter((g) => isCopy(g)),
      (g) => g.bytes,
    );
    if (copiedBytes > 0 && p.retrieval.usd > 0)
      lines.push(
        lineItem({
          id: `s3.retrieval.${cls}`,
          category: 's3-retrieval',
          recurrence: 'one-time',
          label: `Retrieval of copied ${cls} data`,
          quantity: gb(copiedBytes),
          price: p.retrieval,
          inputs: { copiedBytes },
          formula: `${formatNumber(copiedBytes)} bytes / 2^30`,
        }),
      );
  }
  const updates = sum(
    groups.filter((g) => g.route === 'update'),
    (g) => g.objects,
  );
  if (updates > 0)
    lines.push(
      lineItem({
        id: 's3.update-object-encryption',
        category: 's3-requests',
        recurrence: 'one-time',
        label: 'UpdateObjectEncryption requests (S3 Standard PUT rate for every class)',
        quantity: updates,
        price: s.prices.s3.updateObjectEncryption,
        inputs: { updatedObjects: updates },
      }),
    );
  return lines;
}

function storageLines(groups: readonly Group[], s: Settings): LineItem[] {
  const lines: LineItem[] = [];
  const keepsOld = s.versioned && !s.deletePriorVersion;
  for (const [cls, gs] of byClass(groups, (g) => isCopy(g) && g.objects > 0)) {
    const p = s.prices.s3.classes[cls];
    const objects = sum(gs, (g) => g.objects);
    const bytes = sum(gs, (g) => g.bytes);
    // Small objects in IA/Glacier IR are billed as 128 KiB; exact when all are above or all below it.
    const billedBytes = Math.max(bytes, objects * p.minimumBillableBytes);
    if (keepsOld) {
      lines.push(
        lineItem({
          id: `storage.noncurrent.${cls}`,
          category: 'storage',
          recurrence: 'monthly',
          label: `Old versions left by copies in a versioned bucket (${cls}), per month until expired`,
          quantity: gb(billedBytes),
          price: p.storage,
          inputs: { objects, bytes, billedBytes },
          formula: `${formatNumber(billedBytes)} bytes / 2^30`,
        }),
      );
    } else if (p.minimumDays > 0) {
      const days = Math.max(0, p.minimumDays - s.objectAgeDays);
      if (days > 0)
        lines.push(
          lineItem({
            id: `storage.early-deletion.${cls}`,
            category: 'storage',
            recurrence: 'one-time',
            label: `Minimum-duration charge for ${cls} objects replaced by a copy`,
            quantity: (gb(billedBytes) * days) / 30,
            price: p.storage,
            inputs: {
              objects,
              bytes,
              billedBytes,
              minimumDays: p.minimumDays,
              objectAgeDays: s.objectAgeDays,
            },
            formula: `${formatNumber(billedBytes)} bytes / 2^30 × (${p.minimumDays} − ${s.objectAgeDays}) days / 30`,
          }),
        );
    }
  }
  return lines;
}

interface KmsCalls {
  readonly target: number;
  readonly source: number;
  readonly parts: string;
}

/**
 * KMS calls without Bucket Keys. Target key: one GenerateDataKey per written object (update: one wrap under
 * the new key), plus one per multipart part (each UploadPartCopy needs the upload's data key). Source key: one
 * Decrypt per SSE-KMS object read (per part for multipart). An inference from aws-facts §6.5, not a measurement.
 */
function kmsCalls(groups: readonly Group[]): KmsCalls {
  let target = 0;
  let source = 0;
  const bits: string[] = [];
  for (const g of groups) {
    if (g.objects === 0) continue;
    if (g.route === 'update' || g.route === 'copy') {
      target += g.objects;
      source += g.sseKmsObjects;
    } else if (g.route === 'multipart') {
      target += g.objects + g.parts;
      // Parts of SSE-KMS sources, assuming they are of average size.
      source += Math.round((g.parts * g.sseKmsObjects) / g.objects);
    }
  }
  const t = groups.filter((g) => g.route === 'update' || g.route === 'copy');
  const m = groups.filter((g) => g.route === 'multipart');
  if (t.length) bits.push(`${formatNumber(sum(t, (g) => g.objects))} single writes`);
  if (m.length)
    bits.push(
      `${formatNumber(sum(m, (g) => g.objects))} multipart objects + ${formatNumber(sum(m, (g) => g.parts))} parts`,
    );
  return { target, source, parts: bits.join(' + ') || '0 writes' };
}

function kmsLines(calls: KmsCalls, s: Settings, bucketKeys: boolean): LineItem[] {
  const lines: LineItem[] = [];
  const price = s.prices.kms.requests;
  const target = bucketKeys ? withReduction(calls.target, s.reduction) : calls.target;
  if (calls.target > 0)
    lines.push(
      lineItem({
        id: 'kms.target-key-requests',
        category: 'kms',
        recurrence: 'one-time',
        label: bucketKeys
          ? 'KMS requests on the target key, with S3 Bucket Keys'
          : 'KMS requests on the target key',
        quantity: target,
        price,
        inputs: {
          callsWithoutBucketKeys: calls.target,
          ...(bucketKeys ? { bucketKeyReduction: s.reduction } : {}),
        },
        formula: bucketKeys ? `ceil((${calls.parts}) × (1 − ${s.reduction}))` : calls.parts,
      }),
    );
  if (calls.source > 0)
    lines.push(
      lineItem({
        id: 'kms.source-key-requests',
        category: 'kms',
        recurrence: 'one-time',
        label: 'KMS Decrypt of SSE-KMS sources under their old key (no Bucket Key assumed on the sources)',
        quantity: calls.source,
        price,
        inputs: { sseKmsSourceReads: calls.source },
      }),
    );
  if (s.applyFreeTier) {
    const credit = freeTierCredit({
      id: 'kms.free-tier',
      label: 'KMS free tier',
      used: target + calls.source,
      allowance: s.prices.kms.freeRequests.quantity,
      price,
      recurrence: 'one-time',
    });
    if (credit) lines.push(credit);
  }
  return lines;
}

function batchLines(tasks: number, s: Settings): LineItem[] {
  if (tasks === 0) return [];
  return [
    lineItem({
      id: 'batch.jobs',
      category: 'batch',
      recurrence: 'one-time',
      label: 'S3 Batch Operations jobs',
      quantity: s.jobs,
      price: s.prices.batch.perJob,
      inputs: { jobs: s.jobs },
    }),
    lineItem({
      id: 'batch.objects',
      category: 'batch',
      recurrence: 'one-time',
      label: 'S3 Batch Operations objects processed',
      quantity: tasks,
      price: s.prices.batch.perObject,
      inputs: { tasks },
    }),
  ];
}

function lambdaLines(
  groups: readonly Group[],
  tasks: number,
  s: Settings,
  measured: MeasuredRun,
): LineItem[] {
  if (tasks === 0) return [];
  const { lambda } = s;
  const invocations = measured.lambdaInvocations ?? tasks;
  const ms =
    measured.lambdaMs ??
    groups.reduce(
      (a, g) => a + g.objects * lambda.msPerObject[g.route] + gb(g.bytes) * lambda.msPerGiB[g.route],
      0,
    );
  const gbSeconds = ((ms / 1000) * lambda.memoryMb) / 1024;
  const msSource = measured.lambdaMs !== undefined ? 'measured' : 'estimated from msPerObject and msPerGiB';
  const lines = [
    lineItem({
      id: 'lambda.requests',
      category: 'lambda',
      recurrence: 'one-time',
      label: 'Lambda invocations',
      quantity: invocations,
      price: s.prices.lambda.requests,
      inputs: { invocations, measured: measured.lambdaInvocations !== undefined },
    }),
    lineItem({
      id: 'lambda.duration',
      category: 'lambda',
      recurrence: 'one-time',
      label: `Lambda duration (${lambda.architecture}, ${lambda.memoryMb} MB)`,
      quantity: gbSeconds,
      price: s.prices.lambda.gbSecond[lambda.architecture],
      inputs: { milliseconds: ms, memoryMb: lambda.memoryMb, architecture: lambda.architecture, msSource },
      formula: `${formatNumber(ms)} ms / 1000 × ${lambda.memoryMb} MB / 1024`,
    }),
  ];
  if (s.applyFreeTier) {
    const a = freeTierCredit({
      id: 'lambda.free-tier.requests',
      label: 'Lambda free tier (requests)',
      used: invocations,
      allowance: s.prices.lambda.freeRequests.quantity,
      price: s.prices.lambda.requests,
      recurrence: 'one-time',
    });
    const b = freeTierCredit({
      id: 'lambda.free-tier.duration',
      label: 'Lambda free tier (GB-seconds)',
      used: gbSeconds,
      allowance: s.prices.lambda.freeGbSeconds.quantity,
      price: s.prices.lambda.gbSecond[lambda.architecture],
      recurrence: 'one-time',
    });
    if (a) lines.push(a);
    if (b) lines.push(b);
  }
  return lines;
}

function settingsFrom(plan: MigrationPlan, options: MigrationOptions, choice: PriceTableChoice): Settings {
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

function assumptionsOf(s: Settings, measured: MeasuredRun): Assumption[] {
  const a: Assumption[] = [
    {
      name: 'gigabyte',
      value: '2^30 bytes',
      note: 'S3 bills storage and retrieval per GB of 2^30 bytes; a month is 30 days for minimum durations',
    },
    {
      name: 'headsPerObject',
      value: s.hints ? 0 : 1,
      note: s.hints ? 'tasks carry inventory facts, so no HEAD first' : 'one HEAD per task before deciding',
    },
    {
      name: 'extraReadsPerCopy',
      value: s.extraReadsPerCopy,
      note: 'GetObjectTagging (and ACL reads) per copy',
    },
    {
      name: 'multipartPartSizeBytes',
      value: s.partSize,
      note: 'parts per multipart object = ceil(average size / part size) unless the run counted them',
    },
    {
      name: 'kmsCallsPerWrite',
      value: 1,
      note:
        'one KMS call on the target key per object written and per multipart part, one Decrypt per SSE-KMS ' +
        'source read (per part for multipart); inferred from aws-facts §6.5, UNCONFIRMED for UpdateObjectEncryption',
    },
    bucketKeyAssumption(s.reduction),
    freeTierAssumption(s.applyFreeTier),
    { name: 'versioned', value: s.versioned, note: 'a copy in a versioned bucket keeps the old version' },
    {
      name: 'deletePriorVersion',
      value: s.deletePriorVersion,
      note: 'the old version is deleted after the copy is verified',
    },
    {
      name: 'objectAgeDays',
      value: s.objectAgeDays,
      note: 'age of rewritten objects; 0 charges the whole minimum duration (upper bound)',
    },
    { name: 'lambda.memoryMb', value: s.lambda.memoryMb, note: 'memory of the re-encrypt function' },
    {
      name: 'lambda.architecture',
      value: s.lambda.architecture,
      note: 'the function runs on arm64 by default',
    },
  ];
  if (measured.lambdaMs === undefined)
    a.push({
      name: 'lambda.msPerObject',
      value: JSON.stringify({ perObject: s.lambda.msPerObject, perGiB: s.lambda.msPerGiB }),
      note: 'billed milliseconds per object by route plus per GiB copied; replace with a pilot run’s figures',
    });
  return a;
}

/** Shared by the plan estimate and the after-run estimate. */
export function estimateFromGroups(
  kind: 'migration' | 'run',
  plan: MigrationPlan,
  options: MigrationOptions,
  measured: MeasuredRun = {},
): CostEstimate {
  const choice = priceTable(options.region, {
    ...(options.fallbackRegion ? { fallbackRegion: options.fallbackRegion } : {}),
  });
  const s = settingsFrom(plan, options, choice);
  const groups = normaliseGroups(plan.groups, s.partSize);
  const tasks = measured.tasks ?? sum(groups, (g) => g.objects);
  const common = [
    ...s3Lines(groups, s),
    ...storageLines(groups, s),
    ...batchLines(tasks, s),
    ...lambdaLines(groups, tasks, s, measured),
  ];
  const calls = kmsCalls(groups);
  const withoutBucketKeys = breakdown([...kmsLines(calls, s, false), ...common]);
  const withBucketKeys = breakdown([...kmsLines(calls, s, true), ...common]);
  const all = [...withoutBucketKeys.lines, ...withBucketKeys.lines];
  return {
    kind,
    region: choice.prices.region,
    requestedRegion: choice.requestedRegion,
    substitutedRegion: choice.substituted,
    currency: 'USD',
    assumptions: assumptionsOf(s, measured),
    withoutBucketKeys,
    withBucketKeys,
    chosen: (options.bucketKey ?? true) ? 'withBucketKeys' : 'withoutBucketKeys',
    usesUnconfirmedPrices: hasUnconfirmed(all),
    sources: sourcesOf(all),
  };
}

/**
 * One-time cost of re-encrypting a plan: S3 requests by class, KMS calls with and without Bucket Keys, Batch
 * fees, Lambda time, and the side effects (old versions kept by copies, minimum-duration charges).
 */
export const estimateMigration = (plan: MigrationPlan, options: MigrationOptions = {}): CostEstimate =>
  estimateFromGroups('migration', plan, options);
