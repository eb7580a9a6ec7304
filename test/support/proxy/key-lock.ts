/**
 * A FIFO read/write lock per object key (`bucket/key`, decoded), created on demand and dropped when idle.
 *
 * The proxy holds a key exclusively around "check the ETag, then write" so check and write are atomic with
 * respect to every other write to that key going through the proxy, as they are inside S3. Reads that must
 * not see a write half-way (the source of a conditional copy) share the lock, so parallel UploadPartCopy
 * requests of one multipart copy do not serialise each other.
 */
export type LockMode = 'shared' | 'exclusive';

export interface LockRequest {
  readonly key: string;
  readonly mode: LockMode;
}

interface Waiter {
  readonly mode: LockMode;
  readonly grant: () => void;
}

interface KeyState {
  readers: number;
  writer: boolean;
  readonly queue: Waiter[];
}

export class KeyLock {
  readonly #keys = new Map<string, KeyState>();

  /** Waits for the lock in arrival order; resolves to an idempotent release function. */
  async acquire(key: string, mode: LockMode = 'exclusive'): Promise<() => void> {
    let state = this.#keys.get(key);
    if (!state) {
      state = { readers: 0, writer: false, queue: [] };
      this.#keys.set(key, state);
    }
    const s = state;
    await new Promise<void>((grant) => {
      s.queue.push({ mode, grant });
      this.#pump(key, s);
    });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (mode === 'exclusive') s.writer = false;
      else s.readers--;
      this.#pump(key, s);
    };
  }

  /**
   * Takes several keys at once, always in sorted key order, so two requests locking the same pair (a copy
   * from A to B and one from B to A) cannot deadlock. A key asked for in both modes is taken exclusively.
   */
  async acquireAll(requests: readonly LockRequest[]): Promise<() => void> {
    const wanted = new Map<string, LockMode>();
    for (const { key, mode } of requests) {
      if (wanted.get(key) !== 'exclusive') wanted.set(key, mode);
    }
    const releases: Array<() => void> = [];
    for (const key of [...wanted.keys()].sort()) releases.push(await this.acquire(key, wanted.get(key)));
    return () => {
      for (let i = releases.length - 1; i >= 0; i--) releases[i]?.();
    };
  }

  /** Keys currently held or waited for (diagnostics). */
  get size(): number {
    return this.#keys.size;
  }

  #pump(key: string, s: KeyState): void {
    for (;;) {
      const next = s.queue[0];
      if (!next) break;
      if (next.mode === 'exclusive') {
        if (s.writer || s.readers > 0) break;
        s.writer = true;
      } else {
        // FIFO: a reader behind a waiting writer waits too, so writers are never starved.
        if (s.writer) break;
        s.readers++;
      }
      s.queue.shift();
      next.grant();
    }
    if (!s.writer && s.readers === 0 && s.queue.length === 0) this.#keys.delete(key);
  }
}
