// Multipart copy: effective throughput of the resumable copier against part concurrency on moto,
// plus a model of how long 5 TB and 48.8 TiB objects take on S3 and how many 15-minute invocations
// they need. moto copies in one Python process, so its numbers show the copier's overhead and how
// concurrency behaves, not S3's speed; the model supplies that, from stated assumptions.
import { randomBytes } from 'node:crypto';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { makeKmsClient, makeS3Client } from '../src/aws/clients.js';
import { makeMultipartCopier } from '../src/reencrypt/multipart/index.js';
import {
  choosePartSize,
  DEFAULT_PART_SIZE_BYTES,
  MultipartLimits,
} from '../src/reencrypt/multipart/part-plan.js';
import type { ObjectSnapshot } from '../src/reencrypt/types.js';
import { startMoto } from '../test/support/moto-server.js';
import { type Stats, stats, writeResult } from './lib.js';

const MiB = 1024 ** 2;
const OBJECT_BYTES = 50 * MiB;
const PART_BYTES = 5 * MiB;
const CONCURRENCY = [1, 2, 4, 8, 16] as const;
const RUNS = 3;
/** Per-request copy speed the simulated S3 gives each UploadPartCopy. */
const SIMULATED_MBPS = 50;

const snapshotFor = (key: string, etag: string, size: number): ObjectSnapshot => ({
  bucket: 'bench-data',
  key,
  isLatest: true,
  etag,
  size,
  encryption: { algorithm: 'AES256', bucketKeyEnabled: false },
  storageClass: 'STANDARD',
  metadata: {},
  tags: [],
});

const moto = await startMoto();
try {
  const settings = {
    region: 'us-east-1',
    endpoints: { s3: moto.endpoint, kms: moto.endpoint },
    maxAttempts: 3,
    retryMode: 'standard' as const,
    maxSockets: 64,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  };
  const s3 = makeS3Client(settings);
  const keyArn = (await makeKmsClient(settings).send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  await s3.send(new CreateBucketCommand({ Bucket: 'bench-data' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'bench-work' }));
  const body = randomBytes(OBJECT_BYTES);

  const measured: Record<number, Stats> = {};
  for (const concurrency of CONCURRENCY) {
    const copier = makeMultipartCopier({
      s3,
      checkpoints: { bucket: 'bench-work', prefix: 'checkpoints/' },
      partSizeBytes: PART_BYTES,
      concurrency,
    });
    const runs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const key = `obj-${concurrency}-${run}`;
      await s3.send(new PutObjectCommand({ Bucket: 'bench-data', Key: key, Body: body }));
      const head = await s3.send(new HeadObjectCommand({ Bucket: 'bench-data', Key: key }));
      const t0 = performance.now();
      const outcome = await copier.copy({
        snapshot: snapshotFor(key, head.ETag ?? '', OBJECT_BYTES),
        target: { keyArn, bucketKey: true },
        remainingMs: () => 900_000,
      });
      const seconds = (performance.now() - t0) / 1000;
      if (outcome.status !== 'completed')
        throw new Error(`copy did not complete: ${JSON.stringify(outcome)}`);
      runs.push(OBJECT_BYTES / MiB / seconds);
    }
    measured[concurrency] = stats(runs);
    process.stdout.write(
      `concurrency ${concurrency}: median ${measured[concurrency].median.toFixed(1)} MiB/s\n`,
    );
  }

  const simulated = await simulatedScaling();
  const ours = simulated[8] as Stats;
  const sequential = simulated[1] as Stats;
  writeResult('multipart', {
    title: 'Multipart copy, 8 parts in flight vs one at a time (simulated S3 copy latency)',
    unit: 'MiB/s',
    ours,
    comparison: { name: 'one part at a time', stats: sequential },
    ratio: ours.median / sequential.median,
    ratioMeaning: 'higher is better',
    commands: ['npm run bench -- multipart'],
    notes:
      'Headline: the copier against an S3 client mock whose UploadPartCopy takes size / 50 MB/s (S3 copies server-side; the function waits). motoByConcurrency: the same copier over HTTP to moto, which copies inside one Python process, so concurrency cannot help there and its MiB/s say nothing about S3.',
    details: {
      simulatedPerRequestMBps: SIMULATED_MBPS,
      simulatedByConcurrency: Object.fromEntries(CONCURRENCY.map((c) => [c, simulated[c]])),
      motoObjectMiB: OBJECT_BYTES / MiB,
      motoByConcurrency: Object.fromEntries(CONCURRENCY.map((c) => [c, measured[c]])),
      model: model(),
    },
  });
} finally {
  await moto.stop();
}

/**
 * The copier's pool against server-side copy latency: a client mock whose UploadPartCopy resolves
 * after size / SIMULATED_MBPS, on a 256 MiB object in 5 MiB parts (52 parts).
 */
async function simulatedScaling(): Promise<Record<number, Stats>> {
  const bytes = 256 * MiB;
  const mock = mockClient(S3Client);
  const checkpoints = new Map<string, string>();
  mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'sim' });
  mock
    .on(UploadPartCopyCommand)
    .callsFake(async (input: { PartNumber?: number; CopySourceRange?: string }) => {
      const [first, last] = (input.CopySourceRange ?? 'bytes=0-0').slice(6).split('-').map(Number);
      const ms = (((last ?? 0) - (first ?? 0) + 1) / (SIMULATED_MBPS * 1e6)) * 1000;
      await new Promise((r) => setTimeout(r, ms));
      return { CopyPartResult: { ETag: `"p${input.PartNumber}"` } };
    });
  mock.on(HeadObjectCommand).resolves({ ETag: '"sim"' });
  mock.on(CompleteMultipartUploadCommand).resolves({ ETag: '"done"' });
  mock.on(PutObjectCommand).callsFake(async (i: { Key: string; Body: string }) => {
    checkpoints.set(i.Key, i.Body);
    return {};
  });
  mock.on(GetObjectCommand).rejects(Object.assign(new Error('none'), { name: 'NoSuchKey' }));
  mock.on(DeleteObjectCommand).resolves({});
  const out: Record<number, Stats> = {};
  for (const concurrency of CONCURRENCY) {
    const copier = makeMultipartCopier({
      s3: new S3Client({ region: 'us-east-1' }),
      checkpoints: { bucket: 'w', prefix: 'c/' },
      partSizeBytes: PART_BYTES,
      concurrency,
    });
    const runs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const t0 = performance.now();
      await copier.copy({
        snapshot: snapshotFor('sim', '"sim"', bytes),
        target: { keyArn: 'arn:aws:kms:us-east-1:111122223333:key/sim', bucketKey: true },
        remainingMs: () => 900_000,
      });
      runs.push(bytes / MiB / ((performance.now() - t0) / 1000));
    }
    out[concurrency] = stats(runs);
    process.stdout.write(
      `simulated, concurrency ${concurrency}: median ${out[concurrency].median.toFixed(1)} MiB/s\n`,
    );
  }
  mock.restore();
  return out;
}

/**
 * Time and invocations on S3 for large objects. Assumptions (not measured here): each UploadPartCopy
 * moves `perRequestMBps`, requests in flight add up linearly (S3 copies server-side; the function only
 * waits), and each 15-minute invocation spends the 60 s safety margin on nothing.
 */
function model() {
  const usable = 900 - 60;
  const objects = { '5 TB': 5e12, '48.8 TiB': MultipartLimits.maxObjectBytes };
  const scenarios = [
    { perRequestMBps: 50, concurrency: 8 },
    { perRequestMBps: 100, concurrency: 8 },
    { perRequestMBps: 100, concurrency: 32 },
    // The AWS sample for large objects finished 2 TB in one 15-minute invocation, same Region
    // (aws.amazon.com/blogs/storage/copying-objects-greater-than-5-gb-with-amazon-s3-batch-operations).
    { perRequestMBps: 2e12 / 900 / 1e6 / 32, concurrency: 32, label: 'AWS blog pace (2 TB / 15 min)' },
  ];
  return Object.entries(objects).flatMap(([name, bytes]) => {
    const partSize = choosePartSize(bytes, DEFAULT_PART_SIZE_BYTES);
    const parts = Math.ceil(bytes / partSize);
    return scenarios.map((s) => {
      const aggregate = s.perRequestMBps * 1e6 * s.concurrency;
      const seconds = bytes / aggregate;
      return {
        object: name,
        partSizeMiB: partSize / MiB,
        parts,
        scenario: s.label ?? `${s.perRequestMBps} MB/s per request × ${s.concurrency}`,
        aggregateMBps: Math.round(aggregate / 1e6),
        hours: +(seconds / 3600).toFixed(2),
        invocations: Math.ceil(seconds / usable),
      };
    });
  });
}
