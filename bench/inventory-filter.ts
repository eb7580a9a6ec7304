// Inventory filter: rows/s and peak RSS of the trigger's per-row work (gunzip → csv-parse → row with key
// decoding → classification → counts → task hints; src/inventory/throughput.ts) on generated CSV.gz
// inventories of 1 and 5 million rows read from a file stream, each run in its own child process under
// /usr/bin/time (the kernel's peak RSS), against `zcat | awk` counting the same rows in the same run.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type SyntheticCounts, writeSyntheticCsvGz } from '../src/inventory/synthetic.js';
import { benchRoot, type Stats, stats, writeResult } from './lib.js';
import { runStage, type Stage, type StageResult } from './support/filter-stages.js';

const SIZES = (process.env.BENCH_FILTER_ROWS ?? '1000000,5000000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SEED = 7;
const MiB = 1024 ** 2;
const TARGET_RATIO = 0.7;
const TARGET_RSS_MB = 200;

/**
 * The filter's selection in awk, over the synthetic column order (Bucket, Key, VersionId, IsLatest,
 * IsDeleteMarker, Size, LastModifiedDate, ETag, StorageClass, IsMultipartUploaded, EncryptionStatus,
 * ObjectLockRetainUntilDate, ObjectLockMode, ObjectLockLegalHoldStatus, IntelligentTieringAccessTier,
 * BucketKeyStatus, ChecksumAlgorithm): current versions, no delete markers, SSE-C and DSSE-KMS blocked,
 * SSE-KMS with Bucket Key compliant, encrypted → update, unencrypted and archived → blocked. Splitting on
 * `","` is exact here because keys are URL-encoded.
 */
const AWK = [
  'BEGIN { FS = "\\",\\"" }',
  '{ n++ }',
  '$5 == "true" || $4 != "true" { next }',
  '$11 == "SSE-C" || $11 == "DSSE-KMS" { next }',
  '$11 == "SSE-KMS" && $16 == "ENABLED" { next }',
  '$11 == "SSE-S3" || $11 == "SSE-KMS" { work++; next }',
  '$9 == "GLACIER" || $9 == "DEEP_ARCHIVE" || $15 == "ARCHIVE" || $15 == "DEEP_ARCHIVE" { next }',
  '{ work++ }',
  'END { print n, work }',
].join('\n');

async function finished(child: ChildProcess): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`child exited with ${code}: ${stderr.slice(-2000)}`);
  return { stdout, stderr };
}

const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** One stage in a fresh node process; peak RSS from the kernel when /usr/bin/time is there. */
async function stageInChild(stage: Stage, file: string): Promise<StageResult & { peakRssBytes: number }> {
  const self = fileURLToPath(import.meta.url);
  const node = [process.execPath, self, 'stage', stage, file];
  const child = timeBin
    ? spawn(timeBin, ['-f', 'maxrss=%M', ...node], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(node[0]!, node.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  const { stdout, stderr } = await finished(child);
  const result = JSON.parse(stdout) as StageResult;
  const kb = /maxrss=(\d+)/.exec(stderr)?.[1];
  return { ...result, peakRssBytes: kb ? Number(kb) * 1024 : result.sampledPeakRssBytes };
}

interface AwkRun {
  readonly rows: number;
  readonly selected: number;
  readonly seconds: number;
  /** zcat's and awk's CPU time together (bash reaps both), when /usr/bin/time is there. */
  readonly cpuSeconds?: number;
}

async function awk(file: string): Promise<AwkRun> {
  const shell = ['bash', '-c', `set -o pipefail; zcat "$1" | awk '${AWK}'`, 'bench', file];
  const t0 = performance.now();
  const child = timeBin
    ? spawn(timeBin, ['-f', 'cpu=%U %S', ...shell], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(shell[0]!, shell.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  const { stdout, stderr } = await finished(child);
  const seconds = (performance.now() - t0) / 1000;
  const [rows, selected] = stdout.trim().split(/\s+/).map(Number);
  const cpu = /cpu=([\d.]+) ([\d.]+)/.exec(stderr);
  return {
    rows: rows ?? 0,
    selected: selected ?? 0,
    seconds,
    ...(cpu ? { cpuSeconds: Number(cpu[1]) + Number(cpu[2]) } : {}),
  };
}

/** The synthetic inventory of `rows` rows, generated once and kept in bench/work (same seed, same bytes). */
async function inventoryFile(
  rows: number,
): Promise<{ file: string; bytes: number; counts: SyntheticCounts }> {
  const dir = join(benchRoot, 'work', 'inventory');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `synthetic-${rows}-seed${SEED}.csv.gz`);
  const meta = `${file}.json`;
  if (existsSync(file) && existsSync(meta)) {
    const m = JSON.parse(readFileSync(meta, 'utf8')) as { bytes: number; counts: SyntheticCounts };
    if (statSync(file).size === m.bytes) return { file, ...m };
  }
  process.stdout.write(`generating ${rows.toLocaleString('en-US')} inventory rows (kept for later runs)\n`);
  const partial = `${file}.partial`;
  const counts = await writeSyntheticCsvGz(createWriteStream(partial), {
    rows,
    allVersions: true,
    seed: SEED,
  });
  renameSync(partial, file);
  const bytes = statSync(file).size;
  writeFileSync(meta, JSON.stringify({ bytes, counts }));
  return { file, bytes, counts };
}

interface SizeResult {
  readonly rows: number;
  readonly compressedMiB: number;
  readonly selected: number;
  readonly oursRowsPerSecond: Stats;
  readonly oursRowsPerCpuSecond: Stats;
  readonly oursPeakRssMiB: Stats;
  readonly awkRowsPerSecond: Stats;
  readonly awkRowsPerCpuSecond?: Stats;
  readonly ratio: number;
}

async function measureSize(rows: number): Promise<SizeResult> {
  const { file, bytes, counts } = await inventoryFile(rows);
  const ours: (StageResult & { peakRssBytes: number })[] = [];
  const theirs: AwkRun[] = [];
  for (let run = 0; run < RUNS; run++) {
    const o = await stageInChild('filter', file);
    const a = await awk(file);
    if (o.rows !== counts.rows || a.rows !== counts.rows || o.selected !== a.selected)
      throw new Error(
        `filter and awk disagree: rows ${o.rows}/${a.rows} (file ${counts.rows}), selected ${o.selected}/${a.selected}`,
      );
    ours.push(o);
    theirs.push(a);
    process.stdout.write(
      `${rows.toLocaleString('en-US')} rows, run ${run + 1}: filter ${Math.round(o.rows / o.seconds)} rows/s, ` +
        `peak RSS ${Math.round(o.peakRssBytes / MiB)} MiB; zcat | awk ${Math.round(a.rows / a.seconds)} rows/s\n`,
    );
  }
  const oursRate = stats(ours.map((o) => o.rows / o.seconds));
  const awkRate = stats(theirs.map((a) => a.rows / a.seconds));
  return {
    rows,
    compressedMiB: +(bytes / MiB).toFixed(1),
    selected: ours[0]!.selected,
    oursRowsPerSecond: oursRate,
    oursRowsPerCpuSecond: stats(ours.map((o) => o.rows / o.cpuSeconds)),
    oursPeakRssMiB: stats(ours.map((o) => o.peakRssBytes / MiB)),
    awkRowsPerSecond: awkRate,
    ...(theirs.every((a) => a.cpuSeconds)
      ? { awkRowsPerCpuSecond: stats(theirs.map((a) => a.rows / (a.cpuSeconds ?? 1))) }
      : {}),
    ratio: oursRate.median / awkRate.median,
  };
}

interface StageRate {
  readonly rowsPerSecond: number;
  /** Rows per second of the child's CPU time: steadier than wall time when the machine is busy. */
  readonly rowsPerCpuSecond: number;
  readonly peakRssMiB: number;
}

/** Where the time goes, on the smallest file, one stage after the other: the whole filter, gunzip alone, reading rows alone. */
async function breakdown(rows: number, selected: number): Promise<Record<Stage, StageRate>> {
  const { file } = await inventoryFile(rows);
  const out = {} as Record<Stage, StageRate>;
  for (const stage of ['filter', 'gunzip', 'read-rows'] as const) {
    const r = await stageInChild(stage, file);
    if (r.rows !== rows || (r.selected !== -1 && r.selected !== selected))
      throw new Error(
        `stage ${stage} read ${r.rows} rows and kept ${r.selected}, expected ${rows} and ${selected}`,
      );
    out[stage] = {
      rowsPerSecond: Math.round(r.rows / r.seconds),
      rowsPerCpuSecond: Math.round(r.rows / r.cpuSeconds),
      peakRssMiB: Math.round(r.peakRssBytes / MiB),
    };
    process.stdout.write(`stage ${stage}: ${out[stage].rowsPerSecond} rows/s\n`);
  }
  return out;
}

async function main(): Promise<void> {
  const bySize: SizeResult[] = [];
  for (const rows of SIZES) bySize.push(await measureSize(rows));
  const small = bySize[0]!;
  const big = bySize[bySize.length - 1]!;
  const stages = await breakdown(small.rows, small.selected);
  const peak = big.oursPeakRssMiB.max;
  // Flat: the largest file peaks within 20 % of the smallest (a filter holding rows would grow 5×).
  const flat = peak <= small.oursPeakRssMiB.max * 1.2;
  const rssOk = peak <= TARGET_RSS_MB * (1e6 / MiB);
  writeResult('inventory-filter', {
    title: `Inventory filter on a ${big.rows.toLocaleString('en-US')}-row CSV.gz inventory (file stream)`,
    unit: 'rows/s',
    ours: big.oursRowsPerSecond,
    comparison: {
      name: 'zcat piped into awk (same selection, same file)',
      stats: big.awkRowsPerSecond,
      command: `zcat <file> | awk '<selection>'`,
    },
    ratio: big.ratio,
    ratioMeaning: 'higher is better: filter rows/s over awk rows/s',
    target: `≥ ${TARGET_RATIO}× zcat piped into awk, peak RSS ≤ ${TARGET_RSS_MB} MB and flat as the inventory grows`,
    targetMet: big.ratio >= TARGET_RATIO && rssOk && flat,
    commands: [
      'npm run bench -- inventory-filter',
      'node <bench> stage filter <file> under /usr/bin/time -f %M (measureFilter: csvGzRows → classifyRow → StatsCollector → encodeHintedKey)',
      `zcat <file> | awk '${AWK.replace(/\n/g, ' ')}'`,
    ],
    details: {
      runs: RUNS,
      bySize,
      peakRssMiB: { smallest: small.oursPeakRssMiB.max, largest: peak, flat },
      stagesOnSmallest: stages,
      awkProgram: AWK,
    },
    notes: notes(stages),
  });
}

/** What bounds the filter, from the stage figures (CPU-time rates, which other load distorts least). */
function notes(stages: Record<Stage, StageRate>): string {
  const cpu = (s: Stage) => stages[s].rowsPerCpuSecond;
  const readShare = Math.round((100 * cpu('filter')) / cpu('read-rows'));
  return (
    'Same selection on both sides (current versions, delete markers and noncurrent rows excluded, SSE-C and ' +
    'DSSE-KMS blocked, SSE-KMS with Bucket Key compliant, archived unencrypted rows blocked); every run checks ' +
    'that both count the same rows. zcat and awk are two C processes on the two cores and neither decodes ' +
    'keys nor builds anything; the filter is one Node.js thread (gunzip on the libuv pool) that URL-decodes ' +
    'every key, builds a typed row and encodes a task-hints document for every kept row. What bounds it ' +
    `(stagesOnSmallest, per CPU second): gunzip alone ${cpu('gunzip')} rows, reading rows (gunzip, cutting ` +
    `S3's all-quoted lines at their "," separators, row building with key decoding) ${cpu('read-rows')}, the ` +
    `whole filter ${cpu('filter')}: reading takes about ${readShare} % of the filter's time, classification, ` +
    'counting and task-hint encoding the rest. Reading rows alone is below the target rate, so a faster ' +
    'classifier cannot reach it on one thread. Tried: csv-parse for every line (about 5× slower; it is now the ' +
    'fallback for lines that are not plain all-quoted S3 lines), hand-decoding key escapes (slower overall: ' +
    'later uses of the key paid more), reading rows one by one through an async generator (the trigger now ' +
    'reads in batches, as measured here). What scales instead is the split the trigger already makes: an ' +
    'inventory above SINGLE_RUN_MAX_BYTES is filtered one data file per invocation in parallel. Memory stays ' +
    'flat: rows stream through and only counters are kept.'
  );
}

if (process.argv[2] === 'stage') {
  const result = await runStage(process.argv[3] as Stage, process.argv[4] ?? '');
  process.stdout.write(JSON.stringify(result));
} else {
  await main();
}
