import type { S3Client } from '@aws-sdk/client-s3';
import type { Route, TaskResult } from '../batch/result-string.js';
import type { TaskHints } from '../batch/task-hints.js';
import type { LoggerPort } from '../observability/logger.js';
import { applyGrants, readGrants } from './acl.js';
import {
  classifyError,
  errorCode,
  errorMessage,
  httpStatus,
  isNotImplemented,
  isPreconditionFailure,
} from './classify.js';
import type { ContainerState } from './container-state.js';
import { copyInPlace, grantsLeftAfterCopy } from './copy.js';
import type { ObjectTask } from './event.js';
import { failed, failedWith, succeeded, type TaskFacts, type TaskOutcome } from './outcome.js';
import { deletePriorVersion } from './prior-version.js';
import { ARCHIVE_CLASSES, type Decision, decideRoute } from './route.js';
import { lookAt, readTags } from './snapshot.js';
import {
  type ChecksumAlgorithmName,
  type JobSettings,
  type MultipartCopier,
  type ObjectSnapshot,
  SINGLE_COPY_LIMIT_BYTES,
  type SourceAlgorithm,
} from './types.js';
import { updateEncryption } from './update.js';

export interface ObjectWorkDeps {
  readonly s3: S3Client;
  readonly state: ContainerState;
  readonly multipart?: MultipartCopier;
  readonly logger: LoggerPort;
  /** Epoch milliseconds; injectable so tests control Object Lock dates. */
  readonly now: () => number;
  /** Time kept in hand at the end of an invocation (a single copy is not started into it). */
  readonly deadlineMarginMs?: number;
}

/**
 * A conservative in-region CopyObject rate. A copy that cannot finish before the Lambda times out is
 * reported by Batch as a function error (a permanent failure), so it is better not started: a redrive
 * gets a fresh invocation.
 */
const SLOW_COPY_BYTES_PER_MS = 25 * 1024;

/** Update refusals that leave the copy route open (Object Lock, key of another account, missing permission). */
const REFUSALS = new Set(['AccessDenied', 'InvalidRequest', 'InvalidArgument']);
function isUpdateRefusal(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== undefined) return REFUSALS.has(code);
  const status = httpStatus(error);
  return status === 400 || status === 403;
}

/** A precondition failure is retried once from a fresh look; the second one is left to a redrive. */
const MAX_LOOKS = 2;
const LOOK_AGAIN = Symbol('look-again');

const CHECKSUM_NAMES = new Set<string>(['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256']);

const HINT_SOURCE: Readonly<Record<string, string>> = {
  'SSE-S3': 'AES256',
  'SSE-KMS': 'aws:kms',
  'DSSE-KMS': 'aws:kms:dsse',
  'SSE-C': 'SSE-C',
  'NOT-SSE': 'NONE',
};

/** One task's work: look, decide, act, and say how it went. Never throws. */
class ObjectWork {
  readonly #started: number;
  #bytes = 0;
  #source = 'unknown';
  #route: Route | undefined;
  #fallback: TaskResult['fallback'];
  #refusal: unknown;

  readonly #deps: ObjectWorkDeps;
  readonly #task: ObjectTask;
  readonly #settings: JobSettings;
  readonly #remainingMs: () => number;

  constructor(deps: ObjectWorkDeps, task: ObjectTask, settings: JobSettings, remainingMs: () => number) {
    this.#deps = deps;
    this.#task = task;
    this.#settings = settings;
    this.#remainingMs = remainingMs;
    this.#started = deps.now();
  }

  facts(): TaskFacts {
    return {
      bytes: this.#bytes,
      source: this.#source,
      ms: this.#deps.now() - this.#started,
      ...(this.#route ? { route: this.#route } : {}),
      ...(this.#fallback ? { fallback: this.#fallback } : {}),
    };
  }

  async run(): Promise<TaskOutcome> {
    try {
      const hinted = this.#task.hints ? await this.#fromHints(this.#task.hints) : undefined;
      if (hinted && hinted !== LOOK_AGAIN) return hinted;
      // A copy from inventory facts that met a changed object counts as the first look.
      for (let looks = hinted === LOOK_AGAIN ? 2 : 1; ; looks++) {
        const snapshot = await lookAt(this.#deps.s3, this.#task);
        this.#bytes = snapshot.size;
        this.#source = snapshot.encryption.algorithm;
        const outcome = await this.#act(snapshot, looks);
        if (outcome !== LOOK_AGAIN) return outcome;
      }
    } catch (error) {
      return failedWith(this.facts(), error);
    }
  }

  /**
   * Inventory facts can settle a task without a HEAD: blocked encryptions, SSE-S3 → update, and with
   * `preflight: inventory` the copy route too.
   */
  async #fromHints(h: TaskHints): Promise<TaskOutcome | typeof LOOK_AGAIN | undefined> {
    this.#bytes = h.size ?? 0;
    this.#source = (h.encryption && HINT_SOURCE[h.encryption]) ?? 'unknown';
    if (h.encryption === 'SSE-C')
      return failed(
        this.facts(),
        { cause: 'sse-c', retryable: false },
        'SSE-C object (inventory)',
        'blocked',
      );
    if (h.encryption === 'DSSE-KMS')
      return failed(
        this.facts(),
        { cause: 'dsse-kms', retryable: false },
        'DSSE-KMS object (inventory)',
        'blocked',
      );
    const wantsBucketKey = this.#settings.target.bucketKey;
    const directUpdate =
      this.#settings.strategy !== 'copy' &&
      this.#deps.state.updateUnavailable === undefined &&
      !h.locked &&
      (h.encryption === 'SSE-S3' ||
        // Under some KMS key with the wrong Bucket Key state: not compliant whatever the key is.
        (h.encryption === 'SSE-KMS' &&
          h.bucketKey !== undefined &&
          (h.bucketKey === 'ENABLED') !== wantsBucketKey));
    if (directUpdate) {
      const settled = await this.#update(this.#task);
      return settled === 'fell-back' ? undefined : settled;
    }
    const seen = await this.#inventorySnapshot(h);
    if (!seen) return undefined;
    try {
      return await this.#copy(seen, 'copy', 1);
    } catch (error) {
      // Archived since the inventory was taken: the HEAD path sees it and says "restore first".
      if (errorCode(error) === 'InvalidObjectState') return LOOK_AGAIN;
      throw error;
    }
  }

  /**
   * The copy-route snapshot the hints vouch for (`Preflights.inventory`), or undefined when a HEAD must
   * look first: anything a copy must send again that the inventory cannot state, or a bucket where ACLs
   * or a website configuration make attributes count that the inventory does not list.
   */
  async #inventorySnapshot(h: TaskHints): Promise<ObjectSnapshot | undefined> {
    const s = this.#settings;
    const checksum = h.checksumAlgorithm;
    const vouched =
      s.preflight === 'inventory' &&
      s.strategy !== 'update' &&
      h.etag !== undefined &&
      h.size !== undefined &&
      h.size <= Math.min(s.multipartThresholdBytes, SINGLE_COPY_LIMIT_BYTES) &&
      h.storageClass !== undefined &&
      !ARCHIVE_CLASSES.has(h.storageClass) &&
      h.archiveTier === undefined &&
      h.isLatest !== false &&
      h.locked === false &&
      checksum !== undefined &&
      (checksum === '' || CHECKSUM_NAMES.has(checksum)) &&
      (h.encryption === 'NOT-SSE' ||
        h.encryption === 'SSE-S3' ||
        // Under some KMS key with the wrong Bucket Key state: not compliant whatever the key is.
        (h.encryption === 'SSE-KMS' &&
          h.bucketKey !== undefined &&
          (h.bucketKey === 'ENABLED') !== s.target.bucketKey));
    if (!vouched) return undefined;
    const { bucket } = this.#task;
    const [acls, website] = await Promise.all([
      this.#deps.state.aclModes.usesAcls(bucket),
      this.#deps.state.websites.get(bucket),
    ]);
    if (acls || website) return undefined;
    return {
      bucket,
      key: this.#task.key,
      ...(this.#task.versionId ? { versionId: this.#task.versionId } : {}),
      isLatest: true,
      etag: `"${h.etag}"`,
      size: h.size,
      encryption: {
        algorithm: HINT_SOURCE[h.encryption] as SourceAlgorithm,
        bucketKeyEnabled: h.bucketKey === 'ENABLED',
      },
      storageClass: h.storageClass,
      metadata: {},
      tags: [],
      ...(checksum ? { checksumAlgorithm: checksum as ChecksumAlgorithmName } : {}),
    };
  }

  async #update(
    ref: Pick<ObjectSnapshot, 'bucket' | 'key' | 'versionId'>,
  ): Promise<TaskOutcome | 'fell-back'> {
    this.#route = 'update';
    try {
      await updateEncryption(this.#deps.s3, ref, this.#settings.target);
      return succeeded(this.facts(), 'update');
    } catch (error) {
      if (isNotImplemented(error)) {
        this.#deps.state.markUpdateUnsupported();
        this.#fallback = 'update-unsupported';
        this.#deps.logger.warn(
          'UpdateObjectEncryption not implemented by the endpoint; using the copy route',
          {
            code: errorCode(error) ?? httpStatus(error),
          },
        );
      } else if (isUpdateRefusal(error)) {
        this.#refusal = error;
        this.#fallback = 'update-refused';
        this.#deps.logger.info('UpdateObjectEncryption refused; trying the copy route', {
          key: ref.key,
          code: errorCode(error) ?? httpStatus(error),
        });
      } else {
        throw error;
      }
      this.#route = undefined;
      return 'fell-back';
    }
  }

  #decide(s: ObjectSnapshot): Decision {
    const updateUnavailable = this.#refusal !== undefined ? 'refused' : this.#deps.state.updateUnavailable;
    return decideRoute(s, {
      settings: this.#settings,
      now: new Date(this.#deps.now()),
      ...(updateUnavailable ? { updateUnavailable } : {}),
    });
  }

  async #act(s: ObjectSnapshot, looks: number): Promise<TaskOutcome | typeof LOOK_AGAIN> {
    for (;;) {
      const d = this.#decide(s);
      switch (d.route) {
        case 'skip':
          return succeeded(this.facts(), 'skip');
        case 'blocked':
          return this.#blocked(d);
        case 'update': {
          const settled = await this.#update(s);
          if (settled !== 'fell-back') return settled;
          continue;
        }
        case 'copy':
        case 'multipart':
          return this.#copy(s, d.route, looks);
      }
    }
  }

  #blocked(d: Extract<Decision, { route: 'blocked' }>): TaskOutcome {
    if (this.#refusal === undefined)
      return failed(this.facts(), { cause: d.cause, retryable: false }, d.reason, 'blocked');
    const refusal = classifyError(this.#refusal);
    const cause =
      d.cause === 'route-not-allowed' || d.cause === 'noncurrent-version' ? refusal.cause : d.cause;
    const reason = `${d.reason} (${errorMessage(this.#refusal)})`;
    return failed(this.facts(), { cause, retryable: false }, reason, 'blocked');
  }

  async #copy(
    seen: ObjectSnapshot,
    route: 'copy' | 'multipart',
    looks: number,
  ): Promise<TaskOutcome | typeof LOOK_AGAIN> {
    this.#route = route;
    const { s3, multipart } = this.#deps;
    if (route === 'multipart' && !multipart)
      return failed(
        this.facts(),
        { cause: 'multipart-required', retryable: false },
        `multipart copy required: ${seen.size} bytes is above the single-copy limit and no multipart copier is configured`,
      );
    if (route === 'copy') {
      const needMs = (this.#deps.deadlineMarginMs ?? 0) + seen.size / SLOW_COPY_BYTES_PER_MS;
      if (this.#remainingMs() < needMs)
        return failed(
          this.facts(),
          { cause: 'deadline', retryable: true },
          `not started: copying ${seen.size} bytes may take longer than the ${Math.round(this.#remainingMs() / 1000)} s left`,
        );
    }
    const s = await this.#withDetails(seen, route);
    let versionId: string | undefined;
    let extra: Partial<TaskResult> = {};
    try {
      if (route === 'copy') {
        versionId = (await copyInPlace(s3, s, this.#settings.target)).versionId;
      } else {
        const out = await multipart!.copy({
          snapshot: s,
          target: this.#settings.target,
          remainingMs: this.#remainingMs,
        });
        if (out.status === 'suspended')
          return failed(
            { ...this.facts() },
            { cause: 'deadline', retryable: true },
            `multipart copy suspended after ${out.partsDone}/${out.partsTotal} parts; a redrive resumes it`,
          );
        versionId = out.versionId;
        extra = { parts: out.parts, invocations: out.invocations };
      }
    } catch (error) {
      if (!isPreconditionFailure(error)) throw error;
      if (looks < MAX_LOOKS) {
        this.#deps.logger.info('object changed while being re-encrypted; looking again', { key: s.key });
        return LOOK_AGAIN;
      }
      return failed(
        this.facts(),
        { cause: 'precondition-failed', retryable: true },
        `the object changed while being re-encrypted (${errorMessage(error)}); a redrive looks again`,
      );
    }
    // A multipart copy carries no ACL (the copier leaves grants to its caller), nor a copy with WRITE grants.
    if (s.grants && s.grants.length > 0 && (route === 'multipart' || grantsLeftAfterCopy(s))) {
      try {
        await applyGrants(s3, s, versionId, s.grants);
      } catch (error) {
        // Not retryable as a task: a redrive would find the object compliant and skip it.
        return failed(
          this.facts(),
          { cause: classifyError(error).cause, retryable: false },
          `re-encrypted, but its ACL grants could not be re-applied: ${errorMessage(error)}`,
        );
      }
    }
    if (this.#settings.deletePriorVersion) {
      const prior = await deletePriorVersion(
        s3,
        s,
        versionId,
        this.#settings.target,
        new Date(this.#deps.now()),
      );
      extra = {
        ...extra,
        ...(prior.deleted ? { deletedPrior: true } : prior.reason ? { reason: prior.reason } : {}),
      };
    }
    return succeeded(this.facts(), route, { ...extra, ...(versionId ? { versionId } : {}) });
  }

  /** Grants where the bucket still uses ACLs; tags too for multipart (CopyObject carries them itself). */
  async #withDetails(s: ObjectSnapshot, route: 'copy' | 'multipart'): Promise<ObjectSnapshot> {
    const { s3, state } = this.#deps;
    const [grants, tags] = await Promise.all([
      state.aclModes.usesAcls(s.bucket).then((uses) => (uses ? readGrants(s3, s) : undefined)),
      route === 'multipart' ? readTags(s3, s) : Promise.resolve(s.tags),
    ]);
    return { ...s, tags, ...(grants ? { grants } : {}) };
  }
}

/** Re-encrypts one object version as the job settings ask; every failure becomes an outcome. */
export const reencryptObject = (
  deps: ObjectWorkDeps,
  task: ObjectTask,
  settings: JobSettings,
  remainingMs: () => number,
): Promise<TaskOutcome> => new ObjectWork(deps, task, settings, remainingMs).run();
