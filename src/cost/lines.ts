import { freeTierCredit, withReduction } from './common.js';
import { formatNumber, type LineItem, lineItem } from './line-item.js';
import { type Group, gb, type MeasuredRun, type Settings } from './plan.js';
import type { StorageClass } from './prices.js';

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

export const sum = (gs: readonly Group[], f: (g: Group) => number) => gs.reduce((a, g) => a + f(g), 0);

export function s3Lines(groups: readonly Group[], s: Settings): LineItem[] {
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

export function storageLines(groups: readonly Group[], s: Settings): LineItem[] {
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

export interface KmsCalls {
  readonly target: number;
  readonly source: number;
  readonly parts: string;
}

/**
 * KMS calls without Bucket Keys. Target key: one GenerateDataKey per written object (update: one wrap under
 * the new key), plus one per multipart part (each UploadPartCopy needs the upload's data key). Source key: one
 * Decrypt per SSE-KMS object read (per part for multipart). An inference from aws-facts §6.5, not a measurement.
 */
export function kmsCalls(groups: readonly Group[]): KmsCalls {
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

export function kmsLines(calls: KmsCalls, s: Settings, bucketKeys: boolean): LineItem[] {
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

export function batchLines(tasks: number, s: Settings): LineItem[] {
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

export function lambdaLines(
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
