import { classifyError, isPreconditionFailure } from './classify.js';
import type { PartRange } from './part-plan.js';
import type { DonePart } from './upload-request.js';

export interface RetryPolicy {
  /** Tries per part, the first included (the SDK retries each request underneath as well). */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_PART_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5_000 };

export interface PartPoolOptions {
  readonly parts: readonly PartRange[];
  /**
   * Parts in flight at once. Each in-flight part is one pending request and no bytes (the copy
   * happens inside S3), so memory stays flat whatever the part size.
   */
  readonly concurrency: number;
  /** Checked before each launch and each retry: true once the invocation must wind down. */
  readonly shouldStop: () => boolean;
  /** Aborts requests in flight (the hard deadline); their parts count as not done. */
  readonly signal: AbortSignal;
  readonly copyPart: (part: PartRange, signal: AbortSignal) => Promise<DonePart>;
  readonly onDone?: (part: DonePart) => void;
  readonly retry?: RetryPolicy;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface PartPoolResult {
  readonly done: readonly DonePart[];
  /** Parts left for a later invocation because the deadline came first. */
  readonly remaining: number;
  /** The first part failure that exhausted its retries (or was not worth retrying). */
  readonly failure?: unknown;
}

const abortableSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Settles when the signal fires even if the request ignores it, so the hard deadline holds; the
 * abandoned request's own outcome is dropped (S3 may still finish the part; ListParts will say).
 */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** Exponential back-off with full jitter, so parallel parts throttled together do not retry in step. */
export const backoffMs = (attempt: number, p: RetryPolicy, random: () => number = Math.random): number =>
  Math.floor(random() * Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** attempt));

/**
 * Copies parts with a fixed number of workers pulling from one queue. A failed part is retried on
 * its own; a part that fails for good stops new launches, and the pool returns only after every
 * worker has settled, so the caller never aborts an upload under a part still being written.
 */
export async function runPartPool(o: PartPoolOptions): Promise<PartPoolResult> {
  const retry = o.retry ?? DEFAULT_PART_RETRY;
  const sleep = o.sleep ?? abortableSleep;
  const queue = o.parts[Symbol.iterator]();
  const done: DonePart[] = [];
  let failure: { error: unknown } | undefined;
  const halted = () => failure !== undefined || o.signal.aborted || o.shouldStop();

  async function copyWithRetry(part: PartRange): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await raceAbort(o.copyPart(part, o.signal), o.signal);
        done.push(result);
        o.onDone?.(result);
        return;
      } catch (error) {
        if (o.signal.aborted) return;
        // A changed source is not a glitch: retrying would copy the new object's bytes.
        const retryable = classifyError(error).transient && !isPreconditionFailure(error);
        if (!retryable || attempt + 1 >= retry.attempts) {
          failure ??= { error };
          return;
        }
        await sleep(backoffMs(attempt, retry), o.signal);
        if (halted()) return;
      }
    }
  }

  async function worker(): Promise<void> {
    while (!halted()) {
      const next = queue.next();
      if (next.done) return;
      await copyWithRetry(next.value);
    }
  }

  const workers = Array.from({ length: Math.max(1, Math.min(o.concurrency, o.parts.length)) }, worker);
  await Promise.allSettled(workers);
  const remaining = o.parts.length - done.length;
  return failure ? { done, remaining, failure: failure.error } : { done, remaining };
}
