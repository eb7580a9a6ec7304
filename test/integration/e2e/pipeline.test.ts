import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { type GeneratedInventory, generateInventory } from '../../../src/inventory/generate.js';
import type { LocalPipelineOptions, LocalPipelineResult } from '../../../src/pipeline/index.js';
import { runLocalPipeline } from '../../../src/pipeline/index.js';
import { motoClients, newBucket, newKmsKey } from '../../support/aws.js';
import {
  inventoryEvent,
  inventoryEventBridgeEvent,
  keysUnder,
  MiB,
  mixedCases,
  type ObjectState,
  openUploads,
  type SeededCase,
  seed,
  statesOf,
  versionCounts,
} from './support.js';

const { s3, kms } = motoClients();

interface World {
  readonly data: string;
  readonly inventoryBucket: string;
  readonly work: string;
  readonly target: string;
  readonly cases: readonly SeededCase[];
  readonly before: Map<string, ObjectState>;
}

async function world(options: {
  largeBytes: number;
  awkward?: number;
  compliantOnly?: boolean;
}): Promise<World> {
  const [data, inventoryBucket, work, target, other] = await Promise.all([
    newBucket(s3, { versioned: true, prefix: 'e2e-data' }),
    newBucket(s3, { prefix: 'e2e-inv' }),
    newBucket(s3, { prefix: 'e2e-work' }),
    newKmsKey(kms, 'target'),
    newKmsKey(kms, 'other'),
  ]);
  const all = mixedCases({
    target,
    other,
    largeBytes: options.largeBytes,
    ...(options.awkward !== undefined ? { awkward: options.awkward } : {}),
  });
  const cases = options.compliantOnly ? all.filter((c) => c.expect === 'untouched') : all;
  await seed(s3, data, cases);
  return { data, inventoryBucket, work, target, cases, before: await statesOf(s3, data, cases) };
}

const pipelineOptions = (w: World, over: Partial<LocalPipelineOptions> = {}): LocalPipelineOptions => ({
  source: { kind: 'inventory', uri: 'unused' },
  targetKey: w.target,
  region: 'us-east-1',
  // moto has no UpdateObjectEncryption (testing.md): what updateRouteFor() decides for a custom endpoint.
  updateRoute: 'disabled',
  concurrency: 8,
  multipart: { thresholdBytes: 8 * MiB, partSizeBytes: 5 * MiB, concurrency: 2 },
  reports: { bucket: w.work, prefix: 'reports' },
  manifests: { bucket: w.work, prefix: 'manifests' },
  // Batch's redrive delays are unknown (aws-facts §1.6); short ones keep a failing case from stalling the suite.
  engine: { redrive: { baseDelayMs: 10, maxDelayMs: 50 } },
  ...over,
});

const inventory = (
  w: World,
  format: 'CSV' | 'Parquet',
  versions: 'current' | 'all',
): Promise<GeneratedInventory> =>
  generateInventory(s3, {
    sourceBucket: w.data,
    destinationBucket: w.inventoryBucket,
    format,
    versions,
    configId: format.toLowerCase(),
    now: new Date('2026-11-01T00:00:00Z'),
  });

/** Every object as the test expects it after the run; returns the keys whose version the run replaced. */
async function assessObjects(w: World, result: LocalPipelineResult): Promise<string[]> {
  const [after, versions] = await Promise.all([statesOf(s3, w.data, w.cases), versionCounts(s3, w.data)]);
  const changed: string[] = [];
  for (const c of w.cases) {
    const was = w.before.get(c.key)!;
    const now = after.get(c.key)!;
    // Bytes never change, whatever happened.
    expect(now.sha256, c.key).toBe(was.sha256);
    expect(now.storageClass, c.key).toBe(was.storageClass);
    if (now.versionId !== was.versionId) changed.push(c.key);
    if (c.expect === 'reencrypt') {
      expect(now.algorithm, c.key).toBe('aws:kms');
      expect(now.kmsKeyId, c.key).toBe(w.target);
      // moto drops BucketKeyEnabled on multipart uploads (test/integration/reencrypt/moto-gaps.test.ts).
      expect(now.bucketKey, c.key).toBe(!c.large);
      expect(now.versionId, c.key).not.toBe(was.versionId);
      // Versioned bucket: the copy adds a version, noncurrent ones stay.
      expect(versions.get(c.key), c.key).toBe((c.olderVersions ?? 0) + 2);
    } else {
      expect(now, c.key).toEqual(was);
    }
  }
  const blocked = w.cases.filter((c) => c.expect === 'blocked').map((c) => c.key);
  expect(result.blocked.map((b) => b.key).sort()).toEqual(blocked.sort());
  expect(result.totals.blockedBeforeJob).toBe(blocked.length);
  return changed.sort();
}

/** The report of every job in the AWS layout (aws-facts §3.2), with the summary written beside it. */
async function assessReports(w: World, result: LocalPipelineResult): Promise<void> {
  for (const job of result.jobs) {
    const folder = `reports/job-${job.jobId}/`;
    const keys = await keysUnder(s3, w.work, folder);
    expect(keys).toContain(`${folder}manifest.json`);
    expect(keys).toContain(`${folder}summary.json`);
    expect(keys).toContain(`${folder}summary.md`);
    expect(
      keys.filter((k) => k.startsWith(`${folder}results/`) && k.endsWith('.csv')).length,
    ).toBeGreaterThan(0);
    const manifest = JSON.parse(
      (await (
        await s3.send(new GetObjectCommand({ Bucket: w.work, Key: `${folder}manifest.json` }))
      ).Body?.transformToString()) ?? '',
    );
    expect(manifest).toMatchObject({
      Format: 'Report_CSV_20180820',
      ReportCreationDate: expect.any(String),
      Results: expect.arrayContaining([expect.objectContaining({ TaskExecutionStatus: 'succeeded' })]),
      ReportSchema: 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage',
    });
    expect(job.reportOutcome).toBe('summarised');
    expect(job.description?.status).toBe('Complete');
  }
}

describe('the local pipeline end to end on moto', () => {
  it('re-encrypts what needs it from a CSV.gz inventory of all versions and leaves the rest exactly as it was', async () => {
    // Prepare
    const w = await world({ largeBytes: 12 * MiB + 4321 });
    const inv = await inventory(w, 'CSV', 'all');
    // Act
    const result = await runLocalPipeline(
      { s3, kms },
      pipelineOptions(w, {
        source: { kind: 'event', event: inventoryEvent(inv) },
        // Inventory has no key column: every SSE-KMS object becomes a task and the function decides.
        selection: { reencryptAllSseKms: true },
      }),
    );
    // Assess
    expect(result.status).toBe('completed');
    expect(result.plan?.document.jobs.map((j) => j.jobId).sort()).toEqual(
      result.jobs.map((j) => j.jobId).sort(),
    );
    const changed = await assessObjects(w, result);
    const expected = w.cases
      .filter((c) => c.expect === 'reencrypt')
      .map((c) => c.key)
      .sort();
    expect(changed).toEqual(expected);
    await assessReports(w, result);
    const { totals } = result;
    expect(totals.failed).toBe(0);
    expect(totals.routes.copy.objects + totals.routes.multipart.objects).toBe(changed.length);
    expect(totals.routes.multipart.objects).toBe(1);
    expect(totals.routes.skip.objects).toBe(w.cases.filter((c) => c.expect === 'untouched').length);
    expect(totals.tasks).toBe(
      totals.routes.copy.objects + totals.routes.multipart.objects + totals.routes.skip.objects,
    );
    expect(result.plan?.document.stats.versions.noncurrent.objects).toBe(0);
    expect(await openUploads(s3, w.data)).toBe(0);
    expect(await keysUnder(s3, w.work, 'checkpoints/')).toEqual([]);
  });

  it('runs a Parquet inventory announced through EventBridge: the trigger writes CSV Batch manifests the engine runs', async () => {
    // Prepare
    const w = await world({ largeBytes: 9 * MiB, awkward: 12 });
    const event = inventoryEventBridgeEvent(await inventory(w, 'Parquet', 'current'));
    // Act
    const result = await runLocalPipeline(
      { s3, kms },
      pipelineOptions(w, { source: { kind: 'event', event } }),
    );
    // Assess
    expect(result.plan?.document.inventory.fileFormat).toBe('Parquet');
    expect(result.jobs.every((j) => j.manifest.key.endsWith('.csv'))).toBe(true);
    const changed = await assessObjects(w, result);
    expect(changed).toEqual(
      w.cases
        .filter((c) => c.expect === 'reencrypt')
        .map((c) => c.key)
        .sort(),
    );
    await assessReports(w, result);
    // Compliant objects never became tasks: the trigger filtered them out.
    expect(result.totals.routes.skip.objects).toBe(0);
    expect(result.totals.tasks).toBe(changed.length);
    expect(result.totals.routes.copy.objects + result.totals.routes.multipart.objects).toBe(changed.length);
    expect(result.totals.failed).toBe(0);
  });

  it('creates one job when the same event is delivered twice', async () => {
    // Prepare
    const w = await world({ largeBytes: 0, awkward: 2 });
    const event = inventoryEvent(await inventory(w, 'CSV', 'current'));
    const first = await runLocalPipeline(
      { s3, kms },
      pipelineOptions(w, { source: { kind: 'event', event } }),
    );
    const afterFirst = await statesOf(s3, w.data, w.cases);
    // Act
    const second = await runLocalPipeline(
      { s3, kms },
      pipelineOptions(w, { source: { kind: 'event', event } }),
    );
    // Assess
    expect(first.status).toBe('completed');
    expect(second.status).toBe('already-processed');
    expect(second.jobs.map((j) => j.jobId)).toEqual(first.jobs.map((j) => j.jobId));
    expect(second.jobs.every((j) => j.reportOutcome === 'unchanged' && j.summary?.state === 'done')).toBe(
      true,
    );
    const jobFolders = new Set((await keysUnder(s3, w.work, 'reports/')).map((k) => k.split('/')[1]));
    expect(jobFolders.size).toBe(first.jobs.length);
    expect(await statesOf(s3, w.data, w.cases)).toEqual(afterFirst);
  });

  it('creates no job for an inventory that lists only compliant objects', async () => {
    // Prepare
    const w = await world({ largeBytes: 0, compliantOnly: true });
    const inv = await inventory(w, 'CSV', 'all');
    // Act: the manifest named directly, as `s3-reencrypt run --manifest s3://…/manifest.json` does.
    const result = await runLocalPipeline(
      { s3, kms },
      pipelineOptions(w, { source: { kind: 'inventory', uri: `s3://${inv.ref.bucket}/${inv.ref.key}` } }),
    );
    // Assess
    expect(result.status).toBe('compliant');
    expect(result.jobs).toEqual([]);
    expect(result.plan?.document.compliant).toBe(true);
    expect(result.plan?.document.jobs).toEqual([]);
    expect(await keysUnder(s3, w.work, 'reports/')).toEqual([]);
    expect(await statesOf(s3, w.data, w.cases)).toEqual(w.before);
  });
});
