/**
 * The report path after a real run on moto: the LocalBatchEngine drives the real re-encrypt handler over
 * objects in a bucket, writes the completion report in the AWS layout, and the completion-report use case
 * summarises it. Then a chain of retry jobs, created by the use case through the same engine, stops at the
 * configured bound and re-runs only the tasks worth retrying.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { decodeKey, encodeKey } from '../../../src/batch/keys.js';
import { encodeResultString } from '../../../src/batch/result-string.js';
import type { BatchHandler } from '../../../src/batch/types.js';
import { LocalBatchEngine } from '../../../src/jobs/local-engine.js';
import { silentLogger } from '../../../src/observability/logger.js';
import { RecordingMetrics } from '../../../src/observability/metrics.js';
import { makeReencryptHandler } from '../../../src/reencrypt/handler.js';
import { SINGLE_COPY_LIMIT_BYTES } from '../../../src/reencrypt/types.js';
import type { SummaryDocument } from '../../../src/report/document.js';
import { locationFor } from '../../../src/report/location.js';
import { type CompletionReportSettings, makeCompletionReport } from '../../../src/report/process.js';
import {
  ACCOUNT_ID,
  aCreateJobRequest,
  csvManifestText,
  FUNCTION_ARN,
  ROLE_ARN,
  recordingHandler,
} from '../../helpers/jobs.js';
import { motoClients, newBucket, newKmsKey } from '../../support/aws.js';

const { s3, kms } = motoClients();

const text = async (Bucket: string, Key: string) =>
  (await (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body?.transformToString()) ?? '';

const baseSettings = (
  reports: string,
  targetKeyArn: string,
  maxAttempts: number,
): CompletionReportSettings => ({
  reportBucket: reports,
  reportPrefix: 'reports',
  accountId: ACCOUNT_ID,
  sampleKeys: 5,
  keysEncoded: true,
  retry: {
    enabled: maxAttempts > 0,
    maxAttempts,
    accountId: ACCOUNT_ID,
    roleArn: ROLE_ARN,
    functionArn: FUNCTION_ARN,
    userArguments: { targetKeyArn, bucketKey: 'true', strategy: 'auto' },
    priority: 10,
    confirmationRequired: false,
  },
  cost: { region: 'us-east-1', bucketKey: true },
  claimMs: 60_000,
});

async function putManifest(bucket: string, rows: readonly (readonly string[])[]) {
  const out = await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: 'plan/manifest.csv', Body: csvManifestText(rows) }),
  );
  return {
    format: 'S3BatchOperations_CSV_20180820' as const,
    bucket,
    key: 'plan/manifest.csv',
    etag: (out.ETag ?? '').replace(/"/g, ''),
    fields: ['Bucket', 'Key'] as ('Bucket' | 'Key')[],
  };
}

describe('report after a run on moto', () => {
  it('summarises a real run: counts match the objects actually re-encrypted', async () => {
    // Prepare: objects of every kind, and a job over all of them.
    const [data, reports, target] = await Promise.all([newBucket(s3), newBucket(s3), newKmsKey(kms)]);
    const objects: [string, Partial<PutObjectCommandInput>][] = [
      ['plain/a.txt', {}],
      ['plain/b c.txt', { ServerSideEncryption: 'AES256' }],
      ['plain/d,e.txt', { ServerSideEncryption: 'AES256' }],
      ['done/x.txt', { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: target, BucketKeyEnabled: true }],
      ['cold/archived.bin', { StorageClass: 'GLACIER' }],
    ];
    for (const [Key, extra] of objects)
      await s3.send(new PutObjectCommand({ Bucket: data, Key, Body: `body of ${Key}`, ...extra }));
    const handler = makeReencryptHandler(
      { s3 },
      {
        target: { keyArn: target, bucketKey: true },
        bucketKey: true,
        strategy: 'auto',
        multipartThresholdBytes: SINGLE_COPY_LIMIT_BYTES,
        deletePriorVersion: false,
        updateRoute: 'disabled',
        taskConcurrency: 4,
      },
    );
    const engine = new LocalBatchEngine({ s3, handler, concurrency: 4, redrive: { maxRedrives: 0 } });
    const manifest = await putManifest(
      reports,
      objects.map(([k]) => [data, encodeKey(k)]),
    );
    const { jobId } = await engine.create(
      aCreateJobRequest({
        manifest,
        operation: {
          kind: 'LambdaInvoke',
          functionArn: FUNCTION_ARN,
          invocationSchemaVersion: '2.0',
          userArguments: { targetKeyArn: target, bucketKey: 'true' },
        },
        report: { bucket: reports, prefix: 'reports', scope: 'AllTasks' },
      }),
    );
    await engine.waitFor(jobId);
    const run = makeCompletionReport({
      s3,
      settings: baseSettings(reports, target, 0),
      metrics: new RecordingMetrics(),
      logger: silentLogger,
      jobs: engine,
    });
    // Act
    const out = await run({
      kind: 'job-status',
      jobId,
      status: 'Complete',
      accountId: ACCOUNT_ID,
      failureCodes: [],
      statusChangeReason: [],
    });
    // Assess: what S3 now holds is what the summary says.
    const doc = JSON.parse(await text(reports, `reports/job-${jobId}/summary.json`)) as SummaryDocument;
    const now = await Promise.all(
      objects.map(([Key]) => s3.send(new HeadObjectCommand({ Bucket: data, Key }))),
    );
    const underTarget = now.filter((h) => h.SSEKMSKeyId === target).length;
    const s = doc.summary;
    expect(out.status).toBe('summarised');
    expect(s?.tasks).toMatchObject({ total: 5, succeeded: 4, failed: 1 });
    expect(
      (s?.routes.copy.objects ?? 0) + (s?.routes.update.objects ?? 0) + (s?.routes.skip.objects ?? 0),
    ).toBe(underTarget);
    expect(s?.routes.skip.objects).toBe(1);
    expect(s?.routes.copy.objects).toBe(3);
    expect(s?.routes.blocked.objects).toBe(1);
    expect(s?.failures.byCause).toEqual([
      expect.objectContaining({
        cause: 'archived-restore-first',
        count: 1,
        retryable: 0,
        samples: [expect.objectContaining({ key: 'cold/archived.bin' })],
      }),
    ]);
    expect(doc.job).toMatchObject({ status: 'Complete', totalTasks: 5 });
    expect(doc.retry.manifests).toEqual([]);
  });

  it('creates retry jobs for temporary failures only, and stops at the bound', async () => {
    // Prepare: keys with "hot" fail with throttling every time, "deny" fails permanently, the rest succeed.
    const [data, reports] = await Promise.all([newBucket(s3), newBucket(s3)]);
    const target = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const keys = ['ok/1', 'ok/2', 'hot/1', 'hot/2 x', 'deny/1'];
    const { handler: fake, events } = recordingHandler((task) => {
      const key = decodeKey(task.s3Key);
      if (key.startsWith('hot/'))
        return {
          resultCode: 'TemporaryFailure',
          resultString: encodeResultString({
            route: 'copy',
            bytes: 1,
            source: 'AES256',
            ms: 3,
            cause: 'throttled',
          }),
        };
      if (key.startsWith('deny/'))
        return {
          resultCode: 'PermanentFailure',
          resultString: encodeResultString({
            route: 'copy',
            bytes: 1,
            source: 'AES256',
            ms: 3,
            cause: 'access-denied',
          }),
        };
      return {
        resultCode: 'Succeeded',
        resultString: encodeResultString({ route: 'copy', bytes: 1, source: 'AES256', ms: 3 }),
      };
    });
    const engine = new LocalBatchEngine({
      s3,
      handler: fake as BatchHandler,
      concurrency: 2,
      redrive: { maxRedrives: 0 },
    });
    const manifest = await putManifest(
      reports,
      keys.map((k) => [data, encodeKey(k)]),
    );
    const { jobId: first } = await engine.create(
      aCreateJobRequest({ manifest, report: { bucket: reports, prefix: 'reports', scope: 'AllTasks' } }),
    );
    await engine.waitFor(first);
    const run = makeCompletionReport({
      s3,
      settings: baseSettings(reports, target, 2),
      metrics: new RecordingMetrics(),
      logger: silentLogger,
      jobs: engine,
    });
    // Act: follow the chain as the S3 events on each report would.
    const chain: SummaryDocument[] = [];
    let jobId = first;
    for (let i = 0; i < 4; i++) {
      await engine.waitFor(jobId);
      const out = await run({ kind: 'report-object', location: locationFor(reports, 'reports', jobId) });
      if (out.status !== 'summarised') throw new Error(`unexpected ${out.status}`);
      chain.push(out.document);
      const next = out.retryJobIds[0];
      if (!next) break;
      jobId = next;
    }
    // Assess
    expect(chain.map((d) => [d.retry.attempt, d.retry.eligible, d.retry.jobs.length])).toEqual([
      [0, 2, 1],
      [1, 2, 1],
      [2, 2, 0],
    ]);
    expect(chain[2]?.retry.skipped).toMatch(/retry limit reached \(this job is attempt 2 of 2\)/);
    // Retry jobs ran only the throttled keys, never the denied or the succeeded ones.
    const retried = events
      .filter((e) => e.job.id !== first)
      .flatMap((e) => e.tasks.map((t) => decodeKey(t.s3Key)));
    expect(retried.sort()).toEqual(['hot/1', 'hot/1', 'hot/2 x', 'hot/2 x']);
    const second = await engine.describe(ACCOUNT_ID, chain[0]?.retry.jobs[0]?.jobId ?? '');
    expect(second.description).toBe(`s3-reencrypt retry 1/2 of job ${first}`);
    // A second delivery of the first report creates no second retry job (summary unchanged, same token).
    const again = await run({ kind: 'report-object', location: locationFor(reports, 'reports', first) });
    expect(again.status).toBe('unchanged');
    expect((await engine.list(ACCOUNT_ID)).length).toBe(3);
  });
});
