/**
 * How the local engine redrives TemporaryFailure tasks. Batch documents that it retries them but
 * not how often or how fast (aws-facts §1.6, UNCONFIRMED), so the bound is explicit here: at most
 * `maxRedrives` further invocations per task, waiting an exponentially growing, jittered delay.
 */
export interface RedrivePolicy {
  /** Further invocations after the first TemporaryFailure answer; 0 disables redrives. */
  readonly maxRedrives: number;
  /** Delay before the first redrive. */
  readonly baseDelayMs: number;
  /** Ceiling of any single delay. */
  readonly maxDelayMs: number;
}

export const DEFAULT_REDRIVE_POLICY: RedrivePolicy = Object.freeze({
  maxRedrives: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
});

/**
 * Delay before redrive number `redrive` (1-based): half of the exponential step fixed, half random
 * ("equal jitter"), so retries of tasks that failed together spread out but never fire at once.
 */
export function redriveDelayMs(policy: RedrivePolicy, redrive: number, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (redrive - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
