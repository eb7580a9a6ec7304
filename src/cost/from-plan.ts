import type { CostInputs } from '../manifest/plan-estimate.js';
import type { MigrationPlan, PlanGroup, PlanRoute } from './migration.js';
import { type StorageClass, StorageClasses } from './prices.js';

const known = new Set<string>(Object.values(StorageClasses));

/**
 * Inventory classes without a price table of their own are priced as STANDARD (REDUCED_REDUNDANCY, OUTPOSTS,
 * EXPRESS_ONEZONE…); the list of such classes goes into the estimate's notes via `substitutedClasses`.
 */
export function priceableClass(storageClass: string): StorageClass {
  return known.has(storageClass) ? (storageClass as StorageClass) : 'STANDARD';
}

/** Splits `total` over `weights` in whole numbers that add up exactly (largest remainder). */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, w) => a + w, 0);
  if (sum === 0) return weights.map(() => 0);
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, v) => a + v, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left--;
  }
  return out;
}

/**
 * The cost model's plan from the trigger's CostInputs (src/manifest/plan-estimate.ts): one group per route and
 * storage class. SSE-KMS sources are known per route only, so they are spread over its classes by object count.
 */
export function planFromCostInputs(inputs: CostInputs): MigrationPlan & { substitutedClasses: string[] } {
  const groups: PlanGroup[] = [];
  const substituted = new Set<string>();
  for (const route of ['update', 'copy', 'multipart'] as const satisfies readonly PlanRoute[]) {
    const r = inputs.routes[route];
    const classes = Object.entries(r.byStorageClass).filter(([, t]) => t.objects > 0);
    const kms = apportion(
      r.fromSseKms.objects,
      classes.map(([, t]) => t.objects),
    );
    classes.forEach(([cls, t], i) => {
      const storageClass = priceableClass(cls);
      if (storageClass !== cls) substituted.add(cls);
      groups.push({ route, objects: t.objects, bytes: t.bytes, storageClass, sseKmsObjects: kms[i] ?? 0 });
    });
  }
  if (inputs.skipped.objects > 0)
    groups.push({ route: 'skip', objects: inputs.skipped.objects, bytes: inputs.skipped.bytes });
  if (inputs.blocked.objects > 0)
    groups.push({ route: 'blocked', objects: inputs.blocked.objects, bytes: inputs.blocked.bytes });
  return {
    groups,
    versioned: inputs.versioned,
    jobs: inputs.jobs,
    substitutedClasses: [...substituted].sort(),
  };
}
