// Completion-report summariser throughput: a 1,000,000-row report in the AWS layout (result CSVs of
// 100,000 rows, succeeded and failed apart, manifest.json with MD5s) generated on local disk, then read
// by summariseReport (CSV reader, column resolution, resultString decoding, MD5 check, aggregation).
// Compared with csv-parse's streaming parser doing only the parsing and JSON decoding on the same files.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { encodeKey } from '../src/batch/keys.js';
import { encodeResultString, parseResultString, type TaskResult } from '../src/batch/result-string.js';
import { reportManifestKey } from '../src/jobs/port.js';
import { locationFor } from '../src/report/location.js';
import { summariseReport } from '../src/report/read.js';
import { FileReportSource } from '../src/report/source.js';
import { benchRoot, stats, writeResult } from './lib.js';

const ROWS = Number(process.env.BENCH_REPORT_ROWS ?? 1_000_000);
const ROWS_PER_FILE = 100_000;
const RUNS = 3;
const TARGET = 500_000;
const BUCKET = 'bench-reports';
const JOB = '6a1f0c2e-bench-4d6e-9a51-000000000001';

const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** A task as a real job produces them: mostly copies and skips, a few failures of several causes. */
function task(i: number): { status: 'succeeded' | 'failed'; code: string; result: TaskResult } {
  const bytes = 1024 + ((i * 7919) % 5_000_000);
  const r = i % 100;
  if (r < 55)
    return {
      status: 'succeeded',
      code: '',
      result: { route: 'copy', bytes, source: 'AES256', ms: 180 + (i % 90), fallback: 'update-unsupported' },
    };
  if (r < 85)
    return { status: 'succeeded', code: '', result: { route: 'skip', bytes, source: 'aws:kms', ms: 25 } };
  if (r < 95)
    return { status: 'succeeded', code: '', result: { route: 'update', bytes, source: 'AES256', ms: 60 } };
  if (r < 96)
    return {
      status: 'succeeded',
      code: '',
      result: {
        route: 'multipart',
        bytes: bytes * 2000,
        source: 'AES256',
        ms: 40_000,
        parts: 12,
        invocations: 1,
      },
    };
  if (r < 98)
    return {
      status: 'failed',
      code: 'TemporaryFailure',
      result: {
        route: 'copy',
        bytes,
        source: 'AES256',
        ms: 30,
        cause: 'throttled',
        reason: 'SlowDown: Please reduce your request rate.',
      },
    };
  if (r < 99)
    return {
      status: 'failed',
      code: 'PermanentFailure',
      result: {
        route: 'blocked',
        bytes,
        source: 'NONE',
        ms: 20,
        cause: 'archived-restore-first',
        reason: 'GLACIER object must be restored first',
      },
    };
  return {
    status: 'failed',
    code: 'PermanentFailure',
    result: {
      route: 'copy',
      bytes,
      source: 'aws:kms',
      ms: 15,
      cause: 'access-denied',
      reason: 'AccessDenied: kms:Decrypt',
    },
  };
}

async function generate(root: string): Promise<{ bytes: number }> {
  await rm(root, { recursive: true, force: true });
  const prefix = 'reports';
  const dir = join(root, BUCKET, prefix, `job-${JOB}`, 'results');
  await mkdir(dir, { recursive: true });
  const buffers: Record<'succeeded' | 'failed', string[]> = { succeeded: [], failed: [] };
  const results: { TaskExecutionStatus: string; Bucket: string; MD5Checksum: string; Key: string }[] = [];
  let total = 0;
  let seq = 0;
  const flush = async (status: 'succeeded' | 'failed') => {
    const lines = buffers[status];
    if (lines.length === 0) return;
    const body = lines.join('');
    buffers[status] = [];
    const name = createHash('sha1').update(`${status}-${seq++}`).digest('hex');
    const key = `${prefix}/job-${JOB}/results/${name}.csv`;
    await writeFile(join(root, BUCKET, key), body);
    total += Buffer.byteLength(body);
    results.push({
      TaskExecutionStatus: status,
      Bucket: BUCKET,
      MD5Checksum: createHash('md5').update(body).digest('hex'),
      Key: key,
    });
  };
  for (let i = 0; i < ROWS; i++) {
    const t = task(i);
    const key = encodeKey(
      `data/${2020 + (i % 6)}/${String(i % 12).padStart(2, '0')}/events part-${i}.parquet`,
    );
    const line = `source-data-bucket,${key},,${t.status},200,${t.code},${csvField(encodeResultString(t.result))}\n`;
    buffers[t.status].push(line);
    if (buffers[t.status].length >= ROWS_PER_FILE) await flush(t.status);
  }
  await flush('succeeded');
  await flush('failed');
  const manifest = {
    Format: 'Report_CSV_20180820',
    ReportCreationDate: '2026-05-01T12:00:00.000Z',
    Results: results,
    ReportSchema: 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage',
  };
  await writeFile(join(root, BUCKET, reportManifestKey(prefix, JOB)), JSON.stringify(manifest));
  return { bytes: total };
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

async function ours(root: string) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const { summary } = await summariseReport(new FileReportSource(root), locationFor(BUCKET, 'reports', JOB), {
    sampleKeys: 5,
    keysEncoded: true,
  });
  const cpu = cpuMs(process.cpuUsage(c0));
  const ms = performance.now() - t0;
  if (summary.tasks.total !== ROWS)
    throw new Error(`summarised ${summary.tasks.total} rows, expected ${ROWS}`);
  return { ms, cpu, summary };
}

/** The alternative: csv-parse's streaming parser plus resultString decoding, no aggregation or checks. */
async function csvParseBaseline(root: string, files: readonly string[]) {
  const t0 = performance.now();
  let rows = 0;
  let bytes = 0;
  for (const f of files) {
    const parser = createReadStream(join(root, BUCKET, f), { highWaterMark: 1 << 20 }).pipe(
      parse({ relax_column_count: true }),
    );
    for await (const rec of parser as AsyncIterable<string[]>) {
      rows++;
      bytes += parseResultString(rec[6] as string).bytes;
    }
  }
  if (rows !== ROWS || bytes <= 0) throw new Error(`csv-parse read ${rows} rows`);
  return performance.now() - t0;
}

const root = join(benchRoot, 'work', 'report-summariser');
const gen = await generate(root);
const wall: number[] = [];
const cpu: number[] = [];
// The first pass runs while the JIT compiles the reader; it is reported apart, not in the median.
const cold = await ours(root);
let last: Awaited<ReturnType<typeof ours>> | undefined;
for (let i = 0; i < RUNS; i++) {
  (globalThis as { gc?: () => void }).gc?.();
  last = await ours(root);
  wall.push(ROWS / (last.ms / 1000));
  cpu.push(ROWS / (last.cpu / 1000));
}
const files = last?.summary.report.files.map((f) => f.key) ?? [];
const baseline = ROWS / ((await csvParseBaseline(root, files)) / 1000);
const ourStats = stats(wall);
writeResult('report-summariser', {
  title: `summariseReport over a ${ROWS.toLocaleString('en-US')}-row completion report on local disk`,
  unit: 'rows/s',
  ours: ourStats,
  comparison: { name: 'csv-parse streaming + resultString decoding only', stats: stats([baseline]) },
  ratio: ourStats.median / baseline,
  ratioMeaning: 'higher is better: summariser rows/s over csv-parse rows/s',
  target: `≥ ${TARGET.toLocaleString('en-US')} rows/s`,
  targetMet: ourStats.median >= TARGET,
  commands: ['npm run bench -- report-summariser'],
  details: {
    rows: ROWS,
    files: files.length,
    reportBytes: gen.bytes,
    rowsPerCpuSecond: stats(cpu),
    firstPassRowsPerSecond: ROWS / (cold.ms / 1000),
    loadAverage1m: loadavg()[0],
    summaryTasks: last?.summary.tasks,
  },
  notes:
    'Median of 3 passes after a first (JIT warm-up) pass, reported as firstPassRowsPerSecond. Wall-clock rows/s ' +
    'includes reading and MD5-verifying every file; rowsPerCpuSecond divides by the process CPU time (less ' +
    'sensitive to other load on the machine, but it counts GC threads too). loadAverage1m shows how busy the ' +
    'machine was.',
});
if (!process.env.BENCH_KEEP) await rm(root, { recursive: true, force: true });
