/**
 * Retry policy under transient faults: a 2,000-object job run by the LocalBatchEngine with the real
 * re-encrypt handler, every S3 request of the run (handler, manifest read, report write) through the proxy
 * (test/support/s3-proxy.ts), which fails 10 % of them with 503 SlowDown, 500 InternalError or a reset
 * connection, seeded. The clients use the product's default retry settings (awsSettingsFromEnv with no
 * AWS_MAX_ATTEMPTS / AWS_RETRY_MODE), so the test proves the defaults, not a tuned client.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { awsSettingsFromEnv, makeS3Client } from '../../../src/aws/clients.js';
import { parseResultString } from '../../../src/batch/result-string.js';
import type { ReportManifest } from '../../../src/jobs/local/report-writer.js';
import { reportManifestKey } from '../../../src/jobs/port.js';
import { MetricNames } from '../../../src/observability/metrics.js';
import { motoClients, newBucket, newKmsKey, TEST_CREDENTIALS } from '../../support/aws.js';
import { type S3Proxy, startS3Proxy } from '../../support/s3-proxy.js';
import { readerClient } from '../reencrypt/support.js';
import {
  putCsvManifest,
  readBack,
  reencryptEngine,
  runReencryptJob,
  seedingClient,
  seedObjects,
} from './rig.js';

const OBJECTS = 2_000;
const CONCURRENCY = 24;
/**
 * 10 % of the re-encrypt traffic (every request to the data bucket) fails: 4 % 503 SlowDown, 3 % 500
 * InternalError, 3 % reset connections. Rules fire in order, so each later rate is scaled up to keep those
 * shares of all requests. The engine's own manifest read and report write are left alone: on AWS, Batch does
 * those, and a fault there would fail the run for a reason this test is not about.
 */
const faultPlan = (dataBucket: string) => {
  const onData = (r: { bucket?: string }) => r.bucket === dataBucket;
  return {
    seed: 20_260_601,
    rules: [
      { kind: 'slowDown', rate: 0.04, operations: 's3', match: onData },
      { kind: 'internalError', rate: 0.03 / 0.96, operations: 's3', match: onData },
      { kind: 'connectionReset', rate: 0.03 / (0.96 * (1 - 0.03 / 0.96)), operations: 's3', match: onData },
    ],
  } as const;
};

const direct = motoClients();
const reader = readerClient();
let proxy: S3Proxy;
let target: string;

beforeAll(async () => {
  // No competing writer here, so the copy preconditions always hold: the proxy's check of them (one HEAD per
  // copy) is skipped to keep the 2,000-object run fast. races.test.ts is where they are enforced.
  proxy = await startS3Proxy({ target: inject('motoEndpoint'), enforceConditions: false, logLimit: 20_000 });
  target = await newKmsKey(direct.kms, 'reliability faults');
});
afterAll(async () => {
  await proxy.stop();
});

/** What `s3-reencrypt run` builds from an environment that only names the endpoint. */
function defaultClientOnProxy() {
  const settings = awsSettingsFromEnv({ AWS_ENDPOINT_URL: proxy.endpoint, AWS_REGION: 'us-east-1' });
  return { settings, s3: makeS3Client({ ...settings, credentials: TEST_CREDENTIALS }) };
}

describe('the retry layers', () => {
  // SDK (3 attempts per request, standard mode) → TemporaryFailure → engine redrive (5, back-off lowered here).
  it.each([
    ['the SDK absorbs two failures of one request', 2, { succeeded: 1, failed: 0, redrives: 0 }, 3],
    [
      'a third failure becomes a TemporaryFailure that one redrive settles',
      3,
      { succeeded: 1, failed: 0, redrives: 1 },
      4,
    ],
    [
      'a request failing on every attempt fails the task after the last redrive',
      1_000,
      { succeeded: 0, failed: 1, redrives: 5 },
      18,
    ],
  ] as const)('%s', async (_name, failures, progress, copies) => {
    // Prepare: one object; its CopyObject answered 500 InternalError `failures` times
    const [data, manifests] = await Promise.all([newBucket(direct.s3), newBucket(direct.s3)]);
    await seedObjects(direct.s3, data, ['k']);
    const manifest = await putCsvManifest(direct.s3, manifests, [{ bucket: data, key: 'k' }]);
    const { s3 } = defaultClientOnProxy();
    const rig = reencryptEngine({ s3, targetKeyArn: target, concurrency: 1 });
    proxy.reset();
    proxy.setFaults([
      {
        kind: 'internalError',
        rate: 1,
        maxCount: failures,
        operations: ['CopyObject'],
        match: (r) => r.bucket === data,
      },
    ]);
    // Act
    const job = await runReencryptJob(rig.engine, {
      manifest,
      reportsBucket: manifests,
      targetKeyArn: target,
    });
    // Assess: attempts = 3 per invocation, invocations = 1 + redrives
    expect(job.progress).toMatchObject(progress);
    expect(proxy.log().filter((e) => e.bucket === data && e.operation === 'CopyObject')).toHaveLength(copies);
    proxy.clearFaults();
    const [stored] = (await readBack(reader, data, ['k'])).values();
    expect(stored?.sse).toBe(progress.succeeded === 1 ? 'aws:kms' : undefined);
  });
});

describe('a job under 10 % transient S3 faults', () => {
  it('re-encrypts every object of a 2,000-object job, byte for byte, and reports the retries', async () => {
    // Prepare: unencrypted objects, their digests, a manifest; all written directly to moto
    const [data, manifests, reports] = await Promise.all([
      // Bucket owner enforced (the S3 default since 2023): no ACL to carry, so one GetObjectAcl fewer per object.
      newBucket(direct.s3, { prefix: 'faults', extra: { ObjectOwnership: 'BucketOwnerEnforced' } }),
      newBucket(direct.s3, { prefix: 'manifests' }),
      newBucket(direct.s3, { prefix: 'reports' }),
    ]);
    const keys = Array.from(
      { length: OBJECTS },
      (_, i) => `data/${String(i).padStart(4, '0')}/object ${i}.bin`,
    );
    const started = Date.now();
    const digests = await seedObjects(seedingClient(), data, keys);
    const seeded = Date.now();
    const manifest = await putCsvManifest(
      direct.s3,
      manifests,
      keys.map((key) => ({ bucket: data, key })),
    );
    const { settings, s3 } = defaultClientOnProxy();
    const rig = reencryptEngine({ s3, targetKeyArn: target, concurrency: CONCURRENCY });
    proxy.reset();
    proxy.setFaults(faultPlan(data));

    // Act
    const job = await runReencryptJob(rig.engine, { manifest, reportsBucket: reports, targetKeyArn: target });
    const ran = Date.now();
    const counts = proxy.counts();
    const faults = proxy.faultCounts();
    const dataRequests = proxy.log().filter((e) => e.bucket === data).length;
    proxy.clearFaults();

    // Assess: the product defaults under test
    expect(settings).toMatchObject({ maxAttempts: 3, retryMode: 'standard' });
    // the faults really were ~10 % of the requests to the data bucket, of every kind
    expect(faults.total / dataRequests).toBeGreaterThan(0.08);
    expect(faults.total / dataRequests).toBeLessThan(0.12);
    expect(faults.byKind).toMatchObject({
      slowDown: expect.any(Number),
      internalError: expect.any(Number),
      connectionReset: expect.any(Number),
    });
    // the job finished with every task succeeded
    expect(job).toMatchObject({
      status: 'Complete',
      progress: { totalTasks: OBJECTS, succeeded: OBJECTS, failed: 0 },
    });
    // every object is under the target key, with its bytes unchanged
    const stored = await readBack(reader, data, keys);
    const checked = Date.now();
    const wrong = keys.filter((k) => {
      const o = stored.get(k);
      return !(
        o &&
        o.sha256 === digests.get(k) &&
        o.sse === 'aws:kms' &&
        o.kmsKeyId === target &&
        o.bucketKey === true
      );
    });
    expect(wrong).toEqual([]);
    // the completion report lists every task as succeeded with the copy route
    const reportManifest = JSON.parse(
      (await (
        await reader.send(
          new GetObjectCommand({ Bucket: reports, Key: reportManifestKey('reports', job.jobId) }),
        )
      ).Body?.transformToString()) ?? '',
    ) as ReportManifest;
    const rows: string[][] = [];
    for (const r of reportManifest.Results) {
      const body = await (await reader.send(new GetObjectCommand({ Bucket: reports, Key: r.Key }))).Body;
      rows.push(...(parse((await body?.transformToString()) ?? '') as string[][]));
    }
    expect(rows).toHaveLength(OBJECTS);
    expect(rows.filter((r) => r[3] !== 'succeeded')).toEqual([]);
    expect(new Set(rows.map((r) => parseResultString(r[6] ?? '').route))).toEqual(new Set(['copy']));
    // the retries are visible: SDK retries as requests beyond one per fault-free attempt, engine redrives
    // (TemporaryFailure answers redriven) in the job's progress, the handler's TaskRetries metric
    const redrives = job.progress.redrives ?? 0;
    expect(redrives).toBe(rig.events.filter((e) => e.type === 'task' && e.outcome === 'redrive').length);
    expect(rig.metrics.sum(MetricNames.TaskRetries)).toBe(redrives);
    expect(rig.meter.calls).toBe(OBJECTS + redrives);
    expect(rig.meter.max).toBeLessThanOrEqual(CONCURRENCY);
    console.info(
      JSON.stringify({
        reliability: 'faults',
        objects: OBJECTS,
        dataRequests,
        faults: faults.byKind,
        faultShare: Number((faults.total / dataRequests).toFixed(4)),
        engineRedrives: redrives,
        taskRetriesByCause: Object.fromEntries(
          rig.metrics.records
            .filter((r) => r.name === MetricNames.TaskRetries)
            .map((r) => [
              r.dimensions.Cause,
              rig.metrics.sum(MetricNames.TaskRetries, { Cause: r.dimensions.Cause ?? '' }),
            ]),
        ),
        maxInFlight: rig.meter.max,
        ms: { seed: seeded - started, job: ran - seeded, readBack: checked - ran },
        byOperation: counts.byOperation,
      }),
    );
    // 2,000 objects are ~8,500 moto requests: about 45 s of moto's single core; far more on a shared, loaded
    // machine, where a short limit would only turn slowness into a failure.
  }, 480_000);
});
