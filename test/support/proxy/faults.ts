import { mulberry32 } from '../../../src/inventory/synthetic.js';
import type { ClassifiedRequest, ProxyOperation, Service } from './operations.js';

/**
 * What the proxy can do to a request instead of (or on top of) answering it normally:
 * - `slowDown`: S3 `503 SlowDown`; on KMS requests KMS's own throttle, `400 ThrottlingException`.
 * - `internalError`: S3 `500 InternalError`; KMS `500 KMSInternalException`.
 * - `kmsThrottling`: KMS `400 ThrottlingException` (JSON); on S3 requests the error S3 gives when KMS
 *   throttles it (see `KmsThrottlingOnS3`).
 * - `conflict`: S3 `409 ConditionalRequestConflict` (a concurrent conditional write won); S3 only.
 * - `connectionReset`: the client socket is destroyed without an answer (the SDK sees ECONNRESET/EPIPE).
 * - `delay`: the answer is held back `delayMs` (then the request proceeds normally); not terminal.
 */
export const FaultKinds = [
  'slowDown',
  'internalError',
  'kmsThrottling',
  'conflict',
  'connectionReset',
  'delay',
] as const;
export type FaultKind = (typeof FaultKinds)[number];

/**
 * `before` (default): the fault replaces the request, which is never forwarded, so an injected failure never
 * half-applies a write. `after`: the request is forwarded and applied by moto, then the answer is lost or
 * replaced by the error (the write happened, the client saw a failure: an "ack lost", for idempotency tests).
 */
export type FaultTiming = 'before' | 'after';

/** Which requests a rule applies to: every request, one service's, or a list of operation ids. */
export type OperationSelector = 'all' | Service | readonly ProxyOperation[];

export interface FaultRule {
  readonly kind: FaultKind;
  /** Probability in [0, 1] that a matching request gets the fault. */
  readonly rate: number;
  /** Default `'all'`. */
  readonly operations?: OperationSelector;
  /** Default `'before'`. `after` is allowed for `connectionReset`, `internalError`, `slowDown` and `delay`. */
  readonly when?: FaultTiming;
  /** Required for `delay`: how long to hold the answer. */
  readonly delayMs?: number;
  /** Stop injecting after this many faults from this rule (the rule keeps drawing, so counts stay stable). */
  readonly maxCount?: number;
  /** Narrows the rule further, e.g. `(r) => r.key?.startsWith('race/') ?? false`. */
  readonly match?: (request: ClassifiedRequest) => boolean;
}

/**
 * A fault plan. Rules are evaluated in order for each request; a `delay` that fires adds its delay and the
 * evaluation continues, the first terminal fault that fires ends it.
 *
 * Determinism: each rule draws from its own random stream seeded by (`seed`, rule index), one number per
 * matching request. The k-th request a rule sees always gets the k-th number of its stream, so the number of
 * faults a rule injects depends only on how many requests it matched, not on how concurrent requests
 * interleaved (which request gets a fault does depend on arrival order).
 */
export interface FaultPlan {
  readonly seed?: number;
  readonly rules: readonly FaultRule[];
}

/** A fault chosen for one request. */
export interface FaultDecision {
  /** Sum of the `delay` rules that fired with `when: 'before'`. */
  readonly delayBeforeMs: number;
  /** Sum of the `delay` rules that fired with `when: 'after'`. */
  readonly delayAfterMs: number;
  /** The terminal fault, if one fired. */
  readonly terminal?: { readonly kind: Exclude<FaultKind, 'delay'>; readonly when: FaultTiming };
  /** Every fault that fired (delays included), for the counters. */
  readonly fired: readonly FaultKind[];
}

export const NO_FAULT: FaultDecision = Object.freeze({ delayBeforeMs: 0, delayAfterMs: 0, fired: [] });

/** A fault plan the proxy refuses to run (a typo in a test must not silently inject nothing). */
export class FaultPlanError extends Error {
  constructor(
    message: string,
    readonly ruleIndex: number,
  ) {
    super(`fault rule ${ruleIndex}: ${message}`);
    this.name = 'FaultPlanError';
  }
}

const AFTER_ALLOWED: ReadonlySet<FaultKind> = new Set([
  'connectionReset',
  'internalError',
  'slowDown',
  'delay',
]);

/** Checks a plan and returns a frozen copy; throws `FaultPlanError` naming the rule and the problem. */
export function validateFaultPlan(plan: FaultPlan): FaultPlan {
  if (plan.seed !== undefined && !Number.isInteger(plan.seed)) {
    throw new FaultPlanError(`seed must be an integer, got ${plan.seed}`, -1);
  }
  plan.rules.forEach((rule, i) => {
    if (!FaultKinds.includes(rule.kind)) throw new FaultPlanError(`unknown kind '${String(rule.kind)}'`, i);
    if (!(typeof rule.rate === 'number' && rule.rate >= 0 && rule.rate <= 1)) {
      throw new FaultPlanError(`rate must be a number in [0, 1], got ${String(rule.rate)}`, i);
    }
    const when = rule.when ?? 'before';
    if (when !== 'before' && when !== 'after') throw new FaultPlanError(`when must be before|after`, i);
    if (when === 'after' && !AFTER_ALLOWED.has(rule.kind)) {
      // A throttle or a conflict means the request was refused: reporting it after applying the write would lie.
      throw new FaultPlanError(`'${rule.kind}' cannot be injected after forwarding`, i);
    }
    if (rule.kind === 'delay' && !(Number.isFinite(rule.delayMs) && (rule.delayMs ?? -1) >= 0)) {
      throw new FaultPlanError('delay needs delayMs >= 0', i);
    }
    if (rule.maxCount !== undefined && !(Number.isInteger(rule.maxCount) && rule.maxCount >= 0)) {
      throw new FaultPlanError(`maxCount must be a non-negative integer, got ${rule.maxCount}`, i);
    }
    const ops = rule.operations ?? 'all';
    if (Array.isArray(ops) && ops.length === 0) throw new FaultPlanError('operations is an empty list', i);
  });
  return Object.freeze({ seed: plan.seed ?? 1, rules: Object.freeze([...plan.rules]) });
}

function selects(selector: OperationSelector, request: ClassifiedRequest): boolean {
  if (selector === 'all') return true;
  if (typeof selector === 'string') return request.service === selector;
  return selector.includes(request.operation);
}

/** Decides faults for a stream of requests under one plan; one instance per `setFaults`. */
export class FaultInjector {
  readonly #plan: FaultPlan;
  readonly #streams: Array<() => number>;
  readonly #fired: number[];

  constructor(plan: FaultPlan) {
    this.#plan = validateFaultPlan(plan);
    const seed = this.#plan.seed ?? 1;
    this.#streams = this.#plan.rules.map((_, i) =>
      mulberry32(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + i * 0x27d4eb2f),
    );
    this.#fired = this.#plan.rules.map(() => 0);
  }

  get plan(): FaultPlan {
    return this.#plan;
  }

  decide(request: ClassifiedRequest): FaultDecision {
    let delayBeforeMs = 0;
    let delayAfterMs = 0;
    const fired: FaultKind[] = [];
    const rules = this.#plan.rules;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i] as FaultRule;
      if (!selects(rule.operations ?? 'all', request)) continue;
      if (rule.kind === 'conflict' && request.service !== 's3') continue;
      if (rule.match && !rule.match(request)) continue;
      const draw = (this.#streams[i] as () => number)();
      if (draw >= rule.rate) continue;
      if (rule.maxCount !== undefined && (this.#fired[i] as number) >= rule.maxCount) continue;
      this.#fired[i] = (this.#fired[i] as number) + 1;
      fired.push(rule.kind);
      const when = rule.when ?? 'before';
      if (rule.kind === 'delay') {
        if (when === 'before') delayBeforeMs += rule.delayMs ?? 0;
        else delayAfterMs += rule.delayMs ?? 0;
        continue;
      }
      return { delayBeforeMs, delayAfterMs, terminal: { kind: rule.kind, when }, fired };
    }
    return fired.length === 0 ? NO_FAULT : { delayBeforeMs, delayAfterMs, fired };
  }
}
