import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Bundled benches run from bench/work/; scripts/bench.mjs passes the repository root.
export const repoRoot = process.env.BENCH_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..');
export const benchRoot = join(repoRoot, 'bench');
export const resultsDir = join(benchRoot, 'results');

export interface Stats {
  readonly min: number;
  readonly median: number;
  readonly max: number;
  readonly runs: readonly number[];
}

export function stats(values: readonly number[]): Stats {
  if (values.length === 0) throw new Error('no measurements');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]!, runs: values };
}

export const machine = () => ({
  cores: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 1024 ** 3),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  // Other work on the machine skews every figure; the 1-minute load average when the result was written.
  loadAverage1m: loadavg()[0],
});

export interface BenchResult {
  /** What is measured, in one line. */
  readonly title: string;
  /** Unit of the headline numbers, e.g. "rows/s". */
  readonly unit: string;
  /** Headline: our measurement. */
  readonly ours: Stats;
  /** The alternative measured in the same run, when there is one. */
  readonly comparison?: { readonly name: string; readonly stats: Stats; readonly command?: string };
  /** ours.median / comparison.median (or the inverse for "lower is better", stated in `ratioMeaning`). */
  readonly ratio?: number;
  readonly ratioMeaning?: string;
  readonly target?: string;
  readonly targetMet?: boolean;
  /** Opt-in settings measured in the same run against the same comparison (a README row each). */
  readonly variants?: readonly {
    readonly label: string;
    readonly ours: Stats;
    readonly ratio?: number;
    readonly targetMet?: boolean;
    /** What the target cell says for this variant instead of `target`. */
    readonly caveat?: string;
  }[];
  readonly commands: readonly string[];
  readonly details?: Record<string, unknown>;
  readonly notes?: string;
}

/** Writes bench/results/<name>.json with the machine facts and a timestamp. */
export function writeResult(name: string, result: BenchResult): string {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, `${name}.json`);
  writeFileSync(
    path,
    `${JSON.stringify({ name, at: new Date().toISOString(), machine: machine(), ...result }, null, 2)}\n`,
  );
  process.stdout.write(
    `${name}: ${result.title}: median ${fmt(result.ours.median)} ${result.unit}` +
      (result.ratio !== undefined
        ? `, ratio ${result.ratio.toFixed(2)} (${result.ratioMeaning ?? ''})`
        : '') +
      `\n`,
  );
  return path;
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(3));

export async function timeIt<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}
