/**
 * Summarising result files in worker threads gives exactly the summary one thread gives, and fails with the
 * same errors. The worker is the real entry (src/report/summarise-worker.ts) bundled with esbuild, as
 * scripts/build.mjs does for the completion-report function and the CLI; real threads, real files.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ReportChecksumError, ReportCsvError, ReportResultStringError } from '../../../src/report/errors.js';
import { locationFor } from '../../../src/report/location.js';
import { summariseReport } from '../../../src/report/read.js';
import { readRow } from '../../../src/report/row.js';
import { FileReportSource } from '../../../src/report/source.js';
import { Summariser } from '../../../src/report/summariser.js';
import { rebuildError, serialiseError } from '../../../src/report/worker-protocol.js';
import { bundledWorkers, type SummariserWorkers } from '../../../src/report/workers.js';
import {
  failedTask,
  lambdaErrorTask,
  type ReportTask,
  reportLayout,
  reportRow,
  succeededTask,
  writeReportToDir,
} from '../../helpers/report.js';

const REPORTS = 'reports-bucket';
const JOB = '0f1e2d3c-aaaa-bbbb-cccc-123456789abc';
const opts = { sampleKeys: 3, keysEncoded: true };
const CAUSES = ['throttled', 'access-denied', 'precondition-failed', 'sse-c'] as const;

/** Many tasks of every outcome, failures of several causes spread over every file. */
function manyTasks(n: number): ReportTask[] {
  return Array.from({ length: n }, (_, i): ReportTask => {
    const bucket = `data-${i % 3}`;
    switch (i % 7) {
      case 0:
        return succeededTask(`s/${i}`, { route: 'skip', bytes: i, source: 'aws:kms' }, { bucket });
      case 1:
        return succeededTask(
          `u/${i}`,
          { route: 'update', bytes: i * 2, source: 'AES256', ms: i },
          { bucket },
        );
      case 2:
        return succeededTask(
          `c/${i} x`,
          { route: 'copy', bytes: i * 3, source: 'NONE', fallback: 'update-unsupported', ms: 3 * i },
          { bucket, versionId: `v${i}` },
        );
      case 3:
        return succeededTask(
          `m/${i}`,
          { route: 'multipart', bytes: 1e9 + i, parts: 3, invocations: 2 },
          { bucket },
        );
      case 4:
        return lambdaErrorTask(`l/${i}`, { bucket });
      default:
        return failedTask(`f/${i}`, CAUSES[i % CAUSES.length]!, {
          bucket,
          errorCode: i % 2 ? 'TemporaryFailure' : 'PermanentFailure',
          reason: `reason ${i}`,
        });
    }
  });
}

let workers: SummariserWorkers;
let scriptDir: string;
let root: string;

beforeAll(async () => {
  scriptDir = await mkdtemp(join(tmpdir(), 'summarise-worker-'));
  const outfile = join(scriptDir, 'summarise-worker.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, '../../../src/report/summarise-worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'error',
  });
  const w = bundledWorkers(pathToFileURL(outfile), 3);
  if (!w) throw new Error('the bundled worker was not found');
  workers = w;
});
afterAll(async () => {
  await rm(scriptDir, { recursive: true, force: true });
});
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'report-workers-'));
  return () => rm(root, { recursive: true, force: true });
});

const layoutOf = (tasks: readonly ReportTask[], filesPerStatus: number) =>
  reportLayout({ reportBucket: REPORTS, prefix: 'reports', jobId: JOB, tasks, filesPerStatus });
const read = (w?: SummariserWorkers) =>
  summariseReport(new FileReportSource(root), locationFor(REPORTS, 'reports', JOB), opts, w);

describe('summariseReport in worker threads', () => {
  it.each([2, 3, 7])('gives the summary one thread gives, with %i files per status', async (files) => {
    // Prepare
    await writeReportToDir(root, layoutOf(manyTasks(700), files), REPORTS);
    // Act
    const [inThread, inWorkers] = await Promise.all([read(), read(workers)]);
    // Assess
    expect(inWorkers.summary.tasks.total).toBe(700);
    expect(inWorkers.summary.report.files).toHaveLength(2 * files);
    expect(inWorkers.summary).toEqual(inThread.summary);
    expect(inWorkers.retryFiles).toEqual(inThread.retryFiles);
  });

  it('fails with the checksum error one thread gives, fields included', async () => {
    // Prepare: the third file cut after a whole row
    const layout = layoutOf(manyTasks(300), 3);
    await writeReportToDir(root, layout, REPORTS);
    const f = layout.files[2]!;
    await writeFile(
      join(root, REPORTS, f.key),
      f.body.slice(0, f.body.lastIndexOf('\n', f.body.length / 2) + 1),
    );
    // Act
    const [one, many] = await Promise.all([read().catch((e) => e), read(workers).catch((e) => e)]);
    // Assess
    expect(many).toBeInstanceOf(ReportChecksumError);
    expect(many).toMatchObject({
      name: one.name,
      message: one.message,
      expected: one.expected,
      actual: one.actual,
      key: f.key,
    });
  });

  it('fails with the CSV error one thread gives, naming the same file and row', async () => {
    // Prepare: a short row at the end of the second file, its MD5 corrected
    const layout = layoutOf(manyTasks(200), 2);
    const f = layout.files[1]!;
    const body = `${f.body}data-0,b,,succeeded,200\n`;
    const results = (layout.manifest.Results as Record<string, unknown>[]).map((r, i) =>
      i === 1 ? { ...r, MD5Checksum: createHash('md5').update(body).digest('hex') } : r,
    );
    await writeReportToDir(
      root,
      {
        ...layout,
        files: layout.files.map((x, i) => (i === 1 ? { ...x, body } : x)),
        manifest: { ...layout.manifest, Results: results },
      },
      REPORTS,
    );
    // Act
    const [one, many] = await Promise.all([read().catch((e) => e), read(workers).catch((e) => e)]);
    // Assess
    expect(many).toBeInstanceOf(ReportCsvError);
    expect(many.message).toBe(one.message);
    expect(many.row).toBe(one.row);
    expect(many.message).toMatch(/row \d+\) in s3:\/\//);
  });

  it('fails on a succeeded task whose ResultMessage is not JSON, as one thread does', async () => {
    // Prepare
    const tasks = manyTasks(100);
    tasks[40] = { ...succeededTask('x', { route: 'copy' }), message: 'copied OK' };
    await writeReportToDir(root, layoutOf(tasks, 3), REPORTS);
    // Act / Assess
    await expect(read(workers)).rejects.toThrow(ReportResultStringError);
  });
});

describe('Summariser state and merge', () => {
  it.each([
    [1, 'one part'],
    [4, 'four parts'],
    [50, 'fifty parts, most with fewer rows than samples kept'],
  ])('merges %i per-part states into the summary of one pass (%s)', (parts, _label) => {
    // Prepare: rows as the reader hands them over
    const rows = manyTasks(400).map((t, i) =>
      readRow(
        // A report row's fields, parsed as the CSV reader would (no commas inside these fields but the message).
        splitRow(reportRow(t)),
        { row: i + 1 },
      ),
    );
    const whole = new Summariser(opts);
    for (const [i, r] of rows.entries()) whole.add(r, { row: i + 1 });
    const merged = new Summariser(opts);
    const size = Math.ceil(rows.length / parts);
    for (let p = 0; p < parts; p++) {
      const part = new Summariser(opts);
      for (const [i, r] of rows.slice(p * size, (p + 1) * size).entries()) part.add(r, { row: i + 1 });
      merged.merge(structuredClone(part.state()));
    }
    // Act
    const args = { jobId: JOB, bucket: REPORTS, manifestKey: 'm', format: 'f', creationDate: 'd', files: [] };
    // Assess
    expect(merged.summary(args)).toEqual(whole.summary(args));
  });
});

describe('worker errors across the thread boundary', () => {
  it.each([
    [
      'ReportChecksumError',
      new ReportChecksumError('m', { bucket: 'b', key: 'k', expected: 'e', actual: 'a' }),
    ],
    ['ReportCsvError', new ReportCsvError('bad row', { bucket: 'b', key: 'k', row: 7 })],
    ['ReportResultStringError', new ReportResultStringError('not json', { bucket: 'b', key: 'k', row: 3 })],
    ['TypeError', new TypeError('boom')],
  ])('rebuilds a %s with its class, message and context', (name, error) => {
    // Act
    const rebuilt = rebuildError(structuredClone(serialiseError(error)));
    // Assess
    expect(rebuilt.name).toBe(name);
    expect(rebuilt.message).toBe(error.message);
    if (name !== 'TypeError') expect(rebuilt).toBeInstanceOf(error.constructor);
    for (const f of ['bucket', 'key', 'row', 'expected', 'actual'])
      expect((rebuilt as unknown as Record<string, unknown>)[f]).toEqual(
        (error as unknown as Record<string, unknown>)[f],
      );
  });
});

/** Splits a reportRow line whose only quoted field is the last one (the resultString). */
function splitRow(line: string): string[] {
  const q = line.indexOf(',"');
  const head = line.slice(0, q).split(',');
  const last = line.slice(q + 2, -1).replaceAll('""', '"');
  return [...head, last];
}
