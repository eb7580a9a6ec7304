/**
 * Bad-input corpus, part 1 (fixtures in test/helpers/bad-input/): Batch events to the re-encrypt handler,
 * S3 / EventBridge events to the manifest trigger, and S3 Inventory deliveries. Each case must be refused
 * with an error (or answer) that names the problem, and leave every bucket of the world exactly as it was
 * (ListObjectVersions before and after) with no job asked for. The re-encrypt handler's traffic goes
 * through the proxy, which shows that a bad task is refused before any request is sent.
 */
import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseResultString } from '../../../src/batch/result-string.js';
import type { BatchEvent, BatchResponse } from '../../../src/batch/types.js';
import { silentLogger } from '../../../src/observability/logger.js';
import { noopMetrics } from '../../../src/observability/metrics.js';
import { InvalidTaskError, makeReencryptHandler } from '../../../src/reencrypt/index.js';
import { SINGLE_COPY_LIMIT_BYTES } from '../../../src/reencrypt/types.js';
import { runTrigger } from '../../../src/trigger/run.js';
import { BATCH_EVENT_CASES } from '../../helpers/bad-input/batch-events.js';
import {
  CSV_SCHEMA,
  gz,
  INVENTORY_CASES,
  type InventoryDelivery,
  TRIGGER_EVENT_CASES,
} from '../../helpers/bad-input/trigger.js';
import { manifestDocument, triggerSettings } from '../../helpers/inventory.js';
import { motoClients } from '../../support/aws.js';
import { type S3Proxy, startS3Proxy } from '../../support/s3-proxy.js';
import { lambdaContext } from '../../unit/reencrypt/support/events.js';
import {
  type BadInputWorld,
  badInputWorld,
  DATA_KEYS,
  expectUnchanged,
  RecordingBatchJobs,
  rejection,
  snapshot,
} from './bad-input-world.js';

let w: BadInputWorld;
let proxy: S3Proxy;

beforeAll(async () => {
  [w, proxy] = await Promise.all([badInputWorld(), startS3Proxy({ target: inject('motoEndpoint') })]);
});
afterAll(async () => {
  await proxy.stop();
});

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

describe('Batch events to the re-encrypt handler', () => {
  const handlerFor = (configuredTarget: boolean) =>
    makeReencryptHandler(
      { s3: motoClients(proxy.endpoint).s3 },
      {
        ...(configuredTarget ? { target: { keyArn: w.targetKeyArn, bucketKey: true } } : {}),
        bucketKey: true,
        strategy: 'auto',
        multipartThresholdBytes: SINGLE_COPY_LIMIT_BYTES,
        deletePriorVersion: false,
        updateRoute: 'disabled',
      },
    );

  it('re-encrypts the object when the same event is valid (the cases fail for their own reason)', async () => {
    // Prepare: a valid schema 2.0 event for the world's first object, handled on a copy of it
    const control = `control/${DATA_KEYS[0]}`;
    await w.s3.send(new PutObjectCommand({ Bucket: w.dataBucket, Key: control, Body: 'control' }));
    const valid = {
      invocationSchemaVersion: '2.0',
      invocationId: 'inv-control',
      job: { id: 'job-control', userArguments: { targetKeyArn: w.targetKeyArn } },
      tasks: [{ taskId: 't-1', s3Key: control, s3VersionId: null, s3Bucket: w.dataBucket }],
    };
    // Act
    const response = await handlerFor(false)(valid as BatchEvent, lambdaContext());
    // Assess
    expect(response.results[0]).toMatchObject({ resultCode: 'Succeeded' });
    expect(parseResultString(response.results[0]!.resultString).route).toBe('copy');
  });

  it.each(BATCH_EVENT_CASES)('$name', async ({ input, names }) => {
    // Prepare
    const handler = handlerFor(input.configuredTarget ?? false);
    const before = await snapshot(w);
    proxy.resetCounts();
    // Act
    let response: BatchResponse | undefined;
    let error: unknown;
    try {
      response = await handler(input.event(w) as BatchEvent, lambdaContext());
    } catch (e) {
      error = e;
    }
    // Assess: refused, naming the field; no request sent, nothing written
    if (input.refusal === 'throws') {
      expect(error).toBeInstanceOf(InvalidTaskError);
      expect((error as Error).message).toMatch(names);
    } else {
      expect(error).toBeUndefined();
      expect(response?.results).toHaveLength(1);
      const [result] = response!.results;
      expect(result?.resultCode).toBe('PermanentFailure');
      const parsed = parseResultString(result!.resultString);
      expect(parsed).toMatchObject({ route: 'failed', cause: 'bad-task' });
      expect(parsed.reason).toMatch(names);
    }
    expect(proxy.counts().total).toBe(0);
    await expectUnchanged(w, before);
  });
});

describe('S3 and EventBridge events to the manifest trigger', () => {
  const world = () => ({
    inventoryBucket: w.inventoryBucket,
    missingManifestKey: `inventory/${w.dataBucket}/daily/2026-01-01T00-00Z/manifest.json`,
  });

  it.each(TRIGGER_EVENT_CASES)('$name', async ({ input, names }) => {
    // Prepare
    const jobs = new RecordingBatchJobs();
    const deps = { s3: w.s3, kms: motoClients().kms, jobs, logger: silentLogger, metrics: noopMetrics };
    const settings = triggerSettings({
      targetKey: w.targetKeyArn,
      manifests: { bucket: w.workBucket, prefix: 'manifests' },
    });
    const before = await snapshot(w);
    // Act
    const run = runTrigger(deps, settings, input.event(world()));
    // Assess
    if ('error' in input) {
      const error = await rejection(run);
      expect(error).toBeInstanceOf(input.error);
      expect((error as Error).message).toMatch(names);
    } else {
      const outcomes = await run;
      expect(outcomes).toEqual([
        expect.objectContaining({ status: 'ignored', reason: expect.stringMatching(names) }),
      ]);
    }
    expect(jobs.created).toEqual([]);
    await expectUnchanged(w, before);
  });
});

describe('S3 Inventory manifests and data files', () => {
  let delivery = 0;

  /** Writes the delivery in the AWS layout; returns the S3 event for its manifest.json. */
  async function deliver(d: Pick<InventoryDelivery, 'manifest' | 'dataFiles' | 'checksum'>) {
    delivery += 1;
    const base = `inventory/${w.dataBucket}/bad-${delivery}`;
    const lines = DATA_KEYS.map((k) => `"${w.dataBucket}","${k}","8","NOT-SSE"\n`);
    const bodies = d.dataFiles?.({ lines, gz }) ?? [{ bytes: gz(lines) }];
    const files = await Promise.all(
      bodies.map(async (f, i) => {
        const key = `${base}/data/${i}${f.suffix ?? '.csv.gz'}`;
        await w.s3.send(new PutObjectCommand({ Bucket: w.inventoryBucket, Key: key, Body: f.bytes }));
        return { key, size: f.bytes.length, MD5checksum: md5(f.bytes) };
      }),
    );
    const valid = manifestDocument({
      sourceBucket: w.dataBucket,
      destinationBucket: `arn:aws:s3:::${w.inventoryBucket}`,
      fileSchema: CSV_SCHEMA,
      files,
    });
    const doc = d.manifest(valid);
    const text = typeof doc === 'string' ? doc : JSON.stringify(doc);
    const manifestKey = `${base}/2026-01-01T00-00Z/manifest.json`;
    await w.s3.send(new PutObjectCommand({ Bucket: w.inventoryBucket, Key: manifestKey, Body: text }));
    await w.s3.send(
      new PutObjectCommand({
        Bucket: w.inventoryBucket,
        Key: manifestKey.replace(/json$/, 'checksum'),
        Body: `${d.checksum ?? md5(text)}\n`,
      }),
    );
    return {
      Records: [
        {
          eventSource: 'aws:s3',
          eventName: 'ObjectCreated:Put',
          awsRegion: 'us-east-1',
          s3: { bucket: { name: w.inventoryBucket }, object: { key: manifestKey, size: text.length } },
        },
      ],
    };
  }

  const trigger = (jobs: RecordingBatchJobs, event: unknown) =>
    runTrigger(
      { s3: w.s3, kms: motoClients().kms, jobs, logger: silentLogger, metrics: noopMetrics },
      triggerSettings({
        targetKey: w.targetKeyArn,
        manifests: { bucket: w.workBucket, prefix: 'manifests' },
      }),
      event,
    );

  it('creates a job from the same delivery when it is valid (the cases fail for their own reason)', async () => {
    // Prepare
    const jobs = new RecordingBatchJobs();
    const event = await deliver({ manifest: (d) => d });
    // Act
    const outcomes = await trigger(jobs, event);
    // Assess
    expect(outcomes[0]?.status).toBe('jobs-created');
    expect(jobs.created).toHaveLength(1);
  });

  it.each(INVENTORY_CASES)('$name', async ({ input, names }) => {
    // Prepare: the delivery is written first; the snapshot covers it
    const jobs = new RecordingBatchJobs();
    const event = await deliver(input);
    const before = await snapshot(w);
    // Act
    const error = await rejection(trigger(jobs, event));
    // Assess: the error names the field or file; no plan.json, manifest or job
    expect(error).toBeInstanceOf(input.error);
    expect((error as Error).message).toMatch(names);
    expect(jobs.created).toEqual([]);
    await expectUnchanged(w, before);
  });
});
