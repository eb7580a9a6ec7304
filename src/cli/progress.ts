import { SingleBar } from 'cli-progress';
import type { OutputStream } from './io.js';

/**
 * Progress for any command that walks objects: counts, rate, ETA and failures so far. Drawn on stderr
 * only when stderr is a terminal, so stdout stays clean for --json and pipes; otherwise every call is
 * a no-op.
 */
export interface Progress {
  /** Adds to the expected total (listings discover it page by page). */
  addTotal(count: number): void;
  /** Replaces the expected total (an estimate that gets better as the walk goes on). */
  setTotal(count: number): void;
  /** The total is final (listing finished): the ETA becomes meaningful. */
  totalKnown(): void;
  /** One item done; `failed` counts it in the failures column too. */
  tick(outcome?: { failed?: boolean }): void;
  stop(): void;
}

export interface ProgressOptions {
  readonly label: string;
  /** Word for the failures column (`failed`, `not compliant`). */
  readonly failureLabel?: string;
  readonly now?: () => number;
}

const noop: Progress = { addTotal() {}, setTotal() {}, totalKnown() {}, tick() {}, stop() {} };

export function createProgress(stream: OutputStream, options: ProgressOptions): Progress {
  if (!stream.isTTY) return noop;
  const now = options.now ?? Date.now;
  const started = now();
  let total = 0;
  let done = 0;
  let failures = 0;
  let final = false;
  const bar = new SingleBar({
    stream: stream as NodeJS.WritableStream,
    format: `${options.label} [{bar}] {value}/{totalText} | {rate}/s | ETA {etaText} | ${options.failureLabel ?? 'failed'} {failures}`,
    barsize: 24,
    hideCursor: true,
    clearOnComplete: false,
    fps: 5,
  });
  const payload = () => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const rate = done / seconds;
    const eta = final && rate > 0 ? (total - done) / rate : undefined;
    return {
      totalText: final ? String(total) : `${total}+`,
      rate: rate >= 100 ? Math.round(rate).toString() : rate.toFixed(1),
      etaText: eta === undefined ? '?' : formatSeconds(eta),
      failures,
    };
  };
  // A total of 1 until the first addTotal: cli-progress draws 0/0 as a full bar.
  bar.start(1, 0, payload());
  return {
    addTotal(count) {
      total += count;
      bar.setTotal(Math.max(total, 1));
      bar.update(done, payload());
    },
    setTotal(count) {
      total = Math.max(count, done);
      bar.setTotal(Math.max(total, 1));
      bar.update(done, payload());
    },
    totalKnown() {
      final = true;
      bar.update(done, payload());
    },
    tick(outcome) {
      done += 1;
      if (outcome?.failed) failures += 1;
      bar.update(done, payload());
    },
    stop() {
      bar.update(done, payload());
      bar.stop();
    },
  };
}

export function formatSeconds(s: number): string {
  const t = Math.round(s);
  if (t < 60) return `${t}s`;
  if (t < 3600) return `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s`;
  return `${Math.floor(t / 3600)}h${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}m`;
}
