/**
 * Idempotency of the pipeline on moto, the re-encrypt handler's S3 traffic through the proxy
 * (test/support/s3-proxy.ts) so its writes can be counted per bucket:
 * - the same inventory delivered several times (S3 and EventBridge events, at once and later) makes one job;
 * - a rerun on a compliant bucket writes nothing (no new object version, no CopyObject);
 * - a task whose first attempt re-encrypted the object but whose answer was lost (the Lambda's answer, or
 *   the CopyObject answer on the wire) is redriven, sees the object compliant and does not copy it again.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { makeS3Client } from '../../../src/aws/clients.js';
import { decodeKey } from '../../../src/batch/keys.js';
import { parseResultString } from '../../../src/batch/result-string.js';
import type { BatchHandler } from '../../../src/batch/types.js';
import { generateInventory } from '../../../src/inventory/generate.js';
import { LocalBatchEngine } from '../../../src/jobs/local-engine.js';
import { silentLogger } from '../../../src/observability/logger.js';
import { noopMetrics } from '../../../src/observability/metrics.js';
import { runTrigger } from '../../../src/trigger/run.js';
import { loadEvent, triggerSettings } from '../../helpers/inventory.js';
import { ACCOUNT_ID } from '../../helpers/jobs.js';
import { motoClients, motoSettings, newBucket, newKmsKey } from '../../support/aws.js';
import { type S3Proxy, startS3Proxy } from '../../support/s3-proxy.js';
import { motoHandler, readerClient } from '../reencrypt/support.js';
import {
  putCsvManifest,
  readBack,
  reencryptEngine,
  runReencryptJob,
  seedObjects,
  versionsOf,
} from './rig.js';

const direct = motoClients();
const reader = readerClient();
let proxy: S3Proxy;
let target: string;

beforeAll(async () => {
  proxy = await startS3Proxy({ target: inject('motoEndpoint') });
  target = await newKmsKey(direct.kms, 'reliability idempotency');
});
afterAll(async () => {
  await proxy.stop();
});
beforeEach(() => {
  proxy.reset();
});

/** Requests the proxy saw for one bucket, by operation. */
const writesTo = (bucket: string) => {
  const ops = proxy
    .log()
    .filter((e) => e.bucket === bucket)
    .map((e) => e.operation);
  const count = (op: string) => ops.filter((o) => o === op).length;
  return {
    copies: count('CopyObject'),
    puts: count('PutObject') + count('CompleteMultipartUpload'),
    updates: count('UpdateObjectEncryption'),
  };
};

/** A versioned bucket of unencrypted objects (every write shows as a new version). */
async function versionedData(n: number) {
  const data = await newBucket(direct.s3, {
    prefix: 'idem',
    versioned: true,
    extra: { ObjectOwnership: 'BucketOwnerEnforced' },
  });
  const keys = Array.from({ length: n }, (_, i) => `idem/${i}.txt`);
  const digests = await seedObjects(direct.s3, data, keys);
  return { data, keys, digests };
}

/** The EventBridge "Object Created" event S3 would send for a manifest.json (moto sends none). */
const eventBridgeEvent = (ref: { bucket: string; key: string }) =>
  loadEvent<{ detail: { bucket: { name: string }; object: Record<string, unknown> } }>(
    'eventbridge/inventory-manifest-created.json',
    (e) => {
      e.detail.bucket.name = ref.bucket;
      e.detail.object = { key: ref.key, size: 100 };
    },
  );

const compliantAndIntact = async (bucket: string, keys: readonly string[], digests: Map<string, string>) => {
  const stored = await readBack(reader, bucket, keys);
  return keys.filter((k) => {
    const o = stored.get(k);
    return !(o && o.sse === 'aws:kms' && o.kmsKeyId === target && o.sha256 === digests.get(k));
  });
};

describe('duplicate deliveries and reruns', () => {
  it('makes one job from one inventory however often and however its events arrive', async () => {
    // Prepare: a bucket, its inventory (generated in the AWS layout), the engine as the Batch port
    const { data, keys, digests } = await versionedData(12);
    const [inventoryBucket, workBucket] = await Promise.all([
      newBucket(direct.s3, { prefix: 'inv' }),
      newBucket(direct.s3, { prefix: 'work' }),
    ]);
    const inventory = await generateInventory(direct.s3, {
      sourceBucket: data,
      destinationBucket: inventoryBucket,
      now: new Date('2026-01-02T00:00:00Z'),
    });
    const s3Event = loadEvent<{
      Records: { s3: { bucket: { name: string }; object: Record<string, unknown> } }[];
    }>('s3/inventory-manifest-created.json', (e) => {
      const r = e.Records[0]!;
      r.s3.bucket.name = inventory.ref.bucket;
      r.s3.object = { key: inventory.ref.key, size: 100, eTag: inventory.manifestEtag };
    });
    const eventBridge = eventBridgeEvent(inventory.ref);
    const rig = reencryptEngine({ s3: motoClients(proxy.endpoint).s3, targetKeyArn: target, concurrency: 8 });
    const deps = {
      s3: direct.s3,
      kms: direct.kms,
      jobs: rig.engine,
      logger: silentLogger,
      metrics: noopMetrics,
    };
    const settings = triggerSettings({
      targetKey: target,
      manifests: { bucket: workBucket, prefix: 'manifests' },
      reports: { bucket: workBucket, prefix: 'reports', scope: 'AllTasks' },
    });

    // Act: three deliveries at once (S3 twice, EventBridge once), then a late redelivery
    const together = await Promise.all([
      runTrigger(deps, settings, s3Event),
      runTrigger(deps, settings, s3Event),
      runTrigger(deps, settings, eventBridge),
    ]);
    const late = await runTrigger(deps, settings, s3Event);
    const jobs = await rig.engine.list(ACCOUNT_ID);
    const done = await rig.engine.waitFor(jobs[0]!.jobId);

    // Assess: one job, named by every delivery; it re-encrypted each object once
    expect(jobs).toHaveLength(1);
    const named = [...together, late].flat().map((o) => ('jobs' in o ? o.jobs.map((j) => j.jobId) : []));
    expect(new Set(named.flat())).toEqual(new Set([jobs[0]!.jobId]));
    expect(late[0]?.status).toBe('existing-jobs');
    expect(done).toMatchObject({ status: 'Complete', progress: { succeeded: keys.length, failed: 0 } });
    expect(writesTo(data).copies).toBe(keys.length);
    expect(await compliantAndIntact(data, keys, digests)).toEqual([]);
  }, 60_000);

  it('writes nothing when run again on a bucket that is already compliant', async () => {
    // Prepare: a first job re-encrypts the bucket
    const { data, keys, digests } = await versionedData(12);
    const [manifests, reports, inventoryBucket, workBucket] = await Promise.all([
      newBucket(direct.s3, { prefix: 'manifests' }),
      newBucket(direct.s3, { prefix: 'reports' }),
      newBucket(direct.s3, { prefix: 'inv' }),
      newBucket(direct.s3, { prefix: 'work' }),
    ]);
    const manifest = await putCsvManifest(
      direct.s3,
      manifests,
      keys.map((key) => ({ bucket: data, key })),
    );
    const rig = reencryptEngine({ s3: motoClients(proxy.endpoint).s3, targetKeyArn: target, concurrency: 8 });
    const first = await runReencryptJob(rig.engine, {
      manifest,
      reportsBucket: reports,
      targetKeyArn: target,
      token: 'first',
    });
    const before = await versionsOf(direct.s3, data);
    proxy.resetCounts();

    // Act: the same job again (a new token), and the trigger on a fresh inventory of the bucket
    const again = await runReencryptJob(rig.engine, {
      manifest,
      reportsBucket: reports,
      targetKeyArn: target,
      token: 'again',
    });
    const inventory = await generateInventory(direct.s3, {
      sourceBucket: data,
      destinationBucket: inventoryBucket,
      now: new Date('2026-02-01T00:00:00Z'),
    });
    const outcome = await runTrigger(
      { s3: direct.s3, kms: direct.kms, jobs: rig.engine, logger: silentLogger, metrics: noopMetrics },
      triggerSettings({ targetKey: target, manifests: { bucket: workBucket, prefix: 'm' } }),
      eventBridgeEvent(inventory.ref),
    );

    // Assess: every task skipped, no version added, no write sent to the data bucket, no new job
    expect(first.progress).toMatchObject({ succeeded: keys.length, failed: 0 });
    expect(again).toMatchObject({ status: 'Complete', progress: { succeeded: keys.length, failed: 0 } });
    expect(rig.metrics.sum('ObjectsProcessed', { Route: 'skip' })).toBe(keys.length);
    expect(await versionsOf(direct.s3, data)).toEqual(before);
    expect(writesTo(data)).toEqual({ copies: 0, puts: 0, updates: 0 });
    expect(outcome[0]?.status).toBe('compliant');
    expect(await rig.engine.list(ACCOUNT_ID)).toHaveLength(2);
    expect(await compliantAndIntact(data, keys, digests)).toEqual([]);
  }, 60_000);
});

describe('a task whose first attempt succeeded but whose answer was lost', () => {
  it('is retried after the Lambda failed behind its copy, and the retry skips the object', async () => {
    // Prepare: the real handler, but each task's first invocation fails after its copy landed (a timeout or
    // a crash after the write): Batch records a function error, a failed task, not a redrive (aws-facts §1.6)
    const { data, keys, digests } = await versionedData(10);
    const [manifests, reports] = await Promise.all([newBucket(direct.s3), newBucket(direct.s3)]);
    const manifest = await putCsvManifest(
      direct.s3,
      manifests,
      keys.map((key) => ({ bucket: data, key })),
    );
    const { handler: real } = motoHandler(motoClients(proxy.endpoint).s3, target, { taskConcurrency: 1 });
    const failedOnce = new Set<string>();
    const routes: string[] = [];
    const failsAfterFirstCopy: BatchHandler = async (event, context) => {
      const response = await real(event, context);
      routes.push(parseResultString(response.results[0]!.resultString).route);
      const key = decodeKey(event.tasks[0]!.s3Key);
      if (failedOnce.has(key)) return response;
      failedOnce.add(key);
      throw new Error('Task timed out after 900.00 seconds');
    };
    const engine = new LocalBatchEngine({ s3: direct.s3, handler: failsAfterFirstCopy, concurrency: 5 });
    const versionsBefore = (await versionsOf(direct.s3, data)).length;

    // Act: the job, then the retry job over its failed tasks (the completion report's retry manifest)
    const job = await runReencryptJob(engine, { manifest, reportsBucket: reports, targetKeyArn: target });
    const retry = await runReencryptJob(engine, {
      manifest,
      reportsBucket: reports,
      targetKeyArn: target,
      token: 'retry-1',
    });

    // Assess: the first job's tasks failed although their copies landed; the retry found every object
    // compliant and wrote nothing: one copy (one new version) per object in all
    expect(job).toMatchObject({ status: 'Complete', progress: { succeeded: 0, failed: keys.length } });
    expect(retry).toMatchObject({ status: 'Complete', progress: { succeeded: keys.length, failed: 0 } });
    expect(routes.filter((r) => r === 'copy')).toHaveLength(keys.length);
    expect(routes.filter((r) => r === 'skip')).toHaveLength(keys.length);
    expect(writesTo(data).copies).toBe(keys.length);
    expect((await versionsOf(direct.s3, data)).length).toBe(versionsBefore + keys.length);
    expect(await compliantAndIntact(data, keys, digests)).toEqual([]);
  }, 60_000);

  it('is redriven after the CopyObject answer is lost on the wire and does not copy again', async () => {
    // Prepare: every CopyObject is applied by moto, then its connection is reset (ack lost). SDK retries
    // are off here so the lost answer reaches the handler; the SDK-retry case is in the report's notes.
    const { data, keys, digests } = await versionedData(10);
    const [manifests, reports] = await Promise.all([newBucket(direct.s3), newBucket(direct.s3)]);
    const manifest = await putCsvManifest(
      direct.s3,
      manifests,
      keys.map((key) => ({ bucket: data, key })),
    );
    const once = makeS3Client({ ...motoSettings(proxy.endpoint), maxAttempts: 1 });
    const rig = reencryptEngine({ s3: once, targetKeyArn: target, concurrency: 4 });
    const versionsBefore = (await versionsOf(direct.s3, data)).length;
    proxy.setFaults([{ kind: 'connectionReset', when: 'after', rate: 1, operations: ['CopyObject'] }]);

    // Act
    const job = await runReencryptJob(rig.engine, { manifest, reportsBucket: reports, targetKeyArn: target });
    proxy.clearFaults();

    // Assess: each object copied once; the redrive looked, found it compliant and skipped it
    expect(job).toMatchObject({
      status: 'Complete',
      progress: { succeeded: keys.length, failed: 0, redrives: keys.length },
    });
    expect(proxy.faultCounts().byKind.connectionReset).toBe(keys.length);
    expect(rig.metrics.sum('TaskRetries', { Cause: 'network' })).toBe(keys.length);
    expect(rig.metrics.sum('ObjectsProcessed', { Route: 'skip' })).toBe(keys.length);
    expect(writesTo(data).copies).toBe(keys.length);
    expect((await versionsOf(direct.s3, data)).length).toBe(versionsBefore + keys.length);
    expect(await compliantAndIntact(data, keys, digests)).toEqual([]);
  }, 60_000);
});
