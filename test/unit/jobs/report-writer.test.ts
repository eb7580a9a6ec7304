import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CompletionReportWriter, type ReportRow } from '../../../src/jobs/local/report-writer.js';
import { memoryS3 } from '../../helpers/memory-s3.js';

const JOB_ID = '6e3f1c2a-9d4b-4a7e-8c1f-0b2d3e4f5a6b';

function writer(options: Partial<ConstructorParameters<typeof CompletionReportWriter>[0]> = {}) {
  const s3 = memoryS3(['reports']);
  const w = new CompletionReportWriter({
    s3: s3.client,
    bucket: 'reports',
    prefix: 'runs/',
    jobId: JOB_ID,
    scope: 'AllTasks',
    now: () => Date.parse('2026-01-02T03:04:05.678Z'),
    maxRowsPerFile: 1000,
    maxBytesPerFile: 1 << 20,
    ...options,
  });
  return { s3, w };
}

const row = (key: string, status: 'succeeded' | 'failed', message = '{"r":"copy"}'): ReportRow => ({
  bucket: 'src',
  key,
  versionId: null,
  status,
  httpStatusCode: 200,
  errorCode: status === 'failed' ? 'PermanentFailure' : '',
  resultMessage: message,
});

describe('CompletionReportWriter', () => {
  it('writes separate succeeded and failed files in chunks and lists them in manifest.json', async () => {
    // Prepare
    const { s3, w } = writer({ maxRowsPerFile: 2 });
    // Act
    for (let i = 0; i < 5; i++) await w.add(row(`ok${i}`, 'succeeded'));
    for (let i = 0; i < 3; i++) await w.add(row(`bad${i}`, 'failed', 'denied'));
    const manifest = await w.finish();
    // Assess
    expect(w.manifestKey).toBe(`runs/job-${JOB_ID}/manifest.json`);
    expect(JSON.parse(s3.text('reports', w.manifestKey) ?? '')).toEqual(manifest);
    expect(manifest).toMatchObject({
      Format: 'Report_CSV_20180820',
      ReportCreationDate: '2026-01-02T03:04:05.678Z',
      ReportSchema: 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage',
    });
    expect(manifest.Results.map((r) => r.TaskExecutionStatus)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'failed',
      'failed',
    ]);
    for (const r of manifest.Results) {
      expect(r.Bucket).toBe('reports');
      expect(r.Key).toMatch(new RegExp(`^runs/job-${JOB_ID}/results/[0-9a-f]{40}\\.csv$`));
      const text = s3.text('reports', r.Key) ?? '';
      expect(r.MD5Checksum).toBe(createHash('md5').update(text).digest('hex'));
      const statuses = parse(text).map((cols: string[]) => cols[3]);
      expect(new Set(statuses)).toEqual(new Set([r.TaskExecutionStatus]));
      expect(s3.sse('reports', r.Key)).toBe('AES256');
    }
    const keys = manifest.Results.flatMap((r) =>
      parse(s3.text('reports', r.Key) ?? '').map((c: string[]) => c[1]),
    );
    expect(keys.sort()).toEqual(['bad0', 'bad1', 'bad2', 'ok0', 'ok1', 'ok2', 'ok3', 'ok4']);
  });

  it('quotes messages with commas, quotes and newlines so they parse back unchanged', async () => {
    // Prepare
    const { s3, w } = writer();
    const message = 'Lambda returned function error: {"errorMessage":"a, b\nc"}';
    // Act
    await w.add({ ...row('dir/a%2Cb', 'failed', message), versionId: 'v1' });
    const manifest = await w.finish();
    // Assess
    const text = s3.text('reports', manifest.Results[0]?.Key ?? '') ?? '';
    expect(text).toBe(
      'src,dir/a%2Cb,v1,failed,200,PermanentFailure,"Lambda returned function error: {""errorMessage"":""a, b\nc""}"\n',
    );
    expect(parse(text)).toEqual([['src', 'dir/a%2Cb', 'v1', 'failed', '200', 'PermanentFailure', message]]);
  });

  it('leaves succeeded tasks out of a FailedTasksOnly report', async () => {
    // Prepare
    const { s3, w } = writer({ scope: 'FailedTasksOnly' });
    // Act
    await w.add(row('ok', 'succeeded'));
    await w.add(row('bad', 'failed'));
    const manifest = await w.finish();
    // Assess
    expect(manifest.Results.map((r) => r.TaskExecutionStatus)).toEqual(['failed']);
    expect(s3.keys('reports', `runs/job-${JOB_ID}/results/`)).toHaveLength(1);
  });

  it('closes a results file once a row takes it past the byte bound', async () => {
    // Prepare
    const { w } = writer({ maxBytesPerFile: 50 });
    // Act
    for (let i = 0; i < 4; i++) await w.add(row(`k${i}`, 'succeeded', 'x'.repeat(60)));
    const manifest = await w.finish();
    // Assess
    expect(manifest.Results).toHaveLength(4);
  });

  it('writes manifest.json with no results when no row was kept', async () => {
    // Prepare
    const { s3, w } = writer({ scope: 'FailedTasksOnly' });
    // Act
    await w.add(row('ok', 'succeeded'));
    const manifest = await w.finish();
    // Assess
    expect(manifest.Results).toEqual([]);
    expect(s3.keys('reports')).toEqual([`runs/job-${JOB_ID}/manifest.json`]);
  });
});
