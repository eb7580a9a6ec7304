import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CopySource,
  destinationVerdict,
  failedSourceCondition,
  hasConditions,
  parseCopySource,
  readDestinationConditions,
  readSourceConditions,
} from './conditions.js';
import { type FaultInjector, type FaultKind, NO_FAULT } from './faults.js';
import type { KeyLock, LockRequest } from './key-lock.js';
import { type ClassifiedRequest, classifyRequest, type ProxyOperation } from './operations.js';
import {
  type ErrorAnswer,
  faultAnswer,
  type KmsThrottlingOnS3,
  noSuchKey,
  preconditionFailed,
  requestId,
  sendError,
  sendS3Error,
} from './responses.js';
import type { StatsRecorder } from './stats.js';
import { type UpdateObjectEncryptionMode, updateObjectEncryption } from './update-encryption.js';
import { Upstream } from './upstream.js';

/** The proxy's switchable behaviour, read afresh for every request. */
export interface ProxyState {
  readonly faults?: FaultInjector;
  readonly updateObjectEncryption: UpdateObjectEncryptionMode;
  readonly kmsThrottlingOnS3: KmsThrottlingOnS3;
  readonly enforceConditions: boolean;
}

// Writes that replace what a key holds; each takes the key's lock exclusively.
const KEY_WRITES: ReadonlySet<ProxyOperation> = new Set([
  'PutObject',
  'CopyObject',
  'CompleteMultipartUpload',
  'DeleteObject',
]);

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function lockRequests(r: ClassifiedRequest, source: CopySource | undefined): LockRequest[] {
  const locks: LockRequest[] = [];
  if (KEY_WRITES.has(r.operation) && r.key !== undefined)
    locks.push({ key: `${r.bucket}/${r.key}`, mode: 'exclusive' });
  if (source) locks.push({ key: `${source.bucket}/${source.key}`, mode: 'shared' });
  return locks;
}

function drain(res: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    res.on('end', resolve);
    res.on('error', () => resolve());
    res.resume();
  });
}

export class ProxyHandler {
  readonly #upstream: Upstream;
  readonly #lock: KeyLock;
  readonly #stats: StatsRecorder;
  readonly #state: () => ProxyState;

  constructor(upstream: Upstream, lock: KeyLock, stats: StatsRecorder, state: () => ProxyState) {
    this.#upstream = upstream;
    this.#lock = lock;
    this.#stats = stats;
    this.#state = state;
  }

  async handle(req: IncomingMessage, res: ServerResponse, expectContinue: boolean): Promise<void> {
    const r = classifyRequest({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    const seq = this.#stats.request(r);
    const state = this.#state();
    const decision = state.faults?.decide(r) ?? NO_FAULT;
    this.#stats.faults(r, decision.fired);
    this.#logWhenDone(seq, r, res, decision.fired);

    if (decision.delayBeforeMs > 0) await sleep(decision.delayBeforeMs);
    const terminal = decision.terminal;
    if (terminal?.when === 'before') {
      this.#inject(terminal.kind, res, r, state);
      return;
    }
    if (r.operation === 'UpdateObjectEncryption') {
      const ctx = { upstream: this.#upstream, lock: this.#lock, stats: this.#stats };
      const continueTo = expectContinue ? res : undefined;
      const answer = await updateObjectEncryption(ctx, state.updateObjectEncryption, req, r, continueTo);
      if (decision.delayAfterMs > 0) await sleep(decision.delayAfterMs);
      if (terminal?.when === 'after') this.#inject(terminal.kind, res, r, state);
      else if (answer.ok)
        res.writeHead(200, { 'x-amz-request-id': requestId(), 'content-length': '0' }).end();
      else sendS3Error(res, r.method, answer.error);
      return;
    }

    const copySourceHeader = header(req, 'x-amz-copy-source');
    const source =
      (r.operation === 'CopyObject' || r.operation === 'UploadPartCopy') && copySourceHeader
        ? parseCopySource(copySourceHeader)
        : undefined;
    const release = await this.#lock.acquireAll(lockRequests(r, source));
    let upstreamRes: IncomingMessage;
    try {
      const refusal = state.enforceConditions ? await this.#checkConditions(req, r, source) : undefined;
      if (refusal) {
        sendS3Error(res, r.method, refusal);
        return;
      }
      upstreamRes = await this.#upstream.forward(req, expectContinue ? res : undefined);
    } finally {
      // moto answers only once the write is applied, so the response head ends the critical section.
      release();
    }

    if (terminal?.when === 'after') {
      // The write is applied at moto; the client never learns it (an acknowledgement lost on the way back).
      await drain(upstreamRes);
      if (decision.delayAfterMs > 0) await sleep(decision.delayAfterMs);
      this.#inject(terminal.kind, res, r, state);
      return;
    }
    if (decision.delayAfterMs > 0) await sleep(decision.delayAfterMs);
    Upstream.relay(upstreamRes, res);
  }

  /**
   * The proxy supplies S3's behaviour here: moto ignores CopyObject's `x-amz-copy-source-if-*` (except
   * if-none-match) and destination `If-Match`/`If-None-Match`, UploadPartCopy's source conditions and
   * CompleteMultipartUpload's `If-Match` (testing.md; moto 5.2.5 `s3/responses.py`). Called with the key's
   * lock held, so the ETag read here is still current when moto applies the write.
   */
  async #checkConditions(
    req: IncomingMessage,
    r: ClassifiedRequest,
    source: CopySource | undefined,
  ): Promise<ErrorAnswer | undefined> {
    const checkSource = source !== undefined;
    const sourceConditions = checkSource ? readSourceConditions(req.headers) : {};
    const checkDest = r.operation === 'CopyObject' || r.operation === 'CompleteMultipartUpload';
    const destConditions = checkDest ? readDestinationConditions(req.headers) : {};
    if (!hasConditions(sourceConditions) && !hasConditions(destConditions)) return undefined;

    const refuse = (answer: ErrorAnswer, condition: string): ErrorAnswer => {
      this.#stats.conditionChecked(r, condition);
      return answer;
    };
    if (source && hasConditions(sourceConditions)) {
      const facts = await this.#upstream.head(source.rawPath, req.headers, source.versionId);
      // A missing source or an unexpected answer is left to moto, which gives S3's own error for it.
      if (typeof facts === 'object') {
        const failed = failedSourceCondition(sourceConditions, facts);
        if (failed) return refuse(preconditionFailed(failed), failed);
      }
    }
    if (hasConditions(destConditions)) {
      const facts = await this.#upstream.head(r.rawPath, req.headers);
      if (facts !== 'unknown') {
        const verdict = destinationVerdict(destConditions, facts);
        if (!verdict.ok) {
          if (!verdict.missing) return refuse(preconditionFailed(verdict.failed), verdict.failed);
          // If-Match on a missing key: NoSuchKey, unless the bucket itself is missing (moto says NoSuchBucket).
          const bucket = await this.#upstream.call(
            'HEAD',
            `/${r.rawPath.slice(1).split('/', 1)[0]}`,
            req.headers,
          );
          if (bucket.status === 200) return refuse(noSuchKey(r.key ?? ''), verdict.failed);
        }
      }
    }
    this.#stats.conditionChecked(r);
    return undefined;
  }

  #inject(
    kind: Exclude<FaultKind, 'delay'>,
    res: ServerResponse,
    r: ClassifiedRequest,
    state: ProxyState,
  ): void {
    if (kind === 'connectionReset') {
      res.socket?.destroy();
      return;
    }
    sendError(res, r.service, r.method, faultAnswer(kind, r.service, state.kmsThrottlingOnS3));
  }

  #logWhenDone(seq: number, r: ClassifiedRequest, res: ServerResponse, faults: readonly FaultKind[]): void {
    res.once('close', () => {
      this.#stats.finished({
        seq,
        operation: r.operation,
        ...(r.bucket !== undefined ? { bucket: r.bucket } : {}),
        ...(r.key !== undefined ? { key: r.key } : {}),
        status: res.writableFinished ? res.statusCode : 'reset',
        faults,
      });
    });
  }
}
