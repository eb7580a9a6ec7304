import { describe, expect, it } from 'vitest';
import { KeyLock } from '../../support/proxy/key-lock.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyLock', () => {
  it('grants one exclusive holder at a time, in arrival order', async () => {
    // Prepare
    const lock = new KeyLock();
    const order: string[] = [];
    const first = await lock.acquire('b/k');
    // Act
    const waiting = ['second', 'third'].map((name) =>
      lock.acquire('b/k').then((release) => ({ name, release })),
    );
    await tick();
    order.push('first done');
    first();
    const second = await waiting[0];
    order.push(second?.name ?? '');
    second?.release();
    const third = await waiting[1];
    order.push(third?.name ?? '');
    third?.release();
    // Assess
    expect(order).toEqual(['first done', 'second', 'third']);
    expect(lock.size).toBe(0);
  });

  it('lets shared holders in together but keeps a writer out until all of them left', async () => {
    // Prepare
    const lock = new KeyLock();
    const r1 = await lock.acquire('b/k', 'shared');
    const r2 = await lock.acquire('b/k', 'shared');
    let written = false;
    const writer = lock.acquire('b/k', 'exclusive').then((release) => {
      written = true;
      return release;
    });
    // Act
    await tick();
    const whileReading = written;
    r1();
    await tick();
    const afterOneReader = written;
    r2();
    (await writer)();
    // Assess
    expect([whileReading, afterOneReader, written]).toEqual([false, false, true]);
  });

  it('queues a reader behind a waiting writer, so writers are not starved', async () => {
    // Prepare
    const lock = new KeyLock();
    const order: string[] = [];
    const reader = await lock.acquire('b/k', 'shared');
    const writer = lock.acquire('b/k', 'exclusive').then((release) => {
      order.push('writer');
      release();
    });
    const lateReader = lock.acquire('b/k', 'shared').then((release) => {
      order.push('late reader');
      release();
    });
    // Act
    await tick();
    reader();
    await Promise.all([writer, lateReader]);
    // Assess
    expect(order).toEqual(['writer', 'late reader']);
  });

  it('keeps different keys independent', async () => {
    // Prepare
    const lock = new KeyLock();
    const a = await lock.acquire('b/a');
    // Act
    const b = await lock.acquire('b/b');
    // Assess
    expect(lock.size).toBe(2);
    a();
    b();
    expect(lock.size).toBe(0);
  });

  it('takes key pairs in a fixed order, so crossed copies do not deadlock', async () => {
    // Prepare
    const lock = new KeyLock();
    // Act: A->B and B->A at once, many times.
    const runs = Array.from({ length: 50 }, (_, i) =>
      lock
        .acquireAll(
          i % 2
            ? [
                { key: 'b/A', mode: 'exclusive' },
                { key: 'b/B', mode: 'shared' },
              ]
            : [
                { key: 'b/B', mode: 'exclusive' },
                { key: 'b/A', mode: 'shared' },
              ],
        )
        .then(async (release) => {
          await tick();
          release();
        }),
    );
    await Promise.all(runs);
    // Assess
    expect(lock.size).toBe(0);
  });

  it('takes a key asked for in both modes exclusively, and releases idempotently', async () => {
    // Prepare
    const lock = new KeyLock();
    const release = await lock.acquireAll([
      { key: 'b/k', mode: 'shared' },
      { key: 'b/k', mode: 'exclusive' },
    ]);
    let readerIn = false;
    const reader = lock.acquire('b/k', 'shared').then((r) => {
      readerIn = true;
      r();
    });
    // Act
    await tick();
    const blocked = !readerIn;
    release();
    release();
    await reader;
    // Assess
    expect(blocked).toBe(true);
    expect(lock.size).toBe(0);
  });
});
