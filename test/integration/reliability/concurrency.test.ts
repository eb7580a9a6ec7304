/**
 * Concurrency control: the local engine's pool and the handler's per-invocation task limit bound how many
 * objects are worked on at once (and so the S3 and KMS request rates). Measured with the real handler
 * through the proxy to moto. A saturation gate makes the check exact both ways: the first `limit` arrivals
 * wait until `limit` are in flight at once, so a pool smaller than configured never opens the gate (the test
 * times out) and a larger one is seen as a maximum above the limit.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BatchHandler } from '../../../src/batch/types.js';
import { LocalBatchEngine } from '../../../src/jobs/local-engine.js';
import { makeReencryptHandler } from '../../../src/reencrypt/handler.js';
import { SINGLE_COPY_LIMIT_BYTES } from '../../../src/reencrypt/types.js';
import { motoClients, newBucket, newKmsKey } from '../../support/aws.js';
import { type S3Proxy, startS3Proxy } from '../../support/s3-proxy.js';
import { eventV2, lambdaContext } from '../../unit/reencrypt/support/events.js';
import { putCsvManifest, runReencryptJob, seedingClient, seedObjects } from './rig.js';

const direct = motoClients();
let proxy: S3Proxy;
let target: string;

beforeAll(async () => {
  [proxy, target] = await Promise.all([
    startS3Proxy({ target: inject('motoEndpoint') }),
    newKmsKey(direct.kms, 'reliability concurrency'),
  ]);
});
afterAll(async () => {
  await proxy.stop();
});

/** Counts what is in flight; the first `limit` arrivals are held until `limit` are in flight together. */
function saturationGate(limit: number) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const state = { now: 0, max: 0, isOpen: false };
  return {
    state,
    async enter(): Promise<void> {
      state.now++;
      state.max = Math.max(state.max, state.now);
      if (state.isOpen) return;
      if (state.now >= limit) {
        state.isOpen = true;
        open();
        return;
      }
      await opened;
    },
    leave(): void {
      state.now--;
    },
  };
}

const handlerOptions = (taskConcurrency: number) =>
  ({
    target: { keyArn: target, bucketKey: true },
    bucketKey: true,
    strategy: 'auto',
    multipartThresholdBytes: SINGLE_COPY_LIMIT_BYTES,
    deletePriorVersion: false,
    updateRoute: 'disabled',
    taskConcurrency,
  }) as const;

async function objects(n: number) {
  const bucket = await newBucket(direct.s3, {
    prefix: 'conc',
    extra: { ObjectOwnership: 'BucketOwnerEnforced' },
  });
  const keys = Array.from({ length: n }, (_, i) => `c/${i}`);
  await seedObjects(seedingClient(), bucket, keys);
  return { bucket, keys };
}

/** A client on the proxy whose CopyObject and HeadObject requests pass through `gate`. */
function gatedClient(gate: ReturnType<typeof saturationGate>) {
  const s3 = motoClients(proxy.endpoint).s3;
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      const counted =
        context.commandName === 'CopyObjectCommand' || context.commandName === 'HeadObjectCommand';
      if (!counted) return next(args);
      await gate.enter();
      try {
        return await next(args);
      } finally {
        gate.leave();
      }
    },
    { step: 'initialize', name: 'saturationGate' },
  );
  return s3;
}

describe('concurrency control', () => {
  it.each([1, 4, 16])(
    'the local engine with concurrency %i never runs more tasks at once, and fills its pool',
    async (concurrency) => {
      // Prepare: three times as many objects as the pool, the real handler behind the gate
      const { bucket, keys } = await objects(concurrency * 3);
      const manifests = await newBucket(direct.s3, { prefix: 'manifests' });
      const manifest = await putCsvManifest(
        direct.s3,
        manifests,
        keys.map((key) => ({ bucket, key })),
      );
      // A limit of 1 opens at the first request: this one only counts.
      const requests = saturationGate(1);
      const real = makeReencryptHandler({ s3: gatedClient(requests) }, handlerOptions(1));
      const tasks = saturationGate(concurrency);
      const handler: BatchHandler = async (event, context) => {
        await tasks.enter();
        try {
          return await real(event, context);
        } finally {
          tasks.leave();
        }
      };
      const engine = new LocalBatchEngine({ s3: direct.s3, handler, concurrency });

      // Act
      const job = await runReencryptJob(engine, { manifest, reportsBucket: manifests, targetKeyArn: target });

      // Assess: exactly the configured number at the peak, for invocations and for object requests
      expect(job).toMatchObject({ status: 'Complete', progress: { succeeded: keys.length, failed: 0 } });
      expect(tasks.state.max).toBe(concurrency);
      expect(requests.state.max).toBeLessThanOrEqual(concurrency);
    },
    60_000,
  );

  it.each([1, 3])(
    'one invocation of many tasks works on at most taskConcurrency=%i objects at once',
    async (taskConcurrency) => {
      // Prepare: one Batch-style invocation carrying 12 tasks (the local engine and tests can send several)
      const { bucket, keys } = await objects(12);
      const requests = saturationGate(taskConcurrency);
      const handler = makeReencryptHandler({ s3: gatedClient(requests) }, handlerOptions(taskConcurrency));
      // Act
      const response = await handler(
        eventV2(
          keys.map((key) => ({ bucket, key })),
          { targetKeyArn: target },
        ),
        lambdaContext(),
      );
      // Assess
      expect(response.results.map((r) => r.resultCode)).toEqual(keys.map(() => 'Succeeded'));
      expect(requests.state.max).toBe(taskConcurrency);
    },
    60_000,
  );
});
