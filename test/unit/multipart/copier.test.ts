import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListPartsCommand,
  NoSuchUpload,
  S3Client,
  S3ServiceException,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
// Registers the toReceive* aliases and their types (test/support/setup-matchers.ts registers only toHaveReceived*).
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, describe, expect, it } from 'vitest';
import { SourceChangedError } from '../../../src/reencrypt/errors.js';
import type {
  Checkpoint,
  CheckpointStore,
  LoadedCheckpoint,
} from '../../../src/reencrypt/multipart/checkpoint.js';
import { type CopierSettings, ResumableMultipartCopier } from '../../../src/reencrypt/multipart/copier.js';
import {
  CheckpointError,
  MultipartCopyError,
  ObjectTooLargeError,
} from '../../../src/reencrypt/multipart/errors.js';
import { MultipartLimits } from '../../../src/reencrypt/multipart/part-plan.js';
import type { MultipartCopyRequest } from '../../../src/reencrypt/types.js';
import { aSnapshot, MiB, TARGET } from '../../helpers/multipart.js';

// S3 itself is mocked here: these are the answers moto cannot give (412 on a part or at Complete,
// throttling, access and KMS errors, lost responses); the same flows run for real in test/integration.
const s3mock = mockClient(S3Client);
const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
afterEach(() => s3mock.reset());

const SETTINGS: CopierSettings = {
  partSizeBytes: 5 * MiB,
  concurrency: 2,
  safetyMarginMs: 30_000,
  reserveMs: 5_000,
  retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
  deadlinePollMs: 5,
};

const snapshot = aSnapshot({ size: 12 * MiB + 123 });

const s3Error = (name: string, status: number) =>
  new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });

/** An in-memory checkpoint store: the copier's port, so failures to save can be staged. */
function memoryStore(initial?: LoadedCheckpoint) {
  const state = {
    loaded: initial ?? ({ kind: 'none' } as LoadedCheckpoint),
    saved: [] as Checkpoint[],
    removed: 0,
    failSave: false,
  };
  const store: CheckpointStore = {
    load: async () => state.loaded,
    save: async (c) => {
      if (state.failSave) throw s3Error('InternalError', 500);
      state.saved.push(c);
      state.loaded = { kind: 'found', checkpoint: c };
    },
    remove: async () => {
      state.removed++;
      state.loaded = { kind: 'none' };
    },
  };
  return { store, state };
}

function happyS3() {
  s3mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
  s3mock
    .on(UploadPartCopyCommand)
    .callsFake((input) => ({ CopyPartResult: { ETag: `"p${input.PartNumber}"` } }));
  s3mock.on(HeadObjectCommand).resolves({ ETag: snapshot.etag });
  s3mock.on(CompleteMultipartUploadCommand).resolves({ ETag: '"done-3"' });
  s3mock.on(AbortMultipartUploadCommand).resolves({});
}

const request = (overrides: Partial<MultipartCopyRequest> = {}): MultipartCopyRequest => ({
  snapshot,
  target: TARGET,
  remainingMs: () => 600_000,
  ...overrides,
});

describe('ResumableMultipartCopier', () => {
  it('completes with If-Match on the ETag seen and every part in order', async () => {
    // Prepare
    happyS3();
    const { store, state } = memoryStore();
    // Act
    const outcome = await new ResumableMultipartCopier(s3, store, SETTINGS).copy(request());
    // Assess
    expect(outcome).toEqual({ status: 'completed', etag: '"done-3"', parts: 3, invocations: 1 });
    expect(s3mock).toReceiveCommandWith(CompleteMultipartUploadCommand, {
      UploadId: 'u1',
      IfMatch: snapshot.etag,
      MultipartUpload: {
        Parts: [
          { PartNumber: 1, ETag: '"p1"' },
          { PartNumber: 2, ETag: '"p2"' },
          { PartNumber: 3, ETag: '"p3"' },
        ],
      },
    });
    expect(s3mock).toReceiveCommandWith(UploadPartCopyCommand, {
      PartNumber: 3,
      CopySourceIfMatch: snapshot.etag,
      CopySourceRange: `bytes=${10 * MiB}-${12 * MiB + 122}`,
    });
    expect(state.saved).toHaveLength(1);
    expect(state.removed).toBe(1);
  });

  it('sends each part checksum back at Complete when the upload has a checksum algorithm', async () => {
    // Prepare
    happyS3();
    s3mock.on(UploadPartCopyCommand).callsFake((input) => ({
      CopyPartResult: { ETag: `"p${input.PartNumber}"`, ChecksumCRC32: `c${input.PartNumber}==` },
    }));
    // Act
    await new ResumableMultipartCopier(s3, memoryStore().store, SETTINGS).copy(
      request({ snapshot: { ...snapshot, checksumAlgorithm: 'CRC32' } }),
    );
    // Assess
    expect(s3mock).toReceiveCommandWith(CreateMultipartUploadCommand, { ChecksumAlgorithm: 'CRC32' });
    expect(s3mock).toReceiveCommandWith(CompleteMultipartUploadCommand, {
      MultipartUpload: {
        Parts: [1, 2, 3].map((n) => ({ PartNumber: n, ETag: `"p${n}"`, ChecksumCRC32: `c${n}==` })),
      },
    });
  });

  it('asks for Object Lock and the Bucket Key at creation (moto drops both, so only here)', async () => {
    // Prepare
    happyS3();
    const retainUntil = new Date(Date.now() + 86_400_000);
    // Act
    await new ResumableMultipartCopier(s3, memoryStore().store, SETTINGS).copy(
      request({
        snapshot: { ...snapshot, objectLock: { mode: 'COMPLIANCE', retainUntil, legalHold: 'ON' } },
      }),
    );
    // Assess
    expect(s3mock).toReceiveCommandWith(CreateMultipartUploadCommand, {
      SSEKMSKeyId: TARGET.keyArn,
      BucketKeyEnabled: true,
      ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: retainUntil,
      ObjectLockLegalHoldStatus: 'ON',
    });
  });

  it.each([
    {
      name: 'a part copy answers 412 (source ETag condition)',
      fail: () => s3mock.on(UploadPartCopyCommand).rejects(s3Error('PreconditionFailed', 412)),
    },
    {
      name: 'Complete answers 412 (destination If-Match)',
      fail: () => s3mock.on(CompleteMultipartUploadCommand).rejects(s3Error('PreconditionFailed', 412)),
    },
  ])('aborts and reports a changed source when $name', async ({ fail }) => {
    // Prepare
    happyS3();
    fail();
    const { store, state } = memoryStore();
    // Act
    const copy = new ResumableMultipartCopier(s3, store, SETTINGS).copy(request());
    // Assess
    await expect(copy).rejects.toBeInstanceOf(SourceChangedError);
    await expect(copy).rejects.toMatchObject({ failureCause: 'precondition-failed', retryable: true });
    expect(s3mock).toReceiveCommandWith(AbortMultipartUploadCommand, { UploadId: 'u1' });
    expect(state.loaded).toEqual({ kind: 'none' });
  });

  it('refuses to complete when the re-read source has another ETag', async () => {
    // Prepare
    happyS3();
    s3mock.on(HeadObjectCommand).resolves({ ETag: '"someone-else"' });
    // Act
    const copy = new ResumableMultipartCopier(s3, memoryStore().store, SETTINGS).copy(request());
    // Assess
    await expect(copy).rejects.toBeInstanceOf(SourceChangedError);
    expect(s3mock).not.toReceiveCommand(CompleteMultipartUploadCommand);
    expect(s3mock).toReceiveCommand(AbortMultipartUploadCommand);
  });

  it('refuses to complete when a newer version became current in a versioned bucket', async () => {
    // Prepare
    happyS3();
    s3mock.on(HeadObjectCommand).resolves({ ETag: snapshot.etag, VersionId: 'v2' });
    // Act
    const copy = new ResumableMultipartCopier(s3, memoryStore().store, SETTINGS).copy(
      request({ snapshot: { ...snapshot, versionId: 'v1' } }),
    );
    // Assess
    await expect(copy).rejects.toBeInstanceOf(SourceChangedError);
    expect(s3mock).not.toReceiveCommand(CompleteMultipartUploadCommand);
  });

  it('keeps the upload and its checkpoint when a part stays throttled, for the redrive to resume', async () => {
    // Prepare
    happyS3();
    s3mock.on(UploadPartCopyCommand, { PartNumber: 2 }).rejects(s3Error('SlowDown', 503));
    const { store, state } = memoryStore();
    // Act
    const copy = new ResumableMultipartCopier(s3, store, SETTINGS).copy(request());
    // Assess
    await expect(copy).rejects.toBeInstanceOf(MultipartCopyError);
    await expect(copy).rejects.toMatchObject({ failureCause: 'throttled', retryable: true, uploadId: 'u1' });
    expect(s3mock).toReceiveCommandTimes(UploadPartCopyCommand, 2 + SETTINGS.retry!.attempts);
    expect(s3mock).not.toReceiveCommand(AbortMultipartUploadCommand);
    expect(state.loaded.kind).toBe('found');
    expect(state.saved.at(-1)?.parts.map((p) => p.partNumber)).toEqual([1, 3]);
  });

  it.each([
    { code: 'AccessDenied', status: 403, cause: 'access-denied' },
    { code: 'KMS.DisabledException', status: 400, cause: 'kms-key-disabled' },
    { code: 'KMS.NotFoundException', status: 400, cause: 'kms-key-not-found' },
  ])('aborts the upload and forgets the checkpoint on $code', async ({ code, status, cause }) => {
    // Prepare
    happyS3();
    s3mock.on(UploadPartCopyCommand, { PartNumber: 1 }).rejects(s3Error(code, status));
    const { store, state } = memoryStore();
    // Act
    const copy = new ResumableMultipartCopier(s3, store, SETTINGS).copy(request());
    // Assess
    await expect(copy).rejects.toMatchObject({ failureCause: cause, retryable: false });
    expect(s3mock).toReceiveCommandWith(AbortMultipartUploadCommand, { UploadId: 'u1' });
    expect(state.loaded).toEqual({ kind: 'none' });
  });

  it('aborts a new upload whose first checkpoint cannot be saved', async () => {
    // Prepare
    happyS3();
    const { store, state } = memoryStore();
    state.failSave = true;
    // Act
    const copy = new ResumableMultipartCopier(s3, store, SETTINGS).copy(request());
    // Assess
    await expect(copy).rejects.toBeInstanceOf(CheckpointError);
    await expect(copy).rejects.toMatchObject({ failureCause: 'checkpoint', retryable: true });
    expect(s3mock).toReceiveCommandWith(AbortMultipartUploadCommand, { UploadId: 'u1' });
    expect(s3mock).not.toReceiveCommand(UploadPartCopyCommand);
  });

  it('abandons a part still in flight at the hard deadline and suspends', async () => {
    // Prepare
    happyS3();
    let now = 600_000;
    s3mock.on(UploadPartCopyCommand, { PartNumber: 2 }).callsFake(
      () =>
        new Promise(() => {
          now = 1_000; // the clock runs out while this part hangs
        }),
    );
    const { store, state } = memoryStore();
    // Act
    const outcome = await new ResumableMultipartCopier(s3, store, { ...SETTINGS, concurrency: 1 }).copy(
      request({ remainingMs: () => now }),
    );
    // Assess
    expect(outcome).toEqual({ status: 'suspended', partsDone: 1, partsTotal: 3, invocations: 1 });
    expect(state.saved.at(-1)?.parts.map((p) => p.partNumber)).toEqual([1]);
    expect(s3mock).not.toReceiveCommand(AbortMultipartUploadCommand);
  });

  it('stops launching once a part as slow as the slowest seen would overrun the deadline', async () => {
    // Prepare
    happyS3();
    let clock = 0;
    const deadline = 1_000;
    s3mock.on(UploadPartCopyCommand).callsFake(async (input) => {
      clock += 100; // every part takes 100 ms of the invocation
      return { CopyPartResult: { ETag: `"p${input.PartNumber}"` } };
    });
    const { store } = memoryStore();
    // Act
    const outcome = await new ResumableMultipartCopier(s3, store, {
      ...SETTINGS,
      concurrency: 1,
      safetyMarginMs: 50,
      reserveMs: 10,
      clock: () => clock,
    }).copy(request({ snapshot: { ...snapshot, size: 50 * MiB }, remainingMs: () => deadline - clock }));
    // Assess
    // Launches at 1000, 900, ..., 200 ms left; at 100 ms left a 100 ms part (+25 %, + reserve) no longer fits.
    expect(outcome).toEqual({ status: 'suspended', partsDone: 9, partsTotal: 10, invocations: 1 });
    expect(s3mock).toReceiveCommandTimes(UploadPartCopyCommand, 9);
  });

  it('resumes from ListParts, redoing a checkpointed part S3 does not have', async () => {
    // Prepare
    happyS3();
    const { store } = memoryStore();
    await store.save({
      version: 1,
      bucket: snapshot.bucket,
      key: snapshot.key,
      sourceEtag: snapshot.etag,
      size: snapshot.size,
      uploadId: 'u0',
      partSize: 5 * MiB,
      partsTotal: 3,
      parts: [
        { partNumber: 1, etag: '"p1"' },
        { partNumber: 2, etag: '"p2"' },
      ],
      invocations: 4,
      createdAt: '2026-03-01T00:00:00.000Z',
      updatedAt: '2026-03-01T00:14:00.000Z',
    });
    s3mock.on(ListPartsCommand).resolves({ Parts: [{ PartNumber: 1, ETag: '"p1"', Size: 5 * MiB }] });
    // Act
    const outcome = await new ResumableMultipartCopier(s3, store, SETTINGS).copy(request());
    // Assess
    expect(outcome).toMatchObject({ status: 'completed', parts: 3, invocations: 5 });
    expect(s3mock).not.toReceiveCommand(CreateMultipartUploadCommand);
    expect(s3mock).toReceiveCommandTimes(UploadPartCopyCommand, 2);
    expect(s3mock).toReceiveCommandWith(UploadPartCopyCommand, { UploadId: 'u0', PartNumber: 2 });
    expect(s3mock).toReceiveCommandWith(UploadPartCopyCommand, { UploadId: 'u0', PartNumber: 3 });
  });

  it('starts over when the checkpointed upload no longer exists', async () => {
    // Prepare
    happyS3();
    s3mock
      .on(ListPartsCommand)
      .rejects(new NoSuchUpload({ message: 'gone', $metadata: { httpStatusCode: 404 } }));
    const { store } = memoryStore();
    await store.save({
      version: 1,
      bucket: snapshot.bucket,
      key: snapshot.key,
      sourceEtag: snapshot.etag,
      size: snapshot.size,
      uploadId: 'u-expired',
      partSize: 5 * MiB,
      partsTotal: 3,
      parts: [],
      invocations: 2,
      createdAt: '2026-03-01T00:00:00.000Z',
      updatedAt: '2026-03-01T00:00:00.000Z',
    });
    // Act
    const outcome = await new ResumableMultipartCopier(s3, store, SETTINGS).copy(request());
    // Assess
    expect(outcome).toMatchObject({ status: 'completed', invocations: 1 });
    expect(s3mock).toReceiveCommandTimes(CreateMultipartUploadCommand, 1);
  });

  it('aborts the upload named by an unreadable checkpoint before starting over', async () => {
    // Prepare
    happyS3();
    const { store } = memoryStore({ kind: 'corrupt', uploadId: 'u-old', problem: 'parts is malformed' });
    // Act
    const outcome = await new ResumableMultipartCopier(s3, store, SETTINGS).copy(request());
    // Assess
    expect(outcome.status).toBe('completed');
    expect(s3mock).toReceiveCommandWith(AbortMultipartUploadCommand, { UploadId: 'u-old' });
  });

  it('recognises a Complete whose response was lost (NoSuchUpload on the retry)', async () => {
    // Prepare
    happyS3();
    s3mock.on(CompleteMultipartUploadCommand).rejects(new NoSuchUpload({ message: 'gone', $metadata: {} }));
    s3mock
      .on(HeadObjectCommand)
      .resolvesOnce({ ETag: snapshot.etag })
      .resolves({ ETag: '"new-3"', SSEKMSKeyId: TARGET.keyArn, VersionId: 'v9' });
    const { store, state } = memoryStore();
    // Act
    const outcome = await new ResumableMultipartCopier(s3, store, SETTINGS).copy(request());
    // Assess
    expect(outcome).toEqual({
      status: 'completed',
      etag: '"new-3"',
      versionId: 'v9',
      parts: 3,
      invocations: 1,
    });
    expect(state.loaded).toEqual({ kind: 'none' });
  });

  it('names the missing s3:ListBucket grant when the checkpoint read is denied', async () => {
    // Prepare
    happyS3();
    const { store } = memoryStore();
    store.load = async () => {
      throw s3Error('AccessDenied', 403);
    };
    // Act
    const copy = new ResumableMultipartCopier(s3, store, SETTINGS).copy(request());
    // Assess
    await expect(copy).rejects.toBeInstanceOf(CheckpointError);
    await expect(copy).rejects.toThrow(/s3:ListBucket on the checkpoint bucket/);
    expect(s3mock).not.toReceiveCommand(CreateMultipartUploadCommand);
  });

  it('rejects an object larger than S3 allows before sending anything', async () => {
    // Act
    const copy = new ResumableMultipartCopier(s3, memoryStore().store, SETTINGS).copy(
      request({ snapshot: { ...snapshot, size: MultipartLimits.maxObjectBytes + 1 } }),
    );
    // Assess
    await expect(copy).rejects.toBeInstanceOf(ObjectTooLargeError);
    expect(s3mock.calls()).toHaveLength(0);
  });
});
