import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { makeS3Client } from '../../../src/aws/clients.js';
import { encodeKey } from '../../../src/batch/keys.js';
import { type PipelineEvent, runLocalPipeline } from '../../../src/pipeline/index.js';
import { bodyOf } from '../../helpers/objects.js';
import { motoClients, motoSettings, newBucket, newKmsKey } from '../../support/aws.js';
import { keysUnder, MiB, openUploads, stateOf } from './support.js';

const KEY = 'raw/take 7 (final).mov';
/** Simulated time one UploadPartCopy takes: two fit in the 100 s invocation before the 60 s margin. */
const PART_COPY_MS = 30_000;

describe('a large object through the local engine with a short simulated function timeout', () => {
  it('completes across three invocations by the engine redrives, bytes identical and no upload left open', async () => {
    // Prepare
    const { kms } = motoClients();
    const clock = { ms: Date.parse('2026-11-01T00:00:00Z') };
    // The copier measures time through the engine's clock (the handler context); each part copy advances it.
    const s3 = makeS3Client(motoSettings());
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (context.commandName === 'UploadPartCopyCommand') clock.ms += PART_COPY_MS;
        return out;
      },
      { step: 'initialize', name: 'simulatedPartCopyTime' },
    );
    const [data, work, target] = await Promise.all([
      newBucket(s3, { prefix: 'resume-data' }),
      newBucket(s3, { prefix: 'resume-work' }),
      newKmsKey(kms),
    ]);
    // Five parts of 5 MiB, the last one uneven.
    await s3.send(
      new PutObjectCommand({
        Bucket: data,
        Key: KEY,
        Body: bodyOf(21 * MiB + 777, 7),
        ServerSideEncryption: 'AES256',
      }),
    );
    const before = await stateOf(s3, data, KEY);
    const dir = await mkdtemp(join(tmpdir(), 'resume-'));
    const manifest = join(dir, 'manifest.csv');
    await writeFile(manifest, `${data},${encodeKey(KEY)}\n`);
    const events: PipelineEvent[] = [];
    // Act
    const result = await runLocalPipeline(
      { s3, kms },
      {
        source: { kind: 'csv-file', path: manifest },
        targetKey: target,
        region: 'us-east-1',
        updateRoute: 'disabled',
        multipart: {
          thresholdBytes: 8 * MiB,
          partSizeBytes: 5 * MiB,
          concurrency: 1,
          safetyMarginMs: 60_000,
        },
        reports: { bucket: work },
        engine: {
          functionTimeoutMs: 100_000,
          now: () => clock.ms,
          redrive: { maxRedrives: 5, baseDelayMs: 1, maxDelayMs: 5 },
        },
        onProgress: (e) => events.push(e),
      },
    );
    // Assess
    const [job] = result.jobs;
    expect(result.jobs).toHaveLength(1);
    expect(job?.kind).toBe('csv');
    expect(events.filter((e) => e.type === 'task').map((e) => e.type === 'task' && e.outcome)).toEqual([
      'redrive',
      'redrive',
      'succeeded',
    ]);
    expect(job?.description?.progress).toMatchObject({ totalTasks: 1, succeeded: 1, failed: 0, redrives: 2 });
    expect(job?.summary?.summary).toMatchObject({
      routes: { multipart: { objects: 1, bytes: 21 * MiB + 777 } },
      multipartParts: 5,
      lambda: { invocations: 3 },
    });
    const after = await stateOf(s3, data, KEY);
    expect(after.sha256).toBe(before.sha256);
    expect(after).toMatchObject({ algorithm: 'aws:kms', kmsKeyId: target });
    expect(after.etag).not.toBe(before.etag);
    expect(await openUploads(s3, data)).toBe(0);
    expect(await keysUnder(s3, work, 'checkpoints/')).toEqual([]);
  });
});
