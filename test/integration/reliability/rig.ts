/**
 * Shared set-up of the reliability tests: objects seeded with known SHA-256 digests, a Batch CSV manifest,
 * the LocalBatchEngine driving the real re-encrypt handler through the fault/precondition proxy
 * (test/support/s3-proxy.ts) to moto, and read-backs that compare what S3 holds with what was written.
 */
import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { encodeKey } from '../../../src/batch/keys.js';
import type { BatchHandler } from '../../../src/batch/types.js';
import type { RedrivePolicy } from '../../../src/jobs/local/redrive.js';
import { LocalBatchEngine, type LocalJobEvent } from '../../../src/jobs/local-engine.js';
import type { CreateJobRequest, JobDescription } from '../../../src/jobs/port.js';
import { RecordingMetrics } from '../../../src/observability/metrics.js';
import { makeReencryptHandler, type ReencryptOptions } from '../../../src/reencrypt/handler.js';
import { SINGLE_COPY_LIMIT_BYTES } from '../../../src/reencrypt/types.js';
import { aCreateJobRequest, csvManifestText, lambdaOperation } from '../../helpers/jobs.js';
import { motoS3Client } from '../../support/aws.js';

export const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

/** Small, distinct bodies: object `i` of a run, written for the `n`-th time (0 = the seed). */
export const bodyFor = (key: string, n = 0, size = 256): Buffer => {
  const head = Buffer.from(`${key}#${n}#`);
  const b = Buffer.alloc(Math.max(size, head.length));
  head.copy(b);
  for (let i = head.length; i < b.length; i++) b[i] = (i * 31 + n * 7 + key.length) & 0xff;
  return b;
};

export interface SeededObject {
  readonly key: string;
  readonly sha256: string;
}

/**
 * A client straight to moto for setting up objects: no checksum trailer on uploads (the SDK's default sends
 * the body aws-chunked with a CRC32 trailer, which costs moto a good part of each PutObject), no proxy.
 */
export const seedingClient = (): S3Client => motoS3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' });

/** Puts `keys` (unencrypted unless `attributes` say otherwise) and returns the digest of each body. */
export async function seedObjects(
  s3: S3Client,
  bucket: string,
  keys: readonly string[],
  options: {
    concurrency?: number;
    size?: number;
    attributes?: Omit<PutObjectCommandInput, 'Bucket' | 'Key'>;
  } = {},
): Promise<Map<string, string>> {
  const limit = pLimit(options.concurrency ?? 32);
  const digests = new Map<string, string>();
  await Promise.all(
    keys.map((key) =>
      limit(async () => {
        const body = bodyFor(key, 0, options.size);
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...options.attributes }));
        digests.set(key, sha256(body));
      }),
    ),
  );
  return digests;
}

/** Uploads a Batch CSV manifest (`bucket,key`) and returns the job's manifest spec. */
export async function putCsvManifest(
  s3: S3Client,
  manifestsBucket: string,
  /** `encoded`: the key field as written (a task-hints document), instead of the encoded key. */
  rows: readonly { bucket: string; key: string; encoded?: string }[],
  key = 'plan/manifest.csv',
): Promise<CreateJobRequest['manifest']> {
  const out = await s3.send(
    new PutObjectCommand({
      Bucket: manifestsBucket,
      Key: key,
      Body: csvManifestText(rows.map((r) => [r.bucket, r.encoded ?? encodeKey(r.key)])),
    }),
  );
  return {
    format: 'S3BatchOperations_CSV_20180820',
    bucket: manifestsBucket,
    key,
    etag: (out.ETag ?? '').replace(/"/g, ''),
    fields: ['Bucket', 'Key'],
  };
}

/** Counts the handler invocations in flight and remembers the most seen at once. */
export function inFlightMeter(handler: BatchHandler) {
  const meter = { now: 0, max: 0, calls: 0 };
  const wrapped: BatchHandler = async (event, context) => {
    meter.calls++;
    meter.now++;
    meter.max = Math.max(meter.max, meter.now);
    try {
      return await handler(event, context);
    } finally {
      meter.now--;
    }
  };
  return { handler: wrapped, meter };
}

export interface EngineRig {
  readonly engine: LocalBatchEngine;
  readonly metrics: RecordingMetrics;
  readonly meter: { readonly now: number; readonly max: number; readonly calls: number };
  readonly events: LocalJobEvent[];
}

/**
 * The engine as `s3-reencrypt run` builds it, over `s3` (normally a client on the proxy): the real
 * re-encrypt handler, one task per invocation, engine back-off lowered so the tests stay fast.
 */
export function reencryptEngine(options: {
  readonly s3: S3Client;
  readonly targetKeyArn: string;
  readonly concurrency: number;
  readonly redrive?: Partial<RedrivePolicy>;
  readonly handler?: Partial<ReencryptOptions>;
}): EngineRig {
  const metrics = new RecordingMetrics();
  const inner = makeReencryptHandler(
    { s3: options.s3, metrics },
    {
      target: { keyArn: options.targetKeyArn, bucketKey: true },
      bucketKey: true,
      strategy: 'auto',
      multipartThresholdBytes: SINGLE_COPY_LIMIT_BYTES,
      deletePriorVersion: false,
      updateRoute: 'disabled',
      taskConcurrency: 1,
      ...options.handler,
    },
  );
  const { handler, meter } = inFlightMeter(inner);
  const events: LocalJobEvent[] = [];
  const engine = new LocalBatchEngine({
    s3: options.s3,
    handler,
    concurrency: options.concurrency,
    redrive: { baseDelayMs: 20, maxDelayMs: 200, ...options.redrive },
    onEvent: (e) => {
      if (e.type === 'task' && e.outcome !== 'succeeded') events.push(e);
    },
  });
  return { engine, metrics, meter, events };
}

/** Creates the re-encrypt job and waits for it to end. */
export async function runReencryptJob(
  engine: LocalBatchEngine,
  options: {
    readonly manifest: CreateJobRequest['manifest'];
    readonly reportsBucket: string;
    readonly targetKeyArn: string;
    readonly token?: string;
    readonly userArguments?: Readonly<Record<string, string>>;
  },
): Promise<JobDescription> {
  const { jobId } = await engine.create(
    aCreateJobRequest({
      clientRequestToken: options.token ?? `token-${options.manifest.etag}`,
      manifest: options.manifest,
      operation: lambdaOperation({
        userArguments: { targetKeyArn: options.targetKeyArn, bucketKey: 'true', ...options.userArguments },
      }),
      report: { bucket: options.reportsBucket, prefix: 'reports', scope: 'AllTasks' },
    }),
  );
  return engine.waitFor(jobId);
}

export interface StoredObject {
  readonly key: string;
  readonly sha256: string;
  readonly sse: string | undefined;
  readonly kmsKeyId: string | undefined;
  readonly bucketKey: boolean | undefined;
}

/** GETs every key (bytes and encryption in one request) with a client that bypasses the proxy. */
export async function readBack(
  s3: S3Client,
  bucket: string,
  keys: readonly string[],
  concurrency = 32,
): Promise<Map<string, StoredObject>> {
  const limit = pLimit(concurrency);
  const out = new Map<string, StoredObject>();
  await Promise.all(
    keys.map((key) =>
      limit(async () => {
        const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const bytes = await r.Body!.transformToByteArray();
        out.set(key, {
          key,
          sha256: sha256(bytes),
          sse: r.ServerSideEncryption,
          kmsKeyId: r.SSEKMSKeyId,
          bucketKey: r.BucketKeyEnabled,
        });
      }),
    ),
  );
  return out;
}

/**
 * Every version and delete marker in the bucket as `key@version@etag@modified`, sorted: equal lists before
 * and after = nothing written (in an unversioned bucket a rewrite keeps the version id "null" but not the date).
 */
export async function versionsOf(s3: S3Client, bucket: string): Promise<string[]> {
  const all: string[] = [];
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        ...(keyMarker ? { KeyMarker: keyMarker } : {}),
        ...(versionMarker ? { VersionIdMarker: versionMarker } : {}),
      }),
    );
    for (const v of page.Versions ?? [])
      all.push(`${v.Key}@${v.VersionId}@${v.ETag}@${v.LastModified?.toISOString()}`);
    for (const d of page.DeleteMarkers ?? []) all.push(`${d.Key}@${d.VersionId}@delete-marker`);
    if (!page.IsTruncated) break;
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  }
  return all.sort();
}
