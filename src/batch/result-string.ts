/**
 * The per-task `resultString` written into the completion report: a compact JSON document that the
 * report summariser parses back. Kept well under 1 KiB (the report field has no documented limit).
 */
export const Routes = {
  skip: 'skip',
  update: 'update',
  copy: 'copy',
  multipart: 'multipart',
  blocked: 'blocked',
  failed: 'failed',
} as const;
export type Route = (typeof Routes)[keyof typeof Routes];

export const FailureCauses = {
  throttled: 'throttled',
  serverError: 'server-error',
  network: 'network',
  timeout: 'timeout',
  accessDenied: 'access-denied',
  kmsKeyDisabled: 'kms-key-disabled',
  kmsKeyNotFound: 'kms-key-not-found',
  kmsInvalidState: 'kms-invalid-state',
  kmsThrottled: 'kms-throttled',
  archived: 'archived-restore-first',
  invalidObjectState: 'invalid-object-state',
  sseC: 'sse-c',
  dsseKms: 'dsse-kms',
  objectLocked: 'object-locked',
  noncurrentUnencrypted: 'noncurrent-unencrypted',
  /** Noncurrent version the update route cannot reach (endpoint without it, strategy=copy, refused). */
  noncurrentVersion: 'noncurrent-version',
  /** The job's strategy forbids the only route that would work (e.g. strategy=update on NOT-SSE). */
  routeNotAllowed: 'route-not-allowed',
  preconditionFailed: 'precondition-failed',
  notFound: 'not-found',
  deleteMarker: 'delete-marker',
  tooLarge: 'multipart-required',
  badTask: 'bad-task',
  invalidRequest: 'invalid-request',
  checkpoint: 'checkpoint',
  deadline: 'deadline',
  lambdaError: 'lambda-error',
  unknown: 'unknown',
} as const;
export type FailureCause = (typeof FailureCauses)[keyof typeof FailureCauses];

export interface TaskResult {
  /** What was done (or, for failures, which route was attempted; `failed` when none was chosen). */
  readonly route: Route;
  /** Object size in bytes, 0 when unknown. */
  readonly bytes: number;
  /** Source encryption as found: AES256, aws:kms, aws:kms:dsse, SSE-C, NONE, or unknown. */
  readonly source: string;
  readonly ms: number;
  readonly cause?: FailureCause;
  readonly reason?: string;
  /** The update route was tried and the endpoint lacks it; the copy route was used instead. */
  readonly fallback?: 'update-unsupported' | 'update-refused';
  readonly parts?: number;
  readonly invocations?: number;
  readonly versionId?: string;
  /** Prior version deleted after a verified copy (deletePriorVersion). */
  readonly deletedPrior?: boolean;
}

const MAX_REASON = 300;

export function encodeResultString(r: TaskResult): string {
  const o: Record<string, unknown> = { r: r.route, b: r.bytes, s: r.source, ms: Math.round(r.ms) };
  if (r.cause) o.c = r.cause;
  if (r.reason) o.why = r.reason.length > MAX_REASON ? `${r.reason.slice(0, MAX_REASON - 1)}…` : r.reason;
  if (r.fallback) o.fb = r.fallback;
  if (r.parts !== undefined) o.p = r.parts;
  if (r.invocations !== undefined) o.i = r.invocations;
  if (r.versionId) o.v = r.versionId;
  if (r.deletedPrior) o.dp = 1;
  return JSON.stringify(o);
}

export class ResultStringError extends Error {
  override readonly name = 'ResultStringError';
}

const routeValues = new Set<string>(Object.values(Routes));
const causeValues = new Set<string>(Object.values(FailureCauses));

/** Parses a resultString written by encodeResultString; throws ResultStringError on anything else. */
export function parseResultString(text: string): TaskResult {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (cause) {
    throw new ResultStringError(`resultString is not JSON: ${text.slice(0, 80)}`, { cause });
  }
  if (typeof o !== 'object' || o === null) throw new ResultStringError('resultString is not a JSON object');
  const x = o as Record<string, unknown>;
  if (typeof x.r !== 'string' || !routeValues.has(x.r))
    throw new ResultStringError(`resultString has no valid route "r": ${text.slice(0, 80)}`);
  if (typeof x.b !== 'number' || typeof x.ms !== 'number' || typeof x.s !== 'string')
    throw new ResultStringError(`resultString lacks b/s/ms: ${text.slice(0, 80)}`);
  return {
    route: x.r as Route,
    bytes: x.b,
    source: x.s,
    ms: x.ms,
    ...(typeof x.c === 'string' ? { cause: (causeValues.has(x.c) ? x.c : 'unknown') as FailureCause } : {}),
    ...(typeof x.why === 'string' ? { reason: x.why } : {}),
    ...(x.fb === 'update-unsupported' || x.fb === 'update-refused' ? { fallback: x.fb } : {}),
    ...(typeof x.p === 'number' ? { parts: x.p } : {}),
    ...(typeof x.i === 'number' ? { invocations: x.i } : {}),
    ...(typeof x.v === 'string' ? { versionId: x.v } : {}),
    ...(x.dp === 1 ? { deletedPrior: true } : {}),
  };
}
