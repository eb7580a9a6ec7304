// The inventory filter measured in a child process (so its peak RSS is its own), plus the stages it is made
// of, to show what bounds it: gunzip alone, gunzip + csv-parse alone, and a prototype line splitter that
// replaces csv-parse for the quoting S3 Inventory uses (bench-only: not product code).
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { encodeHintedKey } from '../../src/batch/task-hints.js';
import type { InventoryField } from '../../src/inventory/fields.js';
import { classifyRow, type SelectionOptions } from '../../src/inventory/filter.js';
import { buildRow } from '../../src/inventory/row.js';
import { StatsCollector } from '../../src/inventory/stats.js';
import { syntheticColumns } from '../../src/inventory/synthetic.js';
import { measureFilter } from '../../src/inventory/throughput.js';
import { taskHints } from '../../src/manifest/manifest-set.js';

export const Stages = {
  filter: 'filter',
  gunzip: 'gunzip',
  csvParse: 'csv-parse',
  fastSplit: 'fast-split',
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

async function csvParseOnly(body: Readable): Promise<number> {
  const parser = body.pipe(createGunzip()).pipe(parse({ relax_column_count: true, skip_empty_lines: true }));
  let rows = 0;
  for await (const _ of parser as AsyncIterable<string[]>) rows++;
  return rows;
}

/** Lines of the gunzipped stream, UTF-8 decoded across chunk boundaries. */
async function* lines(body: Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of body.pipe(createGunzip()) as AsyncIterable<Buffer>) {
    const text = rest + decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      if (nl > start) yield text.slice(start, nl);
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  rest += decoder.end();
  if (rest) yield rest;
}

/**
 * The filter's per-row work (row building with key decoding, classification, counting, task hints) fed by
 * a splitter for S3 Inventory's CSV: every value double-quoted, keys URL-encoded. A line that holds an
 * escaped quote goes to csv-parse, so the result is the same for any valid file.
 */
async function fastSplit(body: Readable, columns: readonly InventoryField[]) {
  const index = new Map(columns.map((c, i) => [c, i]));
  const options = { keyEncoded: true, hasVersions: index.has('VersionId') };
  const stats = new StatsCollector();
  let rows = 0;
  let selected = 0;
  for await (const line of lines(body)) {
    rows++;
    let fields =
      line.length > 1 && line[0] === '"' && line.endsWith('"') ? line.slice(1, -1).split('","') : [];
    // A quote left inside a value means escaping (or no quoting): csv-parse reads that line.
    if (fields.length === 0 || fields.some((f) => f.includes('"')))
      fields = (parseSync(line) as string[][])[0]!;
    if (fields.length !== columns.length) throw new Error(`row ${rows} has ${fields.length} columns`);
    const row = buildRow(
      (f) => {
        const i = index.get(f);
        return i === undefined ? undefined : fields[i];
      },
      options,
      { file: 'inventory', row: rows },
    );
    const d = classifyRow(row, SELECTION);
    stats.add(row, d);
    if (d.kind === 'work') {
      selected++;
      encodeHintedKey(taskHints(row, d.locked));
    }
  }
  return { rows, selected };
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
    } else if (stage === 'fast-split') {
      ({ rows, selected } = await fastSplit(body, columns));
    } else if (stage === 'csv-parse') {
      rows = await csvParseOnly(body);
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
