/**
 * The completion-report use case against moto over real HTTP: reports are written to S3 in the AWS layout
 * (test/helpers/report.ts), summaries and retry manifests are read back from S3, and notifications go
 * through a real moto SNS topic to an HTTP subscriber in this process.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSnsClient } from '../../../src/aws/clients.js';
import { decodeKey } from '../../../src/batch/keys.js';
import { SnsNotifier, snsSubject } from '../../../src/notify/sns.js';
import { silentLogger } from '../../../src/observability/logger.js';
import { RecordingMetrics } from '../../../src/observability/metrics.js';
import { summaryDigest } from '../../../src/report/digest.js';
import type { SummaryDocument } from '../../../src/report/document.js';
import {
  ReportChecksumError,
  ReportCsvError,
  ReportFormatError,
  ReportNotFoundError,
  ReportResultStringError,
} from '../../../src/report/errors.js';
import { parseReportEvent } from '../../../src/report/events.js';
import { locationFor } from '../../../src/report/location.js';
import { type CompletionReportSettings, makeCompletionReport } from '../../../src/report/process.js';
import { summariseReport } from '../../../src/report/read.js';
import { S3ReportSource } from '../../../src/report/source.js';
import {
  DATA_BUCKET,
  failedTask,
  hintedKeyField,
  lambdaErrorTask,
  loadReportEvent,
  type ReportTask,
  reportLayout,
  succeededTask,
  writeReportToS3,
} from '../../helpers/report.js';
import { motoClients, motoSettings, newBucket } from '../../support/aws.js';
import { snsTopicWithSink } from './sns-sink.js';

const { s3 } = motoClients();
const sns = makeSnsClient(motoSettings());
let sink: Awaited<ReturnType<typeof snsTopicWithSink>>;

beforeAll(async () => {
  sink = await snsTopicWithSink(sns, `report-${process.pid}`);
});
afterAll(async () => {
  await sink.close();
});

const text = async (client: S3Client, Bucket: string, Key: string) =>
  (await (await client.send(new GetObjectCommand({ Bucket, Key }))).Body?.transformToString()) ?? '';
const exists = (Bucket: string, Key: string) =>
  s3.send(new HeadObjectCommand({ Bucket, Key })).then(
    () => true,
    () => false,
  );
const keysUnder = async (Bucket: string, Prefix: string) =>
  ((await s3.send(new ListObjectsV2Command({ Bucket, Prefix }))).Contents ?? [])
    .map((o) => o.Key as string)
    .sort();

const settings = (bucket: string): CompletionReportSettings => ({
  reportBucket: bucket,
  reportPrefix: 'reports',
  sampleKeys: 3,
  keysEncoded: true,
  retry: { enabled: false, maxAttempts: 0, userArguments: {}, priority: 10, confirmationRequired: false },
  cost: { region: 'us-east-1', bucketKey: true },
  claimMs: 60_000,
});

/** A use case whose notifications are tagged with a per-test marker, so tests sharing the topic stay apart. */
function useCase(bucket: string, marker: string) {
  const metrics = new RecordingMetrics();
  const notifier = new SnsNotifier(sns, sink.topicArn);
  const run = makeCompletionReport({
    s3,
    settings: settings(bucket),
    metrics,
    logger: silentLogger,
    notifier: { publish: (n) => notifier.publish({ ...n, message: `${marker}\n${n.message}` }) },
  });
  const published = () => sink.messages().filter((m) => m.Message.startsWith(`${marker}\n`));
  return { run, metrics, published };
}

let jobCounter = 0;
const newJobId = () => `${process.pid}-${++jobCounter}-0000-4000-8000-000000000000`;

/** 1,000 tasks like a real job: most copied or skipped, a few of every failure kind. */
function realisticTasks(): ReportTask[] {
  const tasks: ReportTask[] = [];
  for (let i = 0; i < 600; i++)
    tasks.push(
      succeededTask(`data/2026/05/part-${i}.parquet`, {
        route: 'copy',
        bytes: 1000 + i,
        source: 'AES256',
        fallback: 'update-unsupported',
      }),
    );
  for (let i = 0; i < 300; i++)
    tasks.push(succeededTask(`data/old/${i} copy.csv`, { route: 'skip', bytes: 10, source: 'aws:kms' }));
  for (let i = 0; i < 80; i++)
    tasks.push(succeededTask(`logs/${i}.gz`, { route: 'copy', bytes: 5, source: 'NONE' }));
  tasks.push(
    succeededTask('big/video.mov', {
      route: 'multipart',
      bytes: 6 * 1024 ** 3,
      parts: 12,
      invocations: 2,
      source: 'AES256',
    }),
  );
  for (let i = 0; i < 5; i++)
    tasks.push(failedTask(`glacier/${i}`, 'archived-restore-first', { route: 'blocked', bytes: 7 }));
  for (let i = 0; i < 6; i++)
    tasks.push(failedTask(`hot/${i},with comma`, 'throttled', { errorCode: 'TemporaryFailure' }));
  tasks.push(failedTask('changed/a', 'precondition-failed'));
  tasks.push(failedTask('secret', 'access-denied', { reason: 'AccessDenied: kms:Decrypt' }));
  tasks.push(lambdaErrorTask('slow/one'));
  tasks.push(
    failedTask('ignored', 'throttled', {
      errorCode: 'TemporaryFailure',
      keyField: hintedKeyField({ key: 'hinted/x y', size: 3, etag: 'abc' }),
    }),
  );
  return tasks;
}

describe('completion report on moto', () => {
  it('writes summary.json, summary.md and a retry manifest with the report’s counts, and notifies once', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    const jobId = newJobId();
    const layout = reportLayout({
      reportBucket: bucket,
      prefix: 'reports',
      jobId,
      tasks: realisticTasks(),
      filesPerStatus: 3,
    });
    await writeReportToS3(s3, layout, bucket);
    const { run, metrics, published } = useCase(bucket, jobId);
    // Act
    const out = await run({ kind: 'report-object', location: locationFor(bucket, 'reports', jobId) });
    // Assess
    expect(out.status).toBe('summarised');
    const doc = JSON.parse(await text(s3, bucket, `reports/job-${jobId}/summary.json`)) as SummaryDocument;
    expect(doc.state).toBe('done');
    expect(doc.summary?.tasks).toEqual({
      total: 996,
      succeeded: 981,
      failed: 15,
      retryable: 9,
      withVersionId: 0,
    });
    expect(doc.summary?.routes.copy).toEqual({
      objects: 680,
      bytes: 600 * 1000 + (599 * 600) / 2 + 80 * 5,
      sseKmsSources: 0,
    });
    expect(doc.summary?.routes.skip.objects).toBe(300);
    expect(doc.summary?.routes.multipart).toEqual({ objects: 1, bytes: 6 * 1024 ** 3, sseKmsSources: 0 });
    expect(doc.summary?.routes.blocked.objects).toBe(5);
    expect(doc.summary?.fallbacks).toEqual({ 'update-unsupported': 600 });
    expect(doc.summary?.failures.byCause.map((c) => [c.cause, c.count])).toEqual([
      ['throttled', 7],
      ['archived-restore-first', 5],
      ['access-denied', 1],
      ['lambda-error', 1],
      ['precondition-failed', 1],
    ]);
    expect(doc.cost && 'withBucketKeys' in doc.cost && doc.cost.kind).toBe('run');
    const md = await text(s3, bucket, `reports/job-${jobId}/summary.md`);
    expect(md).toContain('| copied in place | 680 |');
    expect(md).toContain('## Cost of this run');
    // The retry manifests hold exactly the retryable tasks, keys in manifest form, one kind per file.
    expect(doc.retry.manifests.map((m) => [m.key.split('/').pop(), m.rows, m.hinted])).toEqual([
      ['retry-manifest-hinted.csv', 1, true],
      ['retry-manifest.csv', 8, false],
    ]);
    const plain = await text(s3, bucket, `reports/job-${jobId}/retry-manifest.csv`);
    const keys = plain
      .trim()
      .split('\n')
      .map((l) => decodeKey(l.split(',')[1] as string))
      .sort();
    expect(keys).toEqual(
      ['changed/a', ...Array.from({ length: 6 }, (_, i) => `hot/${i},with comma`), 'slow/one'].sort(),
    );
    expect(plain.split('\n').every((l) => l === '' || l.split(',').length === 2)).toBe(true);
    expect(doc.retry.skipped).toMatch(/not enabled/);
    // One notification, with the headline.
    const msgs = published();
    expect(msgs).toHaveLength(1);
    expect(out.status === 'summarised' && msgs[0]?.Subject).toBe(
      out.status === 'summarised' && snsSubject(out.headline),
    );
    expect(msgs[0]?.Message).toContain('Failure throttled: 7');
    expect(metrics.sum('JobTasksFailed', { Bucket: DATA_BUCKET })).toBe(15);
    // Also once without dimensions, for the failure alarm.
    expect(
      metrics.records
        .filter((r) => r.name === 'JobTasksFailed' && Object.keys(r.dimensions).length === 0)
        .map((r) => r.value),
    ).toEqual([15]);
    expect(metrics.sum('ObjectsProcessed', { JobId: jobId, Route: 'copy' })).toBe(680);
    expect(metrics.sum('TaskFailures', { JobId: jobId, Cause: 'throttled' })).toBe(7);
    expect(metrics.sum('EstimatedKmsRequests')).toBeGreaterThan(0);
  });

  it('does not notify again when the same report arrives by the other event', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    const jobId = newJobId();
    await writeReportToS3(
      s3,
      reportLayout({ reportBucket: bucket, prefix: 'reports', jobId, tasks: realisticTasks() }),
      bucket,
    );
    const { run, published, metrics } = useCase(bucket, jobId);
    const first = await run({ kind: 'report-object', location: locationFor(bucket, 'reports', jobId) });
    const before = await text(s3, bucket, `reports/job-${jobId}/summary.json`);
    const event = await loadReportEvent('job-status-complete');
    const d = (event.detail as { serviceEventDetails: { jobId: string } }).serviceEventDetails;
    d.jobId = jobId;
    const [trigger] = parseReportEvent(event).triggers;
    if (!trigger) throw new Error('no trigger');
    // Act
    const second = await run(trigger);
    const third = await run({ kind: 'report-object', location: locationFor(bucket, 'reports', jobId) });
    // Assess
    expect(first.status).toBe('summarised');
    expect(second.status).toBe('unchanged');
    expect(third.status).toBe('unchanged');
    expect(await text(s3, bucket, `reports/job-${jobId}/summary.json`)).toBe(before);
    expect(published()).toHaveLength(1);
    expect(metrics.sum('JobTasksSucceeded')).toBe(981);
  });

  it('tells about a failed job that left no report, once', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    const jobId = newJobId();
    const { run, published } = useCase(bucket, jobId);
    const trigger = {
      kind: 'job-status' as const,
      jobId,
      status: 'Failed' as const,
      failureCodes: ['ManifestReadFailed'],
      statusChangeReason: ['Reading the manifest failed: Access Denied'],
    };
    // Act
    const a = await run(trigger);
    const b = await run(trigger);
    // Assess
    expect(a.status).toBe('summarised');
    expect(b.status).toBe('unchanged');
    const doc = JSON.parse(await text(s3, bucket, `reports/job-${jobId}/summary.json`)) as SummaryDocument;
    expect(doc.summary).toBeUndefined();
    expect(doc.job.failureReasons).toEqual([
      { code: 'ManifestReadFailed', reason: 'Reading the manifest failed: Access Denied' },
    ]);
    expect(published()).toHaveLength(1);
    expect(published()[0]?.Subject).toContain('Failed without a completion report');
  });

  it('gives its claim up when publishing fails, so the next delivery notifies', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    const jobId = newJobId();
    await writeReportToS3(
      s3,
      reportLayout({ reportBucket: bucket, prefix: 'reports', jobId, tasks: realisticTasks() }),
      bucket,
    );
    const { run, published } = useCase(bucket, jobId);
    const failing = makeCompletionReport({
      s3,
      settings: settings(bucket),
      metrics: new RecordingMetrics(),
      logger: silentLogger,
      notifier: { publish: () => Promise.reject(new Error('SNS is down')) },
    });
    const location = locationFor(bucket, 'reports', jobId);
    // Act
    const err = await failing({ kind: 'report-object', location }).catch((e: unknown) => e);
    const claim = JSON.parse(await text(s3, bucket, `reports/job-${jobId}/summary.json`)) as SummaryDocument;
    const retried = await run({ kind: 'report-object', location });
    // Assess
    expect((err as Error).message).toBe('SNS is down');
    expect(claim).toMatchObject({ state: 'claimed', claimedUntil: '1970-01-01T00:00:00.000Z' });
    expect(retried.status).toBe('summarised');
    expect(published()).toHaveLength(1);
  });

  it('leaves a report alone while another invocation holds a fresh claim on it', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    const jobId = newJobId();
    await writeReportToS3(
      s3,
      reportLayout({ reportBucket: bucket, prefix: 'reports', jobId, tasks: realisticTasks() }),
      bucket,
    );
    const location = locationFor(bucket, 'reports', jobId);
    const { summary } = await summariseReport(new S3ReportSource(s3), location, {
      sampleKeys: 3,
      keysEncoded: true,
    });
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `reports/job-${jobId}/summary.json`,
        Body: JSON.stringify({
          digest: summaryDigest(summary),
          state: 'claimed',
          claimedUntil: new Date(Date.now() + 60_000).toISOString(),
        }),
      }),
    );
    const { run, published } = useCase(bucket, jobId);
    // Act
    const out = await run({ kind: 'report-object', location });
    // Assess
    expect(out.status).toBe('in-progress');
    expect(published()).toHaveLength(0);
    expect(await exists(bucket, `reports/job-${jobId}/summary.md`)).toBe(false);
  });

  type Corrupt = (l: ReturnType<typeof reportLayout>) => ReturnType<typeof reportLayout>;
  const withFile = (l: ReturnType<typeof reportLayout>, f: (body: string) => string) => ({
    ...l,
    files: l.files.map((x, i) => (i === 0 ? { ...x, body: f(x.body) } : x)),
  });
  it.each<[string, Corrupt | 'missing', new (...a: never[]) => Error]>([
    ['a missing manifest', 'missing', ReportNotFoundError],
    [
      'an unknown Format',
      (l) => ({ ...l, manifest: { ...l.manifest, Format: 'Report_CSV_20991231' } }),
      ReportFormatError,
    ],
    ['a truncated CSV', (l) => withFile(l, (b) => b.slice(0, Math.floor(b.length / 2))), ReportCsvError],
    [
      'a CSV cut at a row boundary (MD5 mismatch)',
      (l) => withFile(l, (b) => `${b.split('\n').slice(0, 5).join('\n')}\n`),
      ReportChecksumError,
    ],
    [
      'a non-JSON resultString',
      (l) => withFile(l, (b) => b.replace(/"\{""r"":""copy""[^\n]*"/, '"copied fine"')),
      ReportResultStringError,
    ],
  ])('refuses %s: nothing written, nothing published', async (_name, corrupt, errorClass) => {
    // Prepare
    const bucket = await newBucket(s3);
    const jobId = newJobId();
    const layout = reportLayout({ reportBucket: bucket, prefix: 'reports', jobId, tasks: realisticTasks() });
    if (corrupt === 'missing') await writeReportToS3(s3, layout, bucket, { withManifest: false });
    else await writeReportToS3(s3, corrupt(layout), bucket);
    const before = await keysUnder(bucket, `reports/job-${jobId}/`);
    const { run, published, metrics } = useCase(bucket, jobId);
    // Act
    const err = await run({ kind: 'report-object', location: locationFor(bucket, 'reports', jobId) }).catch(
      (e: unknown) => e,
    );
    // Assess
    expect(err).toBeInstanceOf(errorClass);
    expect(await keysUnder(bucket, `reports/job-${jobId}/`)).toEqual(before);
    expect(await exists(bucket, `reports/job-${jobId}/summary.json`)).toBe(false);
    expect(published()).toHaveLength(0);
    expect(metrics.records).toHaveLength(0);
  });
});
