import { describe, expect, it } from 'vitest';
import { planParts } from '../../../src/reencrypt/multipart/part-plan.js';
import { backoffMs, runPartPool } from '../../../src/reencrypt/multipart/part-pool.js';
import type { DonePart } from '../../../src/reencrypt/multipart/upload-request.js';

const MiB = 1024 ** 2;
const tenParts = planParts(50 * MiB, 5 * MiB).parts;
const noWait = async () => {};
const s3Error = (name: string, status: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
const ok = (n: number): DonePart => ({ partNumber: n, etag: `"e${n}"` });
const tick = () => new Promise((r) => setTimeout(r, 1));

describe('runPartPool', () => {
  it('copies every part with no more than `concurrency` in flight', async () => {
    // Prepare
    let inFlight = 0;
    let peak = 0;
    // Act
    const result = await runPartPool({
      parts: tenParts,
      concurrency: 3,
      shouldStop: () => false,
      signal: new AbortController().signal,
      copyPart: async (p) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await tick();
        inFlight--;
        return ok(p.partNumber);
      },
    });
    // Assess
    expect(result.failure).toBeUndefined();
    expect(result.remaining).toBe(0);
    expect(result.done.map((d) => d.partNumber).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    expect(peak).toBe(3);
  });

  it('retries a throttled part on its own and leaves the others alone', async () => {
    // Prepare
    const calls = new Map<number, number>();
    // Act
    const result = await runPartPool({
      parts: tenParts,
      concurrency: 4,
      shouldStop: () => false,
      signal: new AbortController().signal,
      sleep: noWait,
      copyPart: async (p) => {
        calls.set(p.partNumber, (calls.get(p.partNumber) ?? 0) + 1);
        if (p.partNumber === 4 && (calls.get(4) ?? 0) < 3) throw s3Error('SlowDown', 503);
        return ok(p.partNumber);
      },
    });
    // Assess
    expect(result.failure).toBeUndefined();
    expect(result.done).toHaveLength(10);
    expect(calls.get(4)).toBe(3);
    expect([...calls.entries()].filter(([n]) => n !== 4).every(([, c]) => c === 1)).toBe(true);
  });

  it('gives up on a part after its attempts and launches nothing more', async () => {
    // Prepare
    const error = s3Error('InternalError', 500);
    let attempts = 0;
    const launched = new Set<number>();
    // Act
    const result = await runPartPool({
      parts: tenParts,
      concurrency: 1,
      shouldStop: () => false,
      signal: new AbortController().signal,
      sleep: noWait,
      retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
      copyPart: async (p) => {
        launched.add(p.partNumber);
        if (p.partNumber === 2) {
          attempts++;
          throw error;
        }
        return ok(p.partNumber);
      },
    });
    // Assess
    expect(result.failure).toBe(error);
    expect(attempts).toBe(3);
    expect([...launched]).toEqual([1, 2]);
    expect(result.remaining).toBe(9);
  });

  it.each([
    { name: 'a failed source condition (412)', error: s3Error('PreconditionFailed', 412) },
    { name: 'access denied', error: s3Error('AccessDenied', 403) },
  ])('does not retry $name', async ({ error }) => {
    // Prepare
    let attempts = 0;
    // Act
    const result = await runPartPool({
      parts: tenParts.slice(0, 1),
      concurrency: 1,
      shouldStop: () => false,
      signal: new AbortController().signal,
      sleep: noWait,
      copyPart: async () => {
        attempts++;
        throw error;
      },
    });
    // Assess
    expect(result.failure).toBe(error);
    expect(attempts).toBe(1);
  });

  it('waits for parts in flight before reporting a failure', async () => {
    // Prepare
    const settled: number[] = [];
    // Act
    const result = await runPartPool({
      parts: tenParts.slice(0, 3),
      concurrency: 3,
      shouldStop: () => false,
      signal: new AbortController().signal,
      copyPart: async (p) => {
        if (p.partNumber === 1) throw s3Error('AccessDenied', 403);
        await new Promise((r) => setTimeout(r, 20));
        settled.push(p.partNumber);
        return ok(p.partNumber);
      },
    });
    // Assess
    expect(result.failure).toBeDefined();
    expect(settled.sort()).toEqual([2, 3]);
    expect(result.done).toHaveLength(2);
  });

  it('stops launching when told to and counts what is left', async () => {
    // Prepare
    let launched = 0;
    // Act
    const result = await runPartPool({
      parts: tenParts,
      concurrency: 2,
      shouldStop: () => launched >= 4,
      signal: new AbortController().signal,
      copyPart: async (p) => {
        launched++;
        await tick();
        return ok(p.partNumber);
      },
    });
    // Assess
    expect(result.failure).toBeUndefined();
    expect(result.done).toHaveLength(4);
    expect(result.remaining).toBe(6);
  });

  it('abandons parts in flight at the hard deadline without calling it a failure', async () => {
    // Prepare
    const hardStop = new AbortController();
    // Act
    const result = await runPartPool({
      parts: tenParts.slice(0, 2),
      concurrency: 2,
      shouldStop: () => false,
      signal: hardStop.signal,
      copyPart: (p, signal) => {
        if (p.partNumber === 1) return Promise.resolve(ok(1));
        return new Promise((_, reject) => {
          signal.addEventListener('abort', () =>
            reject(Object.assign(new Error('aborted'), { name: 'AbortError' })),
          );
          setTimeout(() => hardStop.abort(), 5);
        });
      },
    });
    // Assess
    expect(result.failure).toBeUndefined();
    expect(result.done.map((d) => d.partNumber)).toEqual([1]);
    expect(result.remaining).toBe(1);
  });
});

describe('backoffMs', () => {
  it.each([
    { attempt: 0, random: 0.999, expected: 199 },
    { attempt: 3, random: 0.5, expected: 800 },
    { attempt: 10, random: 0.999, expected: 4995 },
    { attempt: 2, random: 0, expected: 0 },
  ])('grows with attempt $attempt up to the cap', ({ attempt, random, expected }) => {
    expect(backoffMs(attempt, { attempts: 4, baseDelayMs: 200, maxDelayMs: 5_000 }, () => random)).toBe(
      expected,
    );
  });
});
