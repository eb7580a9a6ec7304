import {
  DeleteObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { SourceChangedError } from '../../../src/reencrypt/errors.js';
import { MultipartCopyError } from '../../../src/reencrypt/multipart/index.js';
import type { MultipartCopyOutcome } from '../../../src/reencrypt/types.js';
import {
  deadlineAfter,
  MiB,
  openUploads,
  randomBody,
  readBytes,
  sha256,
  snapshotOf,
} from '../../helpers/multipart.js';
import { type MultipartRig, multipartRig, plenty } from './rig.js';

const KEY = 'videos/raw take 7.mov';

async function seed(rig: MultipartRig, size: number): Promise<Buffer> {
  const body = randomBody(size);
  await rig.s3.send(new PutObjectCommand({ Bucket: rig.bucket, Key: KEY, Body: body }));
  return body;
}

/** One Batch task invocation: a fresh look at the object, a fresh copier, a deadline after `budget` part copies. */
async function invoke(rig: MultipartRig, budget: number): Promise<MultipartCopyOutcome> {
  const snapshot = await snapshotOf(rig.s3, rig.bucket, KEY);
  return rig.copier({ concurrency: 1 }).copy({
    snapshot,
    target: rig.target,
    remainingMs: deadlineAfter(() => rig.counter.partCopies, budget),
  });
}

describe('resumable multipart copy on moto', () => {
  it('completes one object across several invocations without copying a part twice', async () => {
    // Prepare
    const rig = await multipartRig();
    const body = await seed(rig, 12 * MiB + 123);
    const outcomes: MultipartCopyOutcome[] = [];
    const checkpointsBetween: number[] = [];
    // Act
    for (let i = 0; i < 10; i++) {
      const outcome = await invoke(rig, 1);
      outcomes.push(outcome);
      if (outcome.status === 'completed') break;
      checkpointsBetween.push((await rig.checkpoints()).length);
    }
    // Assess
    expect(outcomes).toEqual([
      { status: 'suspended', partsDone: 1, partsTotal: 3, invocations: 1 },
      { status: 'suspended', partsDone: 2, partsTotal: 3, invocations: 2 },
      // All parts copied but the deadline is near: Complete waits for the next invocation.
      { status: 'suspended', partsDone: 3, partsTotal: 3, invocations: 3 },
      expect.objectContaining({ status: 'completed', parts: 3, invocations: 4 }),
    ]);
    expect(checkpointsBetween).toEqual([1, 1, 1]);
    expect(rig.counter.partCopies).toBe(3);
    expect(sha256(await readBytes(rig.s3, rig.bucket, KEY))).toBe(sha256(body));
    const head = await rig.s3.send(new HeadObjectCommand({ Bucket: rig.bucket, Key: KEY }));
    expect(head.SSEKMSKeyId).toBe(rig.target.keyArn);
    expect(await openUploads(rig.s3, rig.bucket)).toBe(0);
    expect(await rig.checkpoints()).toEqual([]);
  });

  it('trusts ListParts over the checkpoint: a part finished after the last save is not copied again', async () => {
    // Prepare
    const rig = await multipartRig();
    const body = await seed(rig, 12 * MiB + 123);
    await invoke(rig, 1);
    const [checkpointKey] = await rig.checkpoints();
    const saved = JSON.parse(
      new TextDecoder().decode(await readBytes(rig.s3, rig.workBucket, checkpointKey ?? '')),
    );
    // As if a killed invocation's in-flight part had still landed in S3 after the checkpoint was written.
    await rig.other.send(
      new UploadPartCopyCommand({
        Bucket: rig.bucket,
        Key: KEY,
        UploadId: saved.uploadId,
        PartNumber: 3,
        CopySource: `${rig.bucket}/${encodeURIComponent(KEY)}`,
        CopySourceRange: `bytes=${10 * MiB}-${12 * MiB + 122}`,
      }),
    );
    // Act
    const outcome = await invoke(rig, 100);
    // Assess
    expect(saved.parts.map((p: { partNumber: number }) => p.partNumber)).toEqual([1]);
    expect(outcome).toMatchObject({ status: 'completed', parts: 3, invocations: 2 });
    expect(rig.counter.partCopies).toBe(2);
    expect(sha256(await readBytes(rig.s3, rig.bucket, KEY))).toBe(sha256(body));
  });

  it.each([
    { bucket: 'an unversioned bucket', versioned: false },
    { bucket: 'a versioned bucket (a new current version)', versioned: true },
  ])(
    'starts over when the source was overwritten between invocations in $bucket, and copies the new bytes',
    async ({ versioned }) => {
      // Prepare
      const rig = await multipartRig({ versioned });
      await seed(rig, 12 * MiB);
      const first = await invoke(rig, 1);
      const newer = await seed(rig, 11 * MiB);
      // Act
      const outcome = await invoke(rig, 100);
      // Assess
      expect(first.status).toBe('suspended');
      expect(outcome).toMatchObject({ status: 'completed', parts: 3, invocations: 1 });
      expect(rig.counter.partCopies).toBe(1 + 3);
      expect(sha256(await readBytes(rig.s3, rig.bucket, KEY))).toBe(sha256(newer));
      expect(await openUploads(rig.s3, rig.bucket)).toBe(0);
      expect(await rig.checkpoints()).toEqual([]);
    },
  );

  it('does not complete over a source overwritten mid-copy; the new bytes stay', async () => {
    // Prepare
    const rig = await multipartRig();
    await seed(rig, 12 * MiB + 5);
    const snapshot = await snapshotOf(rig.s3, rig.bucket, KEY);
    const newer = randomBody(13 * MiB);
    rig.counter.afterPartCopy = async (n) => {
      if (n === 1) await rig.other.send(new PutObjectCommand({ Bucket: rig.bucket, Key: KEY, Body: newer }));
    };
    // Act
    const copy = rig.copier({ concurrency: 1 }).copy({ snapshot, target: rig.target, remainingMs: plenty });
    // Assess
    await expect(copy).rejects.toBeInstanceOf(SourceChangedError);
    await expect(copy).rejects.toMatchObject({ failureCause: 'precondition-failed', retryable: true });
    expect(sha256(await readBytes(rig.s3, rig.bucket, KEY))).toBe(sha256(newer));
    const head = await rig.s3.send(new HeadObjectCommand({ Bucket: rig.bucket, Key: KEY }));
    expect(head.SSEKMSKeyId).toBeUndefined();
    expect(await openUploads(rig.s3, rig.bucket)).toBe(0);
    expect(await rig.checkpoints()).toEqual([]);
  });

  it('leaves no open upload and no checkpoint after a permanent failure', async () => {
    // Prepare
    const rig = await multipartRig();
    await seed(rig, 12 * MiB);
    const snapshot = await snapshotOf(rig.s3, rig.bucket, KEY);
    rig.counter.afterPartCopy = async (n) => {
      if (n === 1) await rig.other.send(new DeleteObjectCommand({ Bucket: rig.bucket, Key: KEY }));
    };
    // Act
    const copy = rig.copier({ concurrency: 1 }).copy({ snapshot, target: rig.target, remainingMs: plenty });
    // Assess
    await expect(copy).rejects.toBeInstanceOf(MultipartCopyError);
    await expect(copy).rejects.toMatchObject({ failureCause: 'not-found', retryable: false });
    expect(await openUploads(rig.s3, rig.bucket)).toBe(0);
    expect(await rig.checkpoints()).toEqual([]);
    await expect(rig.s3.send(new HeadObjectCommand({ Bucket: rig.bucket, Key: KEY }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
  });
});
