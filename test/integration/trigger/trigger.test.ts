import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeKey } from '../../../src/batch/keys.js';
import { decodeHintedKey } from '../../../src/batch/task-hints.js';
import { type GeneratedInventory, generateInventory } from '../../../src/inventory/generate.js';
import type { BatchJobs, CreateJobRequest } from '../../../src/jobs/port.js';
import { readPlan } from '../../../src/manifest/plan.js';
import { silentLogger } from '../../../src/observability/logger.js';
import { RecordingMetrics } from '../../../src/observability/metrics.js';
import { runTrigger, triggerInventory } from '../../../src/trigger/run.js';
import type { TriggerSettings } from '../../../src/trigger/types.js';
import { loadEvent, triggerSettings } from '../../helpers/inventory.js';
import { motoClients, newBucket, newKmsKey } from '../../support/aws.js';

/** The port as a recorder: Batch jobs do not exist in moto, and this test is about what the trigger asks for. */
class RecordingBatchJobs implements BatchJobs {
  readonly created: CreateJobRequest[] = [];
  async create(request: CreateJobRequest) {
    this.created.push(request);
    return { jobId: `job-${this.created.length}` };
  }
  describe(): never {
    throw new Error('not used by the trigger');
  }
  list(): never {
    throw new Error('not used by the trigger');
  }
  cancel(): never {
    throw new Error('not used by the trigger');
  }
  confirm(): never {
    throw new Error('not used by the trigger');
  }
}

type S3Event = {
  Records: {
    awsRegion: string;
    s3: { bucket: { name: string }; object: { key: string; eTag: string; size: number; versionId?: string } };
  }[];
};

/** The S3 notification S3 would send for the generated manifest.json. */
const s3Event = (inv: GeneratedInventory) =>
  loadEvent<S3Event>('s3/inventory-manifest-created.json', (e) => {
    const r = e.Records[0]!;
    r.s3.bucket.name = inv.ref.bucket;
    r.s3.object.key = inv.ref.key;
    r.s3.object.eTag = inv.manifestEtag;
    // The inventory bucket is not versioned here; the sample's version id would name nothing.
    delete r.s3.object.versionId;
  });

async function put(s3: S3Client, Bucket: string, Key: string, extra: Partial<PutObjectCommandInput> = {}) {
  await s3.send(new PutObjectCommand({ Bucket, Key, Body: `body of ${Key}`, ...extra }));
}

async function readManifestKeys(
  s3: S3Client,
  bucket: string,
  key: string,
  hinted: boolean,
): Promise<string[]> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const text = (await out.Body?.transformToString()) ?? '';
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [, field] = line.split(',');
      return hinted ? decodeHintedKey(field!).key : decodeKey(field!);
    })
    .sort();
}

async function listKeys(s3: S3Client, bucket: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

const AWKWARD = 'awkward/a b+c%d (1) é,"q".txt';
const NEEDS_WORK = [
  'plain/none.txt',
  'plain/sse-s3.txt',
  'kms/target-no-bucket-key.txt',
  AWKWARD,
  'versioned/doc.txt',
].sort();

describe('trigger use case on moto', () => {
  const { s3, kms } = motoClients();
  let keyArn: string;
  let dataBucket: string;
  let inventoryBucket: string;
  let csv: GeneratedInventory;
  let parquet: GeneratedInventory;

  beforeAll(async () => {
    [dataBucket, inventoryBucket, keyArn] = await Promise.all([
      newBucket(s3, { versioned: true, prefix: 'data' }),
      newBucket(s3, { prefix: 'inv' }),
      newKmsKey(kms, 'target'),
    ]);
    const otherKey = await newKmsKey(kms, 'other');
    const kmsArgs = (k: string, bucketKey: boolean) =>
      ({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: k, BucketKeyEnabled: bucketKey }) as const;
    await put(s3, dataBucket, 'versioned/doc.txt');
    await Promise.all([
      put(s3, dataBucket, 'plain/none.txt'),
      put(s3, dataBucket, 'plain/sse-s3.txt', { ServerSideEncryption: 'AES256' }),
      put(s3, dataBucket, 'kms/target.txt', kmsArgs(keyArn, true)),
      put(s3, dataBucket, 'kms/target-no-bucket-key.txt', kmsArgs(keyArn, false)),
      put(s3, dataBucket, 'kms/other-key.txt', kmsArgs(otherKey, true)),
      put(s3, dataBucket, AWKWARD, { ServerSideEncryption: 'AES256' }),
      put(s3, dataBucket, 'archive/glacier-none.txt', { StorageClass: 'GLACIER' }),
      put(s3, dataBucket, 'archive/deep-sse-s3.txt', {
        StorageClass: 'DEEP_ARCHIVE',
        ServerSideEncryption: 'AES256',
      }),
      put(s3, dataBucket, 'deleted.txt'),
    ]);
    await put(s3, dataBucket, 'versioned/doc.txt', { ServerSideEncryption: 'AES256', Body: 'v2 body' });
    await s3.send(new DeleteObjectCommand({ Bucket: dataBucket, Key: 'deleted.txt' }));
    const base = { sourceBucket: dataBucket, destinationBucket: inventoryBucket, versions: 'all' as const };
    csv = await generateInventory(s3, { ...base, configId: 'csv', now: new Date('2024-05-06T00:00:00Z') });
    parquet = await generateInventory(s3, {
      ...base,
      configId: 'parquet',
      format: 'Parquet',
      now: new Date('2024-05-06T00:00:00Z'),
    });
  });

  async function run(
    inv: GeneratedInventory,
    overrides: Partial<TriggerSettings> = {},
    event: unknown = s3Event(inv),
  ) {
    const manifestsBucket = overrides.manifests?.bucket ?? (await newBucket(s3, { prefix: 'out' }));
    const jobs = (overrides as { jobs?: RecordingBatchJobs }).jobs ?? new RecordingBatchJobs();
    const settings = triggerSettings({
      targetKey: keyArn,
      manifests: { bucket: manifestsBucket, prefix: 'plans' },
      ...overrides,
    });
    const deps = { s3, kms, jobs, logger: silentLogger, metrics: new RecordingMetrics() };
    const outcomes = await runTrigger(deps, settings, event);
    return { outcomes, jobs, manifestsBucket, settings, deps };
  }

  it.each([
    ['CSV.gz', () => csv],
    ['Parquet', () => parquet],
  ])(
    "writes a %s inventory's objects that need work, and nothing else, into the job manifest",
    async (_f, inv) => {
      // Act
      const { outcomes, jobs, manifestsBucket } = await run(inv());
      // Assess: one hinted Lambda job whose rows are exactly the objects needing work
      expect(outcomes).toHaveLength(1);
      expect(outcomes[0]?.status).toBe('jobs-created');
      expect(jobs.created).toHaveLength(1);
      const job = jobs.created[0]!;
      expect(job.manifest).toMatchObject({ bucket: manifestsBucket, fields: ['Bucket', 'Key', 'VersionId'] });
      expect(await readManifestKeys(s3, manifestsBucket, job.manifest.key, true)).toEqual(NEEDS_WORK);
      expect(job.operation).toMatchObject({
        kind: 'LambdaInvoke',
        userArguments: { targetKeyArn: keyArn, hints: '1' },
      });
      expect(job.tags).toContainEqual({ key: 's3-reencrypt:source-bucket', value: dataBucket });
    },
  );

  it('counts what it found in plan.json', async () => {
    // Act
    const { outcomes, manifestsBucket } = await run(csv);
    // Assess
    const planKey = outcomes[0]?.status === 'jobs-created' ? outcomes[0].planKey : '';
    const plan = await readPlan(s3, manifestsBucket, planKey);
    expect(plan?.compliant).toBe(false);
    expect(plan?.target).toEqual({ keyArn, bucketKey: true });
    expect(plan?.inventory).toMatchObject({
      sourceBucket: dataBucket,
      fileFormat: 'CSV',
      allVersions: true,
      checksumVerified: true,
    });
    expect(plan?.stats.rowsScanned).toBe(12);
    expect(plan?.stats.byRoute.copy.objects).toBe(5);
    expect(plan?.stats.byRoute.skip.objects).toBe(2);
    expect(plan?.stats.byRoute.blocked.objects).toBe(2);
    expect(plan?.stats.blocked).toEqual({
      'archived-restore-first': { objects: 2, bytes: expect.any(Number) },
    });
    expect(plan?.stats.excluded).toEqual({
      'delete-marker': { objects: 1, bytes: 0 },
      'noncurrent-version': { objects: 2, bytes: expect.any(Number) },
    });
    const size = (...keys: string[]) => keys.reduce((a, k) => a + Buffer.byteLength(`body of ${k}`), 0);
    expect(plan?.stats.breakdown).toEqual([
      {
        encryption: 'NOT-SSE',
        storageClass: 'GLACIER',
        route: 'blocked',
        objects: 1,
        bytes: size('archive/glacier-none.txt'),
      },
      {
        encryption: 'NOT-SSE',
        storageClass: 'STANDARD',
        route: 'copy',
        objects: 1,
        bytes: size('plain/none.txt'),
      },
      {
        encryption: 'SSE-KMS',
        storageClass: 'STANDARD',
        route: 'copy',
        objects: 1,
        bytes: size('kms/target-no-bucket-key.txt'),
      },
      {
        encryption: 'SSE-KMS',
        storageClass: 'STANDARD',
        route: 'skip',
        objects: 2,
        bytes: size('kms/target.txt', 'kms/other-key.txt'),
      },
      {
        encryption: 'SSE-S3',
        storageClass: 'DEEP_ARCHIVE',
        route: 'blocked',
        objects: 1,
        bytes: size('archive/deep-sse-s3.txt'),
      },
      {
        encryption: 'SSE-S3',
        storageClass: 'STANDARD',
        route: 'copy',
        objects: 3,
        bytes: size('plain/sse-s3.txt', AWKWARD) + 7,
      },
    ]);
    expect(plan?.jobs).toEqual([
      expect.objectContaining({ kind: 'lambda-hinted', jobId: 'job-1', tasks: 5 }),
    ]);
    expect(plan?.outputs.map((o) => o.kind).sort()).toEqual(['blocked', 'lambda-hinted']);
    expect(plan?.costEstimate.model).toBe('kms-requests-only');
  });

  it('creates one job when the same event arrives twice', async () => {
    // Prepare
    const first = await run(csv);
    // Act
    const second = await runTrigger(first.deps, first.settings, s3Event(csv));
    // Assess
    expect(second[0]?.status).toBe('existing-jobs');
    expect(first.jobs.created).toHaveLength(1);
  });

  it('asks for the same idempotency token when plan.json was lost between deliveries', async () => {
    // Prepare
    const first = await run(csv);
    const planKey = first.outcomes[0]?.status === 'jobs-created' ? first.outcomes[0].planKey : '';
    await s3.send(new DeleteObjectCommand({ Bucket: first.manifestsBucket, Key: planKey }));
    // Act
    await runTrigger(first.deps, first.settings, s3Event(csv));
    // Assess
    expect(first.jobs.created).toHaveLength(2);
    expect(first.jobs.created[1]?.clientRequestToken).toBe(first.jobs.created[0]?.clientRequestToken);
  });

  it('accepts the EventBridge form of the event', async () => {
    // Prepare
    const event = loadEvent<{
      detail: { bucket: { name: string }; object: { key: string; 'version-id'?: string } };
    }>('eventbridge/inventory-manifest-created.json', (e) => {
      e.detail.bucket.name = csv.ref.bucket;
      e.detail.object.key = csv.ref.key;
      delete e.detail.object['version-id'];
    });
    // Act
    const { outcomes } = await run(csv, {}, event);
    // Assess
    expect(outcomes[0]?.status).toBe('jobs-created');
  });

  it('creates no job for an inventory that lists only compliant objects, and says so in plan.json', async () => {
    // Act: only the SSE-KMS objects are in scope
    const { outcomes, jobs, manifestsBucket, deps, settings } = await run(csv, {
      selection: {
        includePrefixes: ['kms/target.txt', 'kms/other-key.txt'],
        excludePrefixes: [],
        versions: 'current',
        reencryptAllSseKms: false,
      },
    });
    // Assess
    expect(outcomes[0]?.status).toBe('compliant');
    expect(jobs.created).toEqual([]);
    const planKey = outcomes[0]?.status === 'compliant' ? outcomes[0].planKey : '';
    expect(await listKeys(s3, manifestsBucket)).toEqual([planKey]);
    expect((await readPlan(s3, manifestsBucket, planKey))?.compliant).toBe(true);
    const again = await runTrigger(deps, settings, s3Event(csv));
    expect(again[0]?.status).toBe('compliant');
    expect(jobs.created).toEqual([]);
  });

  it('re-encrypts every SSE-KMS object when asked to rotate keys', async () => {
    // Act
    const { jobs, manifestsBucket } = await run(csv, {
      selection: {
        includePrefixes: ['kms/'],
        excludePrefixes: [],
        versions: 'current',
        reencryptAllSseKms: true,
      },
    });
    // Assess
    expect(await readManifestKeys(s3, manifestsBucket, jobs.created[0]!.manifest.key, true)).toEqual([
      'kms/other-key.txt',
      'kms/target-no-bucket-key.txt',
      'kms/target.txt',
    ]);
  });

  it('sends update-route objects to a native S3UpdateObjectEncryption job and the rest to the Lambda', async () => {
    // Act: an endpoint with UpdateObjectEncryption (the request goes to the port, never to moto)
    const { jobs, manifestsBucket } = await run(csv, { updateAvailable: true, nativeUpdateJob: true });
    // Assess
    const byKind = Object.fromEntries(jobs.created.map((j) => [j.operation.kind, j]));
    expect(byKind.S3UpdateObjectEncryption?.operation).toEqual({
      kind: 'S3UpdateObjectEncryption',
      kmsKeyArn: keyArn,
      bucketKeyEnabled: true,
    });
    expect(
      await readManifestKeys(s3, manifestsBucket, byKind.S3UpdateObjectEncryption!.manifest.key, false),
    ).toEqual(
      [
        'archive/deep-sse-s3.txt',
        'kms/target-no-bucket-key.txt',
        'plain/sse-s3.txt',
        AWKWARD,
        'versioned/doc.txt',
      ].sort(),
    );
    expect(await readManifestKeys(s3, manifestsBucket, byKind.LambdaInvoke!.manifest.key, true)).toEqual([
      'plain/none.txt',
    ]);
  });

  it('resolves an alias to the key ARN it passes to the job', async () => {
    // Prepare
    const { CreateAliasCommand } = await import('@aws-sdk/client-kms');
    const alias = `alias/trigger-${Date.now()}`;
    await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyArn }));
    // Act
    const { jobs } = await run(csv, { targetKey: alias });
    // Assess
    expect(jobs.created[0]?.operation).toMatchObject({ userArguments: { targetKeyArn: keyArn } });
  });

  it('joins a run split by data file into the same manifest as a single run', async () => {
    // Prepare: three data files, and a budget that forces the split
    const inv = await generateInventory(s3, {
      sourceBucket: dataBucket,
      destinationBucket: inventoryBucket,
      versions: 'all',
      configId: 'split',
      rowsPerFile: 5,
    });
    // Act
    const split = await run(inv, { singleRunMaxBytes: 1 });
    const single = await run(inv);
    // Assess
    const keysOf = (r: typeof split) =>
      readManifestKeys(s3, r.manifestsBucket, r.jobs.created[0]!.manifest.key, true);
    expect(inv.files.length).toBe(3);
    expect(await keysOf(split)).toEqual(NEEDS_WORK);
    expect(await keysOf(split)).toEqual(await keysOf(single));
    const splitPlan = split.outcomes[0]?.status === 'jobs-created' ? split.outcomes[0] : undefined;
    const singlePlan = single.outcomes[0]?.status === 'jobs-created' ? single.outcomes[0] : undefined;
    expect(splitPlan?.stats).toEqual(singlePlan?.stats);
    expect((await listKeys(s3, split.manifestsBucket)).filter((k) => k.includes('/parts/'))).toEqual([]);
  });

  it('hands each data file to its own invocation and lets the last one create the job', async () => {
    // Prepare
    const inv = await generateInventory(s3, {
      sourceBucket: dataBucket,
      destinationBucket: inventoryBucket,
      versions: 'all',
      configId: 'fan-out',
      rowsPerFile: 5,
    });
    const manifestsBucket = await newBucket(s3, { prefix: 'out' });
    const jobs = new RecordingBatchJobs();
    const settings = triggerSettings({
      targetKey: keyArn,
      manifests: { bucket: manifestsBucket, prefix: 'plans' },
      singleRunMaxBytes: 1,
      splitFanOut: 's3-tasks',
    });
    const deps = { s3, kms, jobs, logger: silentLogger, metrics: new RecordingMetrics() };
    // Act: the inventory event, a redelivery of it, then the S3 events of the task objects, one by one
    const dispatched = await runTrigger(deps, settings, s3Event(inv));
    await runTrigger(deps, settings, s3Event(inv));
    const taskKeys = (await listKeys(s3, manifestsBucket)).filter((k) => k.endsWith('/task.json'));
    const statuses: string[] = [];
    for (const key of taskKeys) {
      const event = {
        Records: [
          {
            eventSource: 'aws:s3',
            eventName: 'ObjectCreated:Put',
            s3: { bucket: { name: manifestsBucket }, object: { key } },
          },
        ],
      };
      statuses.push(...(await runTrigger(deps, settings, event)).map((o) => o.status));
    }
    // Assess
    expect(dispatched[0]).toMatchObject({ status: 'split-dispatched', parts: 3 });
    expect(taskKeys).toHaveLength(3);
    expect(statuses).toEqual(['part-done', 'part-done', 'jobs-created']);
    expect(jobs.created).toHaveLength(1);
    expect(await readManifestKeys(s3, manifestsBucket, jobs.created[0]!.manifest.key, true)).toEqual(
      NEEDS_WORK,
    );
    expect((await listKeys(s3, manifestsBucket)).filter((k) => k.includes('/parts/'))).toEqual([]);
  });

  it('puts rows whose hints do not fit the key field into a plain manifest and a second job without hints', async () => {
    // Prepare: a 950-character key leaves no room for the JSON hints within 1,024 characters
    const bucket = await newBucket(s3, { prefix: 'long' });
    const longKey = `deep/${'x'.repeat(945)}`;
    await put(s3, bucket, 'short.txt');
    await put(s3, bucket, longKey);
    const inv = await generateInventory(s3, {
      sourceBucket: bucket,
      destinationBucket: inventoryBucket,
      configId: 'long',
    });
    // Act
    const { jobs, manifestsBucket } = await run(inv);
    // Assess
    const byHints = Object.fromEntries(
      jobs.created.map((j) => [
        j.operation.kind === 'LambdaInvoke' && j.operation.userArguments?.hints === '1' ? 'hinted' : 'plain',
        j,
      ]),
    );
    expect(jobs.created).toHaveLength(2);
    expect(byHints.hinted?.manifest).toMatchObject({ fields: ['Bucket', 'Key'] });
    expect(await readManifestKeys(s3, manifestsBucket, byHints.hinted!.manifest.key, true)).toEqual([
      'short.txt',
    ]);
    expect(await readManifestKeys(s3, manifestsBucket, byHints.plain!.manifest.key, false)).toEqual([
      longKey,
    ]);
    expect(byHints.plain?.clientRequestToken).not.toBe(byHints.hinted?.clientRequestToken);
  });

  it('runs for a manifest.json named directly, without an event (CLI and demo)', async () => {
    // Prepare
    const manifestsBucket = await newBucket(s3, { prefix: 'out' });
    const jobs = new RecordingBatchJobs();
    const settings = triggerSettings({
      targetKey: keyArn,
      manifests: { bucket: manifestsBucket, prefix: '' },
    });
    // Act
    const outcome = await triggerInventory(
      { s3, kms, jobs, logger: silentLogger, metrics: new RecordingMetrics() },
      settings,
      {
        bucket: csv.ref.bucket,
        key: csv.ref.key,
      },
    );
    // Assess
    expect(outcome).toMatchObject({
      status: 'jobs-created',
      planKey: `${dataBucket}/csv/2024-05-06T00-00Z/plan.json`,
    });
    await expect(
      triggerInventory({ s3, kms, jobs, logger: silentLogger, metrics: new RecordingMetrics() }, settings, {
        bucket: csv.ref.bucket,
        key: 'somewhere/manifest.json',
      }),
    ).rejects.toThrow(/not in the inventory layout/);
  });
});
