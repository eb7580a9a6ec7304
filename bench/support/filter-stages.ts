// The inventory filter measured in a child process (so its peak RSS is its own), plus the stages it is made
// of, to show what bounds it: gunzip alone and the trigger's row reader alone (gunzip + csv-parse + row
// building with key decoding, no classification).
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { csvGzRows } from '../../src/inventory/csv-rows.js';
import type { InventoryField } from '../../src/inventory/fields.js';
import type { SelectionOptions } from '../../src/inventory/filter.js';
import { syntheticColumns } from '../../src/inventory/synthetic.js';
import { measureFilter } from '../../src/inventory/throughput.js';

export const Stages = {
  filter: 'filter',
  gunzip: 'gunzip',
  readRows: 'read-rows',
} as const;
export type Stage = (typeof Stages)[keyof typeof Stages];

/** What the trigger is configured with by default, on AWS (UpdateObjectEncryption available). */
export const SELECTION: SelectionOptions = Object.freeze({
  includePrefixes: [],
  excludePrefixes: [],
  versions: 'current',
  reencryptAllSseKms: false,
  bucketKey: true,
  strategy: 'auto',
  updateAvailable: true,
  multipartThresholdBytes: 5 * 1024 ** 3,
  now: new Date('2026-01-01T00:00:00Z'),
});

export interface StageResult {
  readonly stage: Stage;
  readonly rows: number;
  /** Rows the filter keeps for a job (work); -1 for stages that do not classify. */
  readonly selected: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  /** Sampled process.memoryUsage().rss peak; the parent also reads the kernel's figure. */
  readonly sampledPeakRssBytes: number;
}

async function gunzipOnly(body: Readable): Promise<number> {
  let lines = 0;
  for await (const chunk of body.pipe(createGunzip()) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return lines;
}

/** csvGzRows alone. (A bare csv-parse loop is no baseline: an idle consumer makes the stream iterator wait per record.) */
async function readRowsOnly(body: Readable, columns: readonly InventoryField[]): Promise<number> {
  let rows = 0;
  for await (const _ of csvGzRows(body, columns, 'inventory')) rows++;
  return rows;
}

/** Runs one stage over `file` in this process and reports it. */
export async function runStage(stage: Stage, file: string): Promise<StageResult> {
  const columns = syntheticColumns(true);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const body = createReadStream(file, { highWaterMark: 256 * 1024 });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let rows: number;
  let selected = -1;
  try {
    if (stage === 'filter') {
      const m = await measureFilter(body, columns, SELECTION, file);
      rows = m.rows;
      selected = m.selected;
      peak = Math.max(peak, m.peakRssBytes);
    } else if (stage === 'read-rows') {
      rows = await readRowsOnly(body, columns);
    } else {
      rows = await gunzipOnly(body);
    }
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  peak = Math.max(peak, process.memoryUsage().rss);
  return {
    stage,
    rows,
    selected,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    sampledPeakRssBytes: peak,
  };
}
