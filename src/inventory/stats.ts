import type { BlockReason, Decision, ExclusionReason, WorkRoute } from './filter.js';
import type { InventoryRow } from './types.js';

export interface Tally {
  objects: number;
  bytes: number;
}

/** Plan route of a row: what the per-object Lambda is expected to do with it. */
export type PlanRoute = 'skip' | WorkRoute | 'blocked';

export interface BreakdownCell extends Tally {
  readonly encryption: string;
  readonly storageClass: string;
  readonly route: PlanRoute;
}

/** Serialisable counts of one inventory (or one data file of it); `mergeStats` adds two together. */
export interface InventoryStatsJson {
  rowsScanned: number;
  /** Encryption status × storage class × route. Excluded rows are not in it. */
  breakdown: BreakdownCell[];
  byRoute: Record<PlanRoute, Tally>;
  excluded: Partial<Record<ExclusionReason, Tally>>;
  blocked: Partial<Record<BlockReason, Tally>>;
  /** Archived objects (GLACIER, DEEP_ARCHIVE, Intelligent-Tiering archive tiers) among those not compliant. */
  archived: { work: Tally; blocked: Tally };
  /** Objects needing work, split by whether the inventory row is the current version. */
  versions: { current: Tally; noncurrent: Tally };
}

const zero = (): Tally => ({ objects: 0, bytes: 0 });
const add = (t: Tally, bytes: number, objects = 1): void => {
  t.objects += objects;
  t.bytes += bytes;
};

/** The tally for `k` in `record`, created at zero when absent. */
function tallyIn<K extends string>(record: Partial<Record<K, Tally>>, k: K): Tally {
  let t = record[k];
  if (!t) {
    t = zero();
    record[k] = t;
  }
  return t;
}

const cellOrder = (a: BreakdownCell, b: BreakdownCell): number =>
  a.encryption.localeCompare(b.encryption) ||
  a.storageClass.localeCompare(b.storageClass) ||
  a.route.localeCompare(b.route);

export function emptyStats(): InventoryStatsJson {
  return {
    rowsScanned: 0,
    breakdown: [],
    byRoute: { skip: zero(), update: zero(), copy: zero(), multipart: zero(), blocked: zero() },
    excluded: {},
    blocked: {},
    archived: { work: zero(), blocked: zero() },
    versions: { current: zero(), noncurrent: zero() },
  };
}

/**
 * Accumulates counts row by row; the breakdown is kept in maps by encryption, then storage class (the
 * rows' own strings as keys, no key built per row) and materialised on `toJSON`.
 */
export class StatsCollector {
  private readonly s = emptyStats();
  private readonly cells = new Map<string, Map<string, Partial<Record<PlanRoute, BreakdownCell>>>>();

  private cell(encryption: string, storageClass: string, route: PlanRoute): BreakdownCell {
    let byClass = this.cells.get(encryption);
    if (!byClass) {
      byClass = new Map();
      this.cells.set(encryption, byClass);
    }
    let byRoute = byClass.get(storageClass);
    if (!byRoute) {
      byRoute = {};
      byClass.set(storageClass, byRoute);
    }
    let cell = byRoute[route];
    if (!cell) {
      cell = { encryption, storageClass, route, objects: 0, bytes: 0 };
      byRoute[route] = cell;
    }
    return cell;
  }

  add(row: InventoryRow, d: Decision): void {
    const bytes = row.size ?? 0;
    this.s.rowsScanned += 1;
    if (d.kind === 'excluded') {
      add(tallyIn(this.s.excluded, d.reason), bytes);
      return;
    }
    const route: PlanRoute = d.kind === 'compliant' ? 'skip' : d.kind === 'work' ? d.route : 'blocked';
    add(this.s.byRoute[route], bytes);
    add(this.cell(row.encryption ?? 'UNKNOWN', row.storageClass ?? 'UNKNOWN', route), bytes);
    if (d.kind === 'blocked') {
      add(tallyIn(this.s.blocked, d.reason), bytes);
      if (d.archived) add(this.s.archived.blocked, bytes);
    } else if (d.kind === 'work') {
      if (d.archived) add(this.s.archived.work, bytes);
      add(row.isLatest ? this.s.versions.current : this.s.versions.noncurrent, bytes);
    }
  }

  toJSON(): InventoryStatsJson {
    return {
      ...structuredClone(this.s),
      breakdown: [...this.cells.values()]
        .flatMap((byClass) => [...byClass.values()].flatMap((byRoute) => Object.values(byRoute)))
        .map((c) => ({ ...c }))
        .sort(cellOrder),
    };
  }
}

function mergeRecord<K extends string>(a: Partial<Record<K, Tally>>, b: Partial<Record<K, Tally>>) {
  const out: Partial<Record<K, Tally>> = structuredClone(a);
  for (const [k, t] of Object.entries(b) as [K, Tally][]) add(tallyIn(out, k), t.bytes, t.objects);
  return out;
}

/** Sum of two stats (used to join the per-file results of a split run). */
export function mergeStats(a: InventoryStatsJson, b: InventoryStatsJson): InventoryStatsJson {
  const cells = new Map<string, BreakdownCell>();
  for (const c of [...a.breakdown, ...b.breakdown]) {
    const k = `${c.encryption}|${c.storageClass}|${c.route}`;
    const cell = cells.get(k);
    if (cell) add(cell, c.bytes, c.objects);
    else cells.set(k, { ...c });
  }
  const sum = (x: Tally, y: Tally): Tally => ({ objects: x.objects + y.objects, bytes: x.bytes + y.bytes });
  return {
    rowsScanned: a.rowsScanned + b.rowsScanned,
    breakdown: [...cells.values()].sort(cellOrder),
    byRoute: {
      skip: sum(a.byRoute.skip, b.byRoute.skip),
      update: sum(a.byRoute.update, b.byRoute.update),
      copy: sum(a.byRoute.copy, b.byRoute.copy),
      multipart: sum(a.byRoute.multipart, b.byRoute.multipart),
      blocked: sum(a.byRoute.blocked, b.byRoute.blocked),
    },
    excluded: mergeRecord(a.excluded, b.excluded),
    blocked: mergeRecord(a.blocked, b.blocked),
    archived: {
      work: sum(a.archived.work, b.archived.work),
      blocked: sum(a.archived.blocked, b.archived.blocked),
    },
    versions: {
      current: sum(a.versions.current, b.versions.current),
      noncurrent: sum(a.versions.noncurrent, b.versions.noncurrent),
    },
  };
}
