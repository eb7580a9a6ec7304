/**
 * A fault-injecting, condition-enforcing HTTP proxy in front of moto server, for integration tests,
 * reliability tests and benchmarks. Point any SDK client at `proxy.endpoint` instead of moto's: the code under
 * test keeps its own path, only the endpoint changes. Full guide: `test/support/proxy/README.md`.
 *
 * @example
 * const proxy = await startS3Proxy({ target: inject('motoEndpoint') });
 * const { s3 } = motoClients(proxy.endpoint);
 * proxy.setFaults({ seed: 7, rules: [{ kind: 'slowDown', rate: 0.1, operations: ['CopyObject'] }] });
 * // ... run the code under test ...
 * expect(proxy.counts().byOperation.CopyObject).toBe(2_000 + proxy.faultCounts().byKind.slowDown);
 * await proxy.stop();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultInjector, type FaultPlan, type FaultRule } from './proxy/faults.js';
import { ProxyHandler, type ProxyState } from './proxy/handler.js';
import { KeyLock } from './proxy/key-lock.js';
import { type KmsThrottlingOnS3, sendS3Error } from './proxy/responses.js';
import {
  type FaultCounts,
  type ProxyStats,
  type RequestCounts,
  type RequestLogEntry,
  StatsRecorder,
} from './proxy/stats.js';
import type { UpdateObjectEncryptionMode } from './proxy/update-encryption.js';
import { Upstream } from './proxy/upstream.js';

export interface S3ProxyOptions {
  /** moto's endpoint, e.g. `inject('motoEndpoint')`. */
  readonly target: string;
  /** Port on 127.0.0.1; default: a free one. */
  readonly port?: number;
  /** Faults active from the first request; default none. */
  readonly faults?: FaultPlan | readonly FaultRule[];
  /** Default `'notImplemented'` (501). See `UpdateObjectEncryptionMode`. */
  readonly updateObjectEncryption?: UpdateObjectEncryptionMode;
  /** How `kmsThrottling` faults look on S3 requests; default `'slowDown'` (503). */
  readonly kmsThrottlingOnS3?: KmsThrottlingOnS3;
  /** Enforce the preconditions moto ignores (default true); false makes the proxy as lax as moto. */
  readonly enforceConditions?: boolean;
  /** Finished requests kept by `log()`; default 10,000 (0 disables the log). */
  readonly logLimit?: number;
  /** Called when the proxy itself fails on a request (moto unreachable, a proxy bug); default: ignored. */
  readonly onError?: (error: unknown, request: IncomingMessage) => void;
}

export interface S3Proxy {
  /** `http://127.0.0.1:<port>`: give it to clients as their S3 and KMS endpoint. */
  readonly endpoint: string;
  /** Client requests received since start or the last reset, by service and operation. */
  counts(): RequestCounts;
  /** Faults injected since start or the last reset, by kind and operation. */
  faultCounts(): FaultCounts;
  /** Everything counted: requests, faults, preconditions, UpdateObjectEncryption outcomes, internal requests. */
  stats(): ProxyStats;
  /** The most recent finished requests with the status the client got (bounded by `logLimit`). */
  log(): readonly RequestLogEntry[];
  /** Replaces the fault plan (a list of rules means seed 1); throws `FaultPlanError` on a bad rule. */
  setFaults(plan: FaultPlan | readonly FaultRule[]): void;
  /** No more faults. */
  clearFaults(): void;
  setUpdateObjectEncryption(mode: UpdateObjectEncryptionMode): void;
  setKmsThrottlingOnS3(style: KmsThrottlingOnS3): void;
  /** Zeroes counters and the log; faults and modes stay. */
  resetCounts(): void;
  /** Zeroes counters and the log, and restores the faults and modes given to `startS3Proxy`. */
  reset(): void;
  /** Closes the listener and every connection (in-flight requests are cut). */
  stop(): Promise<void>;
}

const toPlan = (p: FaultPlan | readonly FaultRule[]): FaultPlan =>
  Array.isArray(p) ? { rules: p } : (p as FaultPlan);

/** Starts a proxy listening on 127.0.0.1 in front of `options.target`. */
export async function startS3Proxy(options: S3ProxyOptions): Promise<S3Proxy> {
  const stats = new StatsRecorder(options.logLimit ?? 10_000);
  const upstream = new Upstream(options.target, () => stats.internalRequest());
  const initial = (): ProxyState => ({
    ...(options.faults ? { faults: new FaultInjector(toPlan(options.faults)) } : {}),
    updateObjectEncryption: options.updateObjectEncryption ?? 'notImplemented',
    kmsThrottlingOnS3: options.kmsThrottlingOnS3 ?? 'slowDown',
    enforceConditions: options.enforceConditions ?? true,
  });
  let state = initial();
  const handler = new ProxyHandler(upstream, new KeyLock(), stats, () => state);

  const serve = (expectContinue: boolean) => (req: IncomingMessage, res: ServerResponse) => {
    handler.handle(req, res, expectContinue).catch((error: unknown) => {
      stats.proxyError();
      options.onError?.(error, req);
      if (res.headersSent || res.destroyed) res.destroy();
      else
        sendS3Error(res, req.method ?? 'GET', {
          status: 502,
          code: 'InternalError',
          message: `s3-proxy could not handle the request: ${(error as Error).message ?? String(error)}`,
        });
    });
  };
  const server = createServer({ keepAlive: true });
  server.on('request', serve(false));
  // Answering `Expect: 100-continue` ourselves lets a faulted or refused upload be answered before its body.
  server.on('checkContinue', serve(true));
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts: () => stats.snapshot().requests,
    faultCounts: () => stats.snapshot().faults,
    stats: () => stats.snapshot(),
    log: () => stats.log(),
    setFaults: (plan) => {
      state = { ...state, faults: new FaultInjector(toPlan(plan)) };
    },
    clearFaults: () => {
      const { faults: _dropped, ...rest } = state;
      state = rest;
    },
    setUpdateObjectEncryption: (mode) => {
      state = { ...state, updateObjectEncryption: mode };
    },
    setKmsThrottlingOnS3: (style) => {
      state = { ...state, kmsThrottlingOnS3: style };
    },
    resetCounts: () => stats.reset(),
    reset: () => {
      stats.reset();
      state = initial();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        upstream.close();
      }),
  };
}

export type { FaultKind, FaultPlan, FaultRule, FaultTiming, OperationSelector } from './proxy/faults.js';
export { FaultPlanError } from './proxy/faults.js';
export type { ClassifiedRequest, ProxyOperation, S3Operation, Service } from './proxy/operations.js';
export { classifyRequest } from './proxy/operations.js';
export type { KmsThrottlingOnS3 } from './proxy/responses.js';
export type { FaultCounts, ProxyStats, RequestCounts, RequestLogEntry } from './proxy/stats.js';
export type { UpdateObjectEncryptionMode } from './proxy/update-encryption.js';
