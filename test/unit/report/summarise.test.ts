import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ReportChecksumError,
  ReportCsvError,
  ReportFormatError,
  ReportNotFoundError,
  ReportResultStringError,
} from '../../../src/report/errors.js';
import { locationFor } from '../../../src/report/location.js';
import { summariseReport } from '../../../src/report/read.js';
import { FileReportSource } from '../../../src/report/source.js';
import {
  failedTask,
  hintedKeyField,
  lambdaErrorTask,
  type ReportTask,
  reportLayout,
  succeededTask,
  writeReportToDir,
} from '../../helpers/report.js';

const REPORTS = 'reports-bucket';
const JOB = '0f1e2d3c-aaaa-bbbb-cccc-123456789abc';
const opts = { sampleKeys: 2, keysEncoded: true };

/** A job of every outcome: 3 skipped, 2 updated, 2 copied (one as fallback), 1 multipart, failures. */
function mixedTasks(): ReportTask[] {
  return [
    succeededTask('s/1', { route: 'skip', bytes: 10, source: 'aws:kms' }),
    succeededTask('s/2', { route: 'skip', bytes: 20, source: 'aws:kms' }),
    succeededTask('s/3', { route: 'skip', bytes: 30, source: 'aws:kms' }),
    succeededTask('u/1', { route: 'update', bytes: 100, source: 'AES256', ms: 40 }),
    succeededTask('u/2', { route: 'update', bytes: 200, source: 'aws:kms', ms: 60 }),
    succeededTask('c/1 with space', { route: 'copy', bytes: 1000, source: 'NONE', ms: 300 }),
    succeededTask('c/2', {
      route: 'copy',
      bytes: 2000,
      source: 'AES256',
      fallback: 'update-unsupported',
      ms: 200,
    }),
    succeededTask('m/1', {
      route: 'multipart',
      bytes: 6_000_000_000,
      source: 'AES256',
      parts: 12,
      invocations: 2,
      ms: 900_000,
    }),
    failedTask('b/archived', 'archived-restore-first', { route: 'blocked', bytes: 50 }),
    failedTask('b/ssec', 'sse-c', { route: 'blocked', bytes: 60 }),
    failedTask('f/throttled-1', 'throttled', { errorCode: 'TemporaryFailure' }),
    failedTask('f/throttled-2', 'throttled', { errorCode: 'TemporaryFailure' }),
    failedTask('f/throttled-3', 'throttled', { errorCode: 'TemporaryFailure' }),
    failedTask('f/denied', 'access-denied', { reason: 'AccessDenied: kms:GenerateDataKey' }),
    failedTask('f/changed', 'precondition-failed'),
    lambdaErrorTask('f/timeout'),
  ];
}

describe('summariseReport', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'report-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const write = (tasks: readonly ReportTask[], extra: Partial<Parameters<typeof reportLayout>[0]> = {}) =>
    writeReportToDir(
      root,
      reportLayout({ reportBucket: REPORTS, prefix: 'reports', jobId: JOB, tasks, ...extra }),
      REPORTS,
    );
  const read = () => summariseReport(new FileReportSource(root), locationFor(REPORTS, 'reports', JOB), opts);

  it('counts tasks, routes, bytes, fallbacks and failures by cause', async () => {
    // Prepare
    await write(mixedTasks(), { filesPerStatus: 2 });
    // Act
    const { summary, retryFiles } = await read();
    // Assess
    expect(summary.tasks).toEqual({ total: 16, succeeded: 8, failed: 8, retryable: 5, withVersionId: 0 });
    expect(summary.routes).toEqual({
      skip: { objects: 3, bytes: 60, sseKmsSources: 3 },
      update: { objects: 2, bytes: 300, sseKmsSources: 1 },
      copy: { objects: 2, bytes: 3000, sseKmsSources: 0 },
      multipart: { objects: 1, bytes: 6_000_000_000, sseKmsSources: 0 },
      blocked: { objects: 2, bytes: 110, sseKmsSources: 0 },
    });
    expect(summary.fallbacks).toEqual({ 'update-unsupported': 1 });
    expect(summary.multipartParts).toBe(12);
    expect(summary.sources).toEqual({ AES256: 5, NONE: 1, 'aws:kms': 4 });
    expect(summary.lambda.invocations).toBe(17);
    expect(summary.lambda.maxTaskMs).toBe(900_000);
    expect(summary.report.files).toHaveLength(4);
    expect(retryFiles.length).toBeGreaterThan(0);
    expect(retryFiles.every((f) => f.status === 'failed')).toBe(true);
  });

  it('groups failures by cause, most frequent first, with bounded samples and retry counts', async () => {
    // Prepare
    await write(mixedTasks());
    // Act
    const { summary } = await read();
    // Assess
    const causes = summary.failures.byCause.map((c) => [c.cause, c.count, c.retryable]);
    expect(causes).toEqual([
      ['throttled', 3, 3],
      ['access-denied', 1, 0],
      ['archived-restore-first', 1, 0],
      ['lambda-error', 1, 1],
      ['precondition-failed', 1, 1],
      ['sse-c', 1, 0],
    ]);
    const throttled = summary.failures.byCause[0];
    expect(throttled?.samples.map((s) => s.key)).toEqual(['f/throttled-1', 'f/throttled-2']);
    expect(throttled?.errorCodes).toEqual({ TemporaryFailure: 3 });
    const denied = summary.failures.byCause.find((c) => c.cause === 'access-denied');
    expect(denied?.samples[0]).toEqual({
      key: 'f/denied',
      reason: 'AccessDenied: kms:GenerateDataKey',
      errorCode: 'PermanentFailure',
      httpStatus: 200,
    });
    const timeout = summary.failures.byCause.find((c) => c.cause === 'lambda-error');
    expect(timeout?.samples[0]?.reason).toMatch(/Task timed out after 3.00 seconds/);
    expect(timeout?.attemptedRoutes).toEqual({ failed: 1 });
  });

  it.each(['example', 'documented'] as const)('reads the %s column order the same way', async (order) => {
    // Prepare
    await write(mixedTasks(), { order });
    // Act
    const { summary } = await read();
    // Assess
    expect(summary.tasks.failed).toBe(8);
    expect(summary.failures.byCause[0]?.samples[0]?.httpStatus).toBe(200);
  });

  it('finds result files listed without the report prefix, as in AWS’s example', async () => {
    // Prepare
    await write(mixedTasks(), { resultKeysIncludePrefix: false });
    // Act
    const { summary } = await read();
    // Assess
    expect(summary.tasks.total).toBe(16);
    expect(summary.report.files.every((f) => f.key.startsWith('reports/job-'))).toBe(true);
  });

  it('shows the real key of hinted tasks and counts versioned tasks', async () => {
    // Prepare
    const field = hintedKeyField({ key: 'dir/a b.txt', size: 9, encryption: 'SSE-S3', etag: 'e' });
    await write([failedTask('ignored', 'throttled', { keyField: field, versionId: 'v1' })]);
    // Act
    const { summary } = await read();
    // Assess
    expect(summary.failures.byCause[0]?.samples[0]).toMatchObject({ key: 'dir/a b.txt', versionId: 'v1' });
    expect(summary.tasks.withVersionId).toBe(1);
  });

  it('gives the same summary for the same report read twice', async () => {
    // Prepare
    await write(mixedTasks(), { lineEnding: '\r\n' });
    // Act
    const a = await read();
    const b = await read();
    // Assess
    expect(JSON.stringify(b.summary)).toBe(JSON.stringify(a.summary));
  });

  describe('malformed reports', () => {
    it('fails on a missing manifest', async () => {
      // Act / Assess
      await expect(read()).rejects.toThrow(ReportNotFoundError);
    });

    it('fails on an unknown Format', async () => {
      // Prepare
      const layout = reportLayout({
        reportBucket: REPORTS,
        prefix: 'reports',
        jobId: JOB,
        tasks: mixedTasks(),
      });
      await writeReportToDir(
        root,
        { ...layout, manifest: { ...layout.manifest, Format: 'Report_CSV_2099' } },
        REPORTS,
      );
      // Act / Assess
      await expect(read()).rejects.toThrow(ReportFormatError);
    });

    it('fails on a missing result file', async () => {
      // Prepare
      const layout = reportLayout({
        reportBucket: REPORTS,
        prefix: 'reports',
        jobId: JOB,
        tasks: mixedTasks(),
      });
      await writeReportToDir(root, { ...layout, files: layout.files.slice(1) }, REPORTS);
      // Act / Assess
      await expect(read()).rejects.toThrow(/result file listed in .* is missing/);
    });

    it('fails on a truncated result file (checksum mismatch)', async () => {
      // Prepare
      const layout = reportLayout({
        reportBucket: REPORTS,
        prefix: 'reports',
        jobId: JOB,
        tasks: mixedTasks(),
      });
      await writeReportToDir(root, layout, REPORTS);
      const f = layout.files[0];
      if (!f) throw new Error('no file');
      const lines = f.body.split('\n');
      await writeFile(join(root, REPORTS, f.key), `${lines.slice(0, 3).join('\n')}\n`);
      // Act / Assess
      await expect(read()).rejects.toThrow(ReportChecksumError);
    });

    it('fails on a file cut inside a quoted field even before the checksum is compared', async () => {
      // Prepare
      const layout = reportLayout({
        reportBucket: REPORTS,
        prefix: 'reports',
        jobId: JOB,
        tasks: mixedTasks(),
      });
      const f = layout.files[0];
      if (!f) throw new Error('no file');
      const cut = f.body.slice(0, f.body.indexOf('{') + 4);
      await writeReportToDir(root, layout, REPORTS);
      await writeFile(join(root, REPORTS, f.key), cut);
      // Act / Assess
      await expect(read()).rejects.toThrow(/ends inside a quoted field/);
    });

    it('fails on a succeeded task whose ResultMessage is not JSON', async () => {
      // Prepare
      const bad: ReportTask = { ...succeededTask('x', { route: 'copy' }), message: 'copied OK' };
      await write([bad]);
      // Act / Assess
      await expect(read()).rejects.toThrow(ReportResultStringError);
    });

    it('fails on a row with the wrong column count and names file and row', async () => {
      // Prepare
      const layout = reportLayout({
        reportBucket: REPORTS,
        prefix: 'reports',
        jobId: JOB,
        tasks: [succeededTask('a', { route: 'skip' })],
      });
      const f = layout.files[0];
      if (!f) throw new Error('no file');
      const body = `${f.body}data-bucket,b,,succeeded,200\n`;
      const { createHash } = await import('node:crypto');
      const fixed = {
        ...layout,
        files: [{ ...f, body }],
        manifest: {
          ...layout.manifest,
          Results: [
            {
              ...(layout.manifest.Results as object[])[0],
              MD5Checksum: createHash('md5').update(body).digest('hex'),
            },
          ],
        },
      };
      await writeReportToDir(root, fixed, REPORTS);
      // Act / Assess
      const err = await read().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReportCsvError);
      expect((err as ReportCsvError).row).toBe(2);
      expect((err as ReportCsvError).key).toBe(f.key);
    });
  });
});
