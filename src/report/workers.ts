import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ReportResultFile } from './manifest.js';
import type { SummariserOptions, SummariserState } from './summariser.js';
import { type FromWorker, rebuildError, type ToWorker } from './worker-protocol.js';

/** Worker threads for summarising result files in parallel (the CPU-bound part of reading a report). */
export interface SummariserWorkers {
  /** The bundled `summarise-worker.js`. */
  readonly script: URL;
  /** Threads at most (no more than the report has result files). */
  readonly count: number;
}

/**
 * Workers from a bundle's own `summarise-worker.js`, or undefined (summarise in this thread) when fewer
 * than two are asked for or the script is not there: code run from TypeScript sources has no bundle.
 */
export function bundledWorkers(script: URL, count: number): SummariserWorkers | undefined {
  if (count < 2 || !existsSync(fileURLToPath(script))) return undefined;
  return { script, count };
}

export interface FileResult {
  readonly key: string;
  readonly rows: number;
  readonly retry: boolean;
  readonly state: SummariserState;
}

/** Byte chunks sent to a worker and not yet read by it: bounds the memory a slow worker can hold. */
const MAX_CHUNKS_IN_FLIGHT = 8;

/** One worker thread; files go to it one at a time. */
class SummariseThread {
  readonly #worker: Worker;
  #onMessage: ((m: FromWorker) => void) | undefined;
  #failure: Error | undefined;
  #onFailure: ((e: Error) => void) | undefined;

  constructor(script: URL) {
    this.#worker = new Worker(script);
    this.#worker.on('message', (m: FromWorker) => this.#onMessage?.(m));
    const fail = (e: Error) => {
      this.#failure ??= e;
      this.#onFailure?.(e);
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new Error(`summarise worker exited with code ${code}`)));
  }

  async summarise(
    stream: AsyncIterable<Uint8Array>,
    file: ReportResultFile,
    key: string,
    options: SummariserOptions,
  ): Promise<FileResult> {
    if (this.#failure) throw this.#failure;
    let inFlight = 0;
    let wake: (() => void) | undefined;
    let settled: { ok: FileResult } | { error: Error } | undefined;
    const finished = new Promise<FileResult>((resolve, reject) => {
      const settle = (s: { ok: FileResult } | { error: Error }) => {
        settled ??= s;
        wake?.();
        if ('ok' in s) resolve(s.ok);
        else reject(s.error);
      };
      this.#onFailure = (e) => settle({ error: e });
      this.#onMessage = (m) => {
        if (m.type === 'ack') {
          inFlight--;
          wake?.();
        } else if (m.type === 'done') settle({ ok: { key, rows: m.rows, retry: m.retry, state: m.state } });
        else settle({ error: rebuildError(m.error) });
      };
    });
    finished.catch(() => {});
    const send = (m: ToWorker, transfer: ArrayBuffer[] = []) => this.#worker.postMessage(m, transfer);
    send({ type: 'file', file: { bucket: file.bucket, md5: file.md5 }, key, options });
    for await (const chunk of stream) {
      if (settled) break;
      // A copy the worker can own: stream chunks may share a pooled buffer.
      const bytes = new Uint8Array(chunk);
      send({ type: 'chunk', bytes }, [bytes.buffer]);
      inFlight++;
      while (inFlight >= MAX_CHUNKS_IN_FLIGHT && !settled) await new Promise<void>((r) => (wake = r));
    }
    if (!settled) send({ type: 'end' });
    return finished;
  }

  stop(): Promise<number> {
    // A file still being sent to this thread ends its loop (its stream is closed) instead of waiting.
    this.#onFailure?.(new Error('summarise worker stopped'));
    this.#worker.removeAllListeners('exit');
    this.#worker.on('exit', () => {});
    return this.#worker.terminate();
  }
}

/**
 * Summarises `files` in worker threads, the reading (and MD5 check) of each file on this thread and its
 * parsing and counting on a worker, several files at once. Results come back in the order of `files`;
 * the first failure stops everything and is thrown as the error the worker raised.
 */
export async function summariseFilesInWorkers(
  files: readonly ReportResultFile[],
  open: (file: ReportResultFile) => Promise<{ stream: AsyncIterable<Uint8Array>; key: string }>,
  options: SummariserOptions,
  workers: SummariserWorkers,
): Promise<FileResult[]> {
  const threads = Array.from(
    { length: Math.min(workers.count, files.length) },
    () => new SummariseThread(workers.script),
  );
  const results: FileResult[] = new Array(files.length);
  let next = 0;
  let failed = false;
  try {
    await Promise.all(
      threads.map(async (thread) => {
        while (!failed && next < files.length) {
          const i = next++;
          const file = files[i]!;
          try {
            const { stream, key } = await open(file);
            results[i] = await thread.summarise(stream, file, key, options);
          } catch (e) {
            failed = true;
            throw e;
          }
        }
      }),
    );
  } finally {
    await Promise.all(threads.map((t) => t.stop()));
  }
  return results;
}
