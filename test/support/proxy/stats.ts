import type { FaultKind } from './faults.js';
import { FaultKinds } from './faults.js';
import type { ClassifiedRequest, ProxyOperation, Service } from './operations.js';

/** Client requests received, counted on arrival (faulted and refused requests included, retries too). */
export interface RequestCounts {
  readonly total: number;
  readonly byService: Readonly<Record<Service, number>>;
  readonly byOperation: Readonly<Partial<Record<ProxyOperation, number>>>;
}

export interface FaultCounts {
  readonly total: number;
  readonly byKind: Readonly<Record<FaultKind, number>>;
  readonly byOperation: Readonly<
    Partial<Record<ProxyOperation, Readonly<Partial<Record<FaultKind, number>>>>>
  >;
}

/** Preconditions the proxy evaluated itself (the ones moto ignores). */
export interface ConditionCounts {
  /** Requests whose conditions the proxy checked. */
  readonly checked: number;
  /** Requests the proxy refused (412 PreconditionFailed, or 404 NoSuchKey for `If-Match` on a missing key). */
  readonly failed: number;
  readonly byOperation: Readonly<
    Partial<Record<ProxyOperation, { readonly checked: number; readonly failed: number }>>
  >;
  /** Failures by S3's `<Condition>` name, e.g. `x-amz-copy-source-If-Match`. */
  readonly byCondition: Readonly<Record<string, number>>;
}

export interface UpdateEncryptionCounts {
  /** Answered `501 NotImplemented` (the default mode, or a case the emulation cannot honour). */
  readonly notImplemented: number;
  /** Applied by the emulation. */
  readonly emulated: number;
  /** Refused by the emulation with the error S3 gives (unencrypted source, Object Lock, bad key ARN, ...). */
  readonly refused: number;
}

/** One finished client request (bounded log, newest last). */
export interface RequestLogEntry {
  readonly seq: number;
  readonly operation: ProxyOperation;
  readonly bucket?: string;
  readonly key?: string;
  /** The status the client got, or `'reset'` when the connection was dropped. */
  readonly status: number | 'reset';
  readonly faults: readonly FaultKind[];
}

export interface ProxyStats {
  readonly requests: RequestCounts;
  readonly faults: FaultCounts;
  readonly conditions: ConditionCounts;
  readonly updateObjectEncryption: UpdateEncryptionCounts;
  /** Requests the proxy made to moto on its own (HEADs for conditions, emulation steps). */
  readonly internalRequests: number;
  /** Requests the proxy could not handle (moto unreachable, a bug): answered 502/500. */
  readonly proxyErrors: number;
}

const zeroKinds = (): Record<FaultKind, number> =>
  Object.fromEntries(FaultKinds.map((k) => [k, 0])) as Record<FaultKind, number>;

const inc = <K extends string>(o: Partial<Record<K, number>>, k: K, by = 1): void => {
  o[k] = (o[k] ?? 0) + by;
};

/** Mutable counters behind the snapshots; snapshots are deep copies, frozen. */
export class StatsRecorder {
  #requests = {
    total: 0,
    byService: { s3: 0, kms: 0, s3control: 0, other: 0 } as Record<Service, number>,
    byOperation: {} as Partial<Record<ProxyOperation, number>>,
  };
  #faults = {
    total: 0,
    byKind: zeroKinds(),
    byOperation: {} as Partial<Record<ProxyOperation, Partial<Record<FaultKind, number>>>>,
  };
  #conditions = {
    checked: 0,
    failed: 0,
    byOperation: {} as Partial<Record<ProxyOperation, { checked: number; failed: number }>>,
    byCondition: {} as Record<string, number>,
  };
  #uoe = { notImplemented: 0, emulated: 0, refused: 0 };
  #proxyErrors = 0;
  #internal = 0;
  #log: RequestLogEntry[] = [];
  #seq = 0;

  constructor(readonly logLimit: number) {}

  request(r: ClassifiedRequest): number {
    this.#requests.total++;
    this.#requests.byService[r.service]++;
    inc(this.#requests.byOperation, r.operation);
    return ++this.#seq;
  }

  faults(r: ClassifiedRequest, kinds: readonly FaultKind[]): void {
    if (kinds.length === 0) return;
    const perOp = this.#faults.byOperation[r.operation] ?? {};
    this.#faults.byOperation[r.operation] = perOp;
    for (const kind of kinds) {
      this.#faults.total++;
      this.#faults.byKind[kind]++;
      inc(perOp, kind);
    }
  }

  conditionChecked(r: ClassifiedRequest, failedCondition?: string): void {
    const perOp = this.#conditions.byOperation[r.operation] ?? { checked: 0, failed: 0 };
    this.#conditions.byOperation[r.operation] = perOp;
    this.#conditions.checked++;
    perOp.checked++;
    if (failedCondition !== undefined) {
      this.#conditions.failed++;
      perOp.failed++;
      inc(this.#conditions.byCondition, failedCondition);
    }
  }

  updateEncryption(outcome: keyof UpdateEncryptionCounts): void {
    this.#uoe[outcome]++;
  }

  internalRequest(): void {
    this.#internal++;
  }

  proxyError(): void {
    this.#proxyErrors++;
  }

  finished(entry: RequestLogEntry): void {
    if (this.logLimit <= 0) return;
    this.#log.push(entry);
    if (this.#log.length > this.logLimit) this.#log.splice(0, this.#log.length - this.logLimit);
  }

  log(): readonly RequestLogEntry[] {
    return Object.freeze([...this.#log]);
  }

  snapshot(): ProxyStats {
    return deepFreeze(
      structuredClone({
        requests: this.#requests,
        faults: this.#faults,
        conditions: this.#conditions,
        updateObjectEncryption: this.#uoe,
        internalRequests: this.#internal,
        proxyErrors: this.#proxyErrors,
      }),
    );
  }

  reset(): void {
    const fresh = new StatsRecorder(this.logLimit);
    this.#requests = fresh.#requests;
    this.#faults = fresh.#faults;
    this.#conditions = fresh.#conditions;
    this.#uoe = fresh.#uoe;
    this.#proxyErrors = 0;
    this.#internal = 0;
    this.#log = [];
  }
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
