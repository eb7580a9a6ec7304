import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { loadScheduledConfig } from '../../../src/config/scheduled.js';
import { generateInventory } from '../../../src/inventory/generate.js';
import { LocalBatchEngine } from '../../../src/jobs/local-engine.js';
import { silentLogger } from '../../../src/observability/logger.js';
import { MetricNames, RecordingMetrics } from '../../../src/observability/metrics.js';
import { makeReencryptHandler } from '../../../src/reencrypt/index.js';
import { runScheduled } from '../../../src/scheduled/run.js';
import { motoClients, newBucket, newKmsKey } from '../../support/aws.js';

const HOUR = 3_600_000;

describe('scheduled sweep', () => {
  const { s3, kms, settings: aws } = motoClients();

  async function rig() {
    const [source, inventory, work] = await Promise.all([newBucket(s3), newBucket(s3), newBucket(s3)]);
    const keyArn = await newKmsKey(kms);
    const config = loadScheduledConfig(
      {
        BATCH_ROLE_ARN: 'arn:aws:iam::123456789012:role/batch',
        REENCRYPT_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:reencrypt',
        TARGET_KEY_ARN: keyArn,
        MANIFEST_BUCKET: work,
        REPORT_BUCKET: work,
        INVENTORY_BUCKET: inventory,
        INVENTORY_PREFIX: 'inventory',
        MANAGED_BUCKETS: source,
      },
      aws,
    );
    const handler = makeReencryptHandler(
      { s3 },
      {
        target: { keyArn, bucketKey: true },
        bucketKey: true,
        strategy: 'auto',
        multipartThresholdBytes: 5 * 1024 ** 3,
        deletePriorVersion: false,
        updateRoute: 'disabled',
      },
    );
    const engine = new LocalBatchEngine({ s3, handler, redrive: { baseDelayMs: 1, maxDelayMs: 5 } });
    const metrics = new RecordingMetrics();
    const deps = { s3, kms, jobs: engine, logger: silentLogger, metrics };
    const inventoryAt = (now: Date) =>
      generateInventory(s3, {
        sourceBucket: source,
        destinationBucket: inventory,
        destinationPrefix: 'inventory',
        configId: 'daily',
        now,
      });
    return { source, keyArn, config, engine, metrics, deps, inventoryAt };
  }

  it('processes a delivery whose event was missed, once', async () => {
    // Prepare: three SSE-S3 objects and an inventory nobody was told about
    const r = await rig();
    for (const k of ['a', 'b', 'c'])
      await s3.send(
        new PutObjectCommand({ Bucket: r.source, Key: k, Body: k, ServerSideEncryption: 'AES256' }),
      );
    await r.inventoryAt(new Date(Date.now() - HOUR));
    // Act
    const first = await runScheduled(r.deps, r.config);
    const [job] = await r.engine.list(r.config.trigger.accountId);
    await r.engine.waitFor(job!.jobId);
    const second = await runScheduled(r.deps, r.config);
    // Assess
    expect(first.buckets).toMatchObject([
      { sourceBucket: r.source, outcome: 'jobs-created', nonCompliant: 3 },
    ]);
    expect(second.buckets).toMatchObject([{ outcome: 'existing-jobs' }]);
    expect(await r.engine.list(r.config.trigger.accountId)).toHaveLength(1);
    const head = await s3.send(new HeadObjectCommand({ Bucket: r.source, Key: 'b' }));
    expect(head.SSEKMSKeyId).toBe(r.keyArn);
    expect(first.buckets[0]?.driftAfterCompletedRun).toBeUndefined();
  });

  it('reports drift when an inventory taken after a completed run still lists fixable objects', async () => {
    // Prepare: a completed run, then an upload that bypasses the key, then a later inventory
    const r = await rig();
    await s3.send(
      new PutObjectCommand({ Bucket: r.source, Key: 'old', Body: 'x', ServerSideEncryption: 'AES256' }),
    );
    await r.inventoryAt(new Date(Date.now() - HOUR));
    await runScheduled(r.deps, r.config);
    const [job] = await r.engine.list(r.config.trigger.accountId);
    await r.engine.waitFor(job!.jobId);
    await s3.send(
      new PutObjectCommand({ Bucket: r.source, Key: 'new', Body: 'y', ServerSideEncryption: 'AES256' }),
    );
    await r.inventoryAt(new Date(Date.now() + HOUR));
    // Act
    const out = await runScheduled(r.deps, r.config);
    // Assess: only the bypassing upload is drift; the metric the alarm reads carries it
    expect(out.buckets).toMatchObject([{ nonCompliant: 1, driftAfterCompletedRun: 1 }]);
    expect(r.metrics.sum(MetricNames.DriftAfterCompletedRun)).toBe(1);
    expect(r.metrics.sum(MetricNames.NonCompliantObjects, { Bucket: r.source })).toBeGreaterThanOrEqual(1);
  });

  it('publishes no drift while the previous run has not completed', async () => {
    // Prepare: the first job waits for confirmation, so it never completes
    const r = await rig();
    const pending = { ...r.config, trigger: { ...r.config.trigger, confirmationRequired: true } };
    await s3.send(
      new PutObjectCommand({ Bucket: r.source, Key: 'k', Body: 'x', ServerSideEncryption: 'AES256' }),
    );
    await r.inventoryAt(new Date(Date.now() - HOUR));
    await runScheduled(r.deps, pending);
    await r.inventoryAt(new Date(Date.now() + HOUR));
    // Act
    const out = await runScheduled(r.deps, pending);
    // Assess: progress of the waiting job is published, drift is not
    expect(out.buckets[0]?.driftAfterCompletedRun).toBeUndefined();
    expect(r.metrics.sum(MetricNames.DriftAfterCompletedRun)).toBe(0);
    expect(out.runningJobs.length).toBeGreaterThanOrEqual(1);
    expect(r.metrics.records.some((m) => m.name === MetricNames.JobProgressPercent)).toBe(true);
  });
});
