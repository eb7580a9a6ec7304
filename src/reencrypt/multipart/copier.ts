import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListPartsCommand,
  type S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { type LoggerPort, silentLogger } from '../../observability/logger.js';
import { SourceChangedError } from '../errors.js';
import type {
  MultipartCopier,
  MultipartCopyOutcome,
  MultipartCopyRequest,
  ObjectSnapshot,
} from '../types.js';
import type { Checkpoint, CheckpointStore } from './checkpoint.js';
import { classifyError, errorCode, httpStatus, isNoSuchUpload, isPreconditionFailure } from './classify.js';
import { CheckpointError, MultipartCopyError, ObjectTooLargeError } from './errors.js';
import { MultipartLimits, type PartPlan, partLength, planParts } from './part-plan.js';
import { type RetryPolicy, runPartPool } from './part-pool.js';
import {
  completedParts,
  createUploadInput,
  type DonePart,
  partChecksum,
  uploadPartCopyInput,
} from './upload-request.js';

export interface CopierSettings {
  readonly partSizeBytes: number;
  readonly concurrency: number;
  /** Stop launching parts (and do not start Complete) when less than this is left. */
  readonly safetyMarginMs: number;
  /** Abort requests still in flight when less than this is left: time to save and answer. */
  readonly reserveMs: number;
  readonly retry?: RetryPolicy;
  /** How often the hard deadline is checked while parts are in flight. */
  readonly deadlinePollMs: number;
  /** Milliseconds clock for part durations (tests pass a fake one). */
  readonly clock?: () => number;
}

interface UploadState {
  readonly uploadId: string;
  readonly plan: PartPlan;
  readonly done: Map<number, DonePart>;
  readonly invocations: number;
  readonly createdAt: string;
}

const ctx = (s: ObjectSnapshot, uploadId?: string) =>
  uploadId ? { bucket: s.bucket, key: s.key, uploadId } : { bucket: s.bucket, key: s.key };

const describe = (e: unknown): string =>
  `${errorCode(e) ?? 'error'}${httpStatus(e) ? ` (HTTP ${httpStatus(e)})` : ''}: ${e instanceof Error ? e.message : String(e)}`;

/** The multipart route: resumable across invocations through a checkpoint and ListParts. */
export class ResumableMultipartCopier implements MultipartCopier {
  constructor(
    private readonly s3: S3Client,
    private readonly store: CheckpointStore,
    private readonly settings: CopierSettings,
    private readonly logger: LoggerPort = silentLogger,
  ) {}

  async copy(request: MultipartCopyRequest): Promise<MultipartCopyOutcome> {
    const s = request.snapshot;
    if (s.size > MultipartLimits.maxObjectBytes)
      throw new ObjectTooLargeError(
        `${s.size} bytes is more than S3's largest object (${MultipartLimits.maxObjectBytes} bytes)`,
        ctx(s),
      );
    const state = (await this.resume(s)) ?? (await this.start(request));
    await this.saveOrCleanUp(s, state, state.invocations === 1);
    return this.run(request, state);
  }

  /** Loads and verifies an earlier invocation's progress; undefined when there is none to keep. */
  private async resume(s: ObjectSnapshot): Promise<UploadState | undefined> {
    let loaded: Awaited<ReturnType<CheckpointStore['load']>>;
    try {
      loaded = await this.store.load(s);
    } catch (e) {
      // Without s3:ListBucket, S3 answers 403 instead of 404 for a checkpoint that does not exist yet.
      const hint =
        httpStatus(e) === 403
          ? ' (a missing checkpoint reads as 403 unless the role may s3:ListBucket on the checkpoint bucket)'
          : '';
      throw new CheckpointError(
        `cannot read checkpoint: ${describe(e)}${hint}`,
        { ...ctx(s), retryable: true },
        { cause: e },
      );
    }
    if (loaded.kind === 'none') return undefined;
    if (loaded.kind === 'corrupt') {
      this.logger.warn('discarding unreadable multipart checkpoint', { ...ctx(s), problem: loaded.problem });
      await this.discard(s, loaded.uploadId);
      return undefined;
    }
    const cp = loaded.checkpoint;
    let plan: PartPlan;
    try {
      plan = planParts(cp.size, cp.partSize);
    } catch (e) {
      this.logger.warn('discarding checkpoint with an impossible part plan', {
        ...ctx(s, cp.uploadId),
        error: describe(e),
      });
      await this.discard(s, cp.uploadId);
      return undefined;
    }
    const sameObject = cp.bucket === s.bucket && cp.key === s.key && cp.versionId === s.versionId;
    if (!sameObject || cp.sourceEtag !== s.etag || cp.size !== s.size || plan.partSize !== cp.partSize) {
      // The source was overwritten between invocations; the caller's snapshot is the new object.
      this.logger.info('source changed since the checkpoint; starting the multipart copy over', {
        ...ctx(s, cp.uploadId),
        checkpointEtag: cp.sourceEtag,
        etag: s.etag,
      });
      await this.discard(s, cp.uploadId);
      return undefined;
    }
    let listed: DonePart[];
    try {
      listed = await this.listParts(s, cp.uploadId, plan);
    } catch (e) {
      if (!isNoSuchUpload(e))
        throw await this.failOrKeep(s, cp.uploadId, e, 'cannot list the parts of the upload');
      // Aborted meanwhile (by the lifecycle backstop, or by hand): nothing left to resume.
      this.logger.warn('checkpointed upload no longer exists; starting over', ctx(s, cp.uploadId));
      await this.discard(s, undefined);
      return undefined;
    }
    const done = new Map(listed.map((p) => [p.partNumber, p]));
    const lost = cp.parts.filter((p) => !done.has(p.partNumber)).length;
    if (lost > 0) this.logger.warn('parts in the checkpoint missing from ListParts; redoing them', { lost });
    this.logger.info('resuming multipart copy', {
      ...ctx(s, cp.uploadId),
      partsDone: done.size,
      partsTotal: plan.parts.length,
      invocation: cp.invocations + 1,
    });
    return { uploadId: cp.uploadId, plan, done, invocations: cp.invocations + 1, createdAt: cp.createdAt };
  }

  /** ListParts is the truth: a part counts as done only if S3 has it with the planned length. */
  private async listParts(s: ObjectSnapshot, uploadId: string, plan: PartPlan): Promise<DonePart[]> {
    const out: DonePart[] = [];
    let marker: string | undefined;
    do {
      const page = await this.s3.send(
        new ListPartsCommand({
          Bucket: s.bucket,
          Key: s.key,
          UploadId: uploadId,
          ...(marker ? { PartNumberMarker: marker } : {}),
        }),
      );
      for (const p of page.Parts ?? []) {
        const planned = p.PartNumber ? plan.parts[p.PartNumber - 1] : undefined;
        if (!planned || !p.ETag || p.Size !== partLength(planned)) continue;
        const checksum = partChecksum(p);
        out.push({ partNumber: planned.partNumber, etag: p.ETag, ...(checksum ? { checksum } : {}) });
      }
      marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
    } while (marker);
    return out;
  }

  private async start(request: MultipartCopyRequest): Promise<UploadState> {
    const s = request.snapshot;
    const plan = planParts(s.size, this.settings.partSizeBytes);
    let uploadId: string | undefined;
    try {
      const created = await this.s3.send(
        new CreateMultipartUploadCommand(createUploadInput(s, request.target)),
      );
      uploadId = created.UploadId;
    } catch (e) {
      throw this.transientOrPermanent(s, undefined, e, 'cannot create the multipart upload');
    }
    if (!uploadId)
      throw new MultipartCopyError('CreateMultipartUpload returned no UploadId', {
        ...ctx(s),
        failureCause: 'unknown',
        retryable: true,
      });
    this.logger.info('started multipart copy', {
      ...ctx(s, uploadId),
      partSize: plan.partSize,
      partsTotal: plan.parts.length,
    });
    return { uploadId, plan, done: new Map(), invocations: 1, createdAt: new Date().toISOString() };
  }

  private async run(request: MultipartCopyRequest, state: UploadState): Promise<MultipartCopyOutcome> {
    const s = request.snapshot;
    const { uploadId, plan, done } = state;
    const clock = this.settings.clock ?? Date.now;
    const lowOnTime = () => request.remainingMs() < this.settings.safetyMarginMs;
    // A 5 GiB part can take longer than the margin: launch a part only if one as slow as the slowest
    // seen so far still ends before the hard deadline, rather than abandoning it half-way.
    let slowestPartMs = 0;
    const tooLateToLaunch = () =>
      lowOnTime() || request.remainingMs() < slowestPartMs * 1.25 + this.settings.reserveMs;
    const pending = plan.parts.filter((p) => !done.has(p.partNumber));
    const wholeObject = plan.parts.length === 1;
    const hardStop = new AbortController();
    const poll = setInterval(() => {
      if (request.remainingMs() < this.settings.reserveMs) hardStop.abort();
    }, this.settings.deadlinePollMs);
    poll.unref();
    let pool: Awaited<ReturnType<typeof runPartPool>>;
    try {
      pool = await runPartPool({
        parts: pending,
        concurrency: this.settings.concurrency,
        shouldStop: tooLateToLaunch,
        signal: hardStop.signal,
        ...(this.settings.retry ? { retry: this.settings.retry } : {}),
        onDone: (p) => done.set(p.partNumber, p),
        copyPart: async (part, signal) => {
          const started = clock();
          const out = await this.s3.send(
            new UploadPartCopyCommand(uploadPartCopyInput(s, uploadId, part, wholeObject)),
            { abortSignal: signal },
          );
          const etag = out.CopyPartResult?.ETag;
          if (!etag)
            throw new MultipartCopyError(`UploadPartCopy of part ${part.partNumber} returned no ETag`, {
              ...ctx(s, uploadId),
              failureCause: 'server-error',
              retryable: true,
            });
          slowestPartMs = Math.max(slowestPartMs, clock() - started);
          const checksum = out.CopyPartResult ? partChecksum(out.CopyPartResult) : undefined;
          return { partNumber: part.partNumber, etag, ...(checksum ? { checksum } : {}) };
        },
      });
    } finally {
      clearInterval(poll);
    }
    if (pool.failure !== undefined) {
      const e = pool.failure;
      if (isPreconditionFailure(e))
        throw await this.sourceChanged(s, uploadId, 'a part copy failed its source ETag condition', e);
      if (isNoSuchUpload(e)) {
        await this.discard(s, undefined);
        throw new MultipartCopyError(
          'the multipart upload disappeared while copying parts',
          { ...ctx(s, uploadId), failureCause: 'unknown', retryable: true },
          { cause: e },
        );
      }
      if (classifyError(e).transient) await this.saveOrCleanUp(s, state, false);
      throw await this.failOrKeep(s, uploadId, e, 'a part copy failed');
    }
    if (done.size < plan.parts.length || lowOnTime()) return this.suspend(s, state);
    return this.complete(request, state);
  }

  private async suspend(s: ObjectSnapshot, state: UploadState): Promise<MultipartCopyOutcome> {
    await this.saveOrCleanUp(s, state, false);
    this.logger.info('suspended multipart copy before the deadline', {
      ...ctx(s, state.uploadId),
      partsDone: state.done.size,
      partsTotal: state.plan.parts.length,
      invocation: state.invocations,
    });
    return {
      status: 'suspended',
      partsDone: state.done.size,
      partsTotal: state.plan.parts.length,
      invocations: state.invocations,
    };
  }

  private async complete(request: MultipartCopyRequest, state: UploadState): Promise<MultipartCopyOutcome> {
    const s = request.snapshot;
    const { uploadId } = state;
    await this.verifySourceUnchanged(s, uploadId);
    let out: { ETag?: string; VersionId?: string };
    try {
      out = await this.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: s.bucket,
          Key: s.key,
          UploadId: uploadId,
          // Destination condition: the object being replaced must still be the one copied.
          IfMatch: s.etag,
          MultipartUpload: { Parts: completedParts(state.done.values()) },
        }),
      );
    } catch (e) {
      if (isPreconditionFailure(e))
        throw await this.sourceChanged(s, uploadId, 'the object changed before completion (If-Match)', e);
      if (isNoSuchUpload(e)) {
        const finished = await this.completedEarlier(request, state);
        if (finished) return finished;
      }
      if (classifyError(e).transient) await this.saveOrCleanUp(s, state, false);
      throw await this.failOrKeep(s, uploadId, e, 'CompleteMultipartUpload failed');
    }
    await this.removeCheckpointQuietly(s);
    const etag = out.ETag ?? '';
    this.logger.info('completed multipart copy', {
      ...ctx(s, uploadId),
      parts: state.plan.parts.length,
      invocations: state.invocations,
      etag,
    });
    return {
      status: 'completed',
      etag,
      ...(out.VersionId ? { versionId: out.VersionId } : {}),
      parts: state.plan.parts.length,
      invocations: state.invocations,
    };
  }

  /**
   * Defence in depth beside the copy-source and If-Match conditions (which some S3-compatible
   * stores, moto among them, ignore): the current object must still be the version and ETag copied,
   * or completing would put stale bytes over newer ones.
   */
  private async verifySourceUnchanged(s: ObjectSnapshot, uploadId: string): Promise<void> {
    let head: { ETag?: string; VersionId?: string };
    try {
      head = await this.s3.send(new HeadObjectCommand({ Bucket: s.bucket, Key: s.key }));
    } catch (e) {
      if (httpStatus(e) === 404 || errorCode(e) === 'NotFound')
        throw await this.sourceChanged(s, uploadId, 'the object was deleted during the copy', e);
      if (classifyError(e).transient)
        throw this.transientOrPermanent(s, uploadId, e, 'cannot re-check the source');
      throw await this.failOrKeep(s, uploadId, e, 'cannot re-check the source');
    }
    const versionMoved = s.versionId !== undefined && head.VersionId !== s.versionId;
    if (head.ETag !== s.etag || versionMoved)
      throw await this.sourceChanged(
        s,
        uploadId,
        `the object changed during the copy (ETag ${s.etag} -> ${head.ETag ?? 'none'})`,
      );
  }

  /**
   * A lost response to an earlier Complete leaves NoSuchUpload on the retry; the object then already
   * is this copy: under the target key and with a multipart ETag of this many parts.
   */
  private async completedEarlier(
    request: MultipartCopyRequest,
    state: UploadState,
  ): Promise<MultipartCopyOutcome | undefined> {
    const s = request.snapshot;
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: s.bucket, Key: s.key }));
      const parts = state.plan.parts.length;
      if (
        head.SSEKMSKeyId !== request.target.keyArn ||
        !head.ETag?.endsWith(`-${parts}"`) ||
        head.ETag === s.etag
      )
        return undefined;
      await this.removeCheckpointQuietly(s);
      return {
        status: 'completed',
        etag: head.ETag,
        ...(head.VersionId ? { versionId: head.VersionId } : {}),
        parts,
        invocations: state.invocations,
      };
    } catch {
      return undefined;
    }
  }

  private async sourceChanged(
    s: ObjectSnapshot,
    uploadId: string,
    why: string,
    cause?: unknown,
  ): Promise<SourceChangedError> {
    await this.discard(s, uploadId);
    // Retryable: the redrive starts from a fresh look, which may find the new object compliant.
    return new SourceChangedError(
      `${s.key}: ${why}; upload aborted, nothing written`,
      {
        failureCause: 'precondition-failed',
        retryable: true,
        bucket: s.bucket,
        key: s.key,
      },
      cause === undefined ? undefined : { cause },
    );
  }

  /** Transient errors keep the upload and checkpoint for the redrive; permanent ones clean up. */
  private async failOrKeep(
    s: ObjectSnapshot,
    uploadId: string,
    e: unknown,
    what: string,
  ): Promise<MultipartCopyError> {
    const cls = classifyError(e);
    if (!cls.transient) await this.discard(s, uploadId);
    return this.transientOrPermanent(s, uploadId, e, what);
  }

  private transientOrPermanent(
    s: ObjectSnapshot,
    uploadId: string | undefined,
    e: unknown,
    what: string,
  ): MultipartCopyError {
    const cls = classifyError(e);
    const kept = cls.transient ? 'upload kept for the retry' : 'upload aborted';
    return new MultipartCopyError(
      `${what}: ${describe(e)} (${kept})`,
      { ...ctx(s, uploadId), failureCause: cls.cause, retryable: cls.transient },
      { cause: e },
    );
  }

  /**
   * Writes the checkpoint. A first checkpoint that cannot be written aborts the new upload: without
   * its id no later invocation could resume or abort it.
   */
  private async saveOrCleanUp(s: ObjectSnapshot, state: UploadState, fresh: boolean): Promise<void> {
    const now = new Date().toISOString();
    const cp: Checkpoint = {
      version: 1,
      bucket: s.bucket,
      key: s.key,
      ...(s.versionId !== undefined ? { versionId: s.versionId } : {}),
      sourceEtag: s.etag,
      size: s.size,
      uploadId: state.uploadId,
      partSize: state.plan.partSize,
      partsTotal: state.plan.parts.length,
      parts: [...state.done.values()].sort((a, b) => a.partNumber - b.partNumber),
      invocations: state.invocations,
      createdAt: state.createdAt,
      updatedAt: now,
    };
    try {
      await this.store.save(cp);
    } catch (e) {
      if (fresh) await this.abortQuietly(s, state.uploadId);
      throw new CheckpointError(
        `cannot save checkpoint: ${describe(e)}${fresh ? ' (new upload aborted)' : ' (upload kept; ListParts holds the progress)'}`,
        { ...ctx(s, state.uploadId), retryable: true },
        { cause: e },
      );
    }
  }

  /** Aborts the upload (if any) and forgets the checkpoint: nothing of this attempt is left behind. */
  private async discard(s: ObjectSnapshot, uploadId: string | undefined): Promise<void> {
    if (uploadId) await this.abortQuietly(s, uploadId);
    await this.removeCheckpointQuietly(s);
  }

  private async abortQuietly(s: ObjectSnapshot, uploadId: string): Promise<void> {
    try {
      await this.s3.send(
        new AbortMultipartUploadCommand({ Bucket: s.bucket, Key: s.key, UploadId: uploadId }),
      );
    } catch (e) {
      if (isNoSuchUpload(e)) return;
      // The lifecycle backstop (AbortIncompleteMultipartUpload) removes it within days.
      this.logger.error('cannot abort multipart upload', { ...ctx(s, uploadId), error: describe(e) });
    }
  }

  private async removeCheckpointQuietly(s: ObjectSnapshot): Promise<void> {
    try {
      await this.store.remove(s);
    } catch (e) {
      // A stale checkpoint is harmless: its ETag or its upload id no longer matches, and it expires.
      this.logger.warn('cannot delete multipart checkpoint', { ...ctx(s), error: describe(e) });
    }
  }
}
