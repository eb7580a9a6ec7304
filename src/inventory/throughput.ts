import type { Readable } from 'node:stream';
import { encodeHintedKey } from '../batch/task-hints.js';
import { hintColumns, taskHints } from '../manifest/manifest-set.js';
import { csvGzRowBatches } from './csv-rows.js';
import type { InventoryField } from './fields.js';
import { classifyRow, type SelectionOptions } from './filter.js';
import { type InventoryStatsJson, StatsCollector } from './stats.js';

export interface FilterMeasurement {
  readonly rows: number;
  readonly selected: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  /** CPU time used (user + system): on a busy machine rows per CPU second is the steadier figure. */
  readonly cpuSeconds: number;
  readonly rowsPerCpuSecond: number;
  /** Highest resident set size sampled while filtering (every 50,000 rows and at the end). */
  readonly peakRssBytes: number;
  readonly stats: InventoryStatsJson;
}

/**
 * Runs the trigger's per-row work on one CSV.gz data file — gunzip, CSV parse, key decoding,
 * classification, counting and task-hint encoding — without S3 output, and times it. The benchmark
 * and the split threshold (SINGLE_RUN_MAX_BYTES) are based on this figure.
 */
export async function measureFilter(
  body: Readable,
  columns: readonly (InventoryField | null)[],
  options: SelectionOptions,
  label = 'inventory',
): Promise<FilterMeasurement> {
  const stats = new StatsCollector();
  const hints = hintColumns(columns);
  let rows = 0;
  let selected = 0;
  let peak = process.memoryUsage().rss;
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  let sampled = 0;
  for await (const batch of csvGzRowBatches(body, columns, label)) {
    for (const row of batch) {
      const d = classifyRow(row, options);
      stats.add(row, d);
      if (d.kind === 'work') {
        selected += 1;
        // The manifest writer's per-row cost: the hinted key field (or its fallback).
        encodeHintedKey(taskHints(row, d.locked, hints));
      }
    }
    rows += batch.length;
    if (rows - sampled >= 50_000) {
      sampled = rows;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  peak = Math.max(peak, process.memoryUsage().rss);
  return {
    rows,
    selected,
    seconds,
    rowsPerSecond: rows / seconds,
    cpuSeconds,
    rowsPerCpuSecond: rows / cpuSeconds,
    peakRssBytes: peak,
    stats: stats.toJSON(),
  };
}
