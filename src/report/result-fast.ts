import {
  type FailureCause,
  FailureCauses,
  type Route,
  Routes,
  type TaskResult,
} from '../batch/result-string.js';

const routeValues = new Set<string>(Object.values(Routes));
const causeValues = new Set<string>(Object.values(FailureCauses));
const COMMA = 44;
// One-character keys map to their code unit (< 0x10000), two ASCII characters to 0x10000 and above.
const pair = (a: number, b: number) => (a < 128 && b < 128 ? 0x10000 + a * 128 + b : -1);
const code = (k: string) => (k.length === 1 ? k.charCodeAt(0) : pair(k.charCodeAt(0), k.charCodeAt(1)));
const [K_R, K_B, K_S, K_C, K_P, K_I, K_V, K_MS, K_FB, K_DP] = [
  'r',
  'b',
  's',
  'c',
  'p',
  'i',
  'v',
  'ms',
  'fb',
  'dp',
].map(code);
const WHY = 0x20000;
const COLON = 58;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
// Backslash escapes and raw control characters (which JSON.parse rejects) are left to JSON.parse.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const NEEDS_JSON_PARSE = /[\\\u0000-\u001f]/;

interface Mutable {
  route: Route;
  bytes: number;
  source: string;
  ms: number;
  cause?: FailureCause;
  reason?: string;
  fallback?: 'update-unsupported' | 'update-refused';
  parts?: number;
  invocations?: number;
  versionId?: string;
  deletedPrior?: boolean;
}

/**
 * parseResultString for the flat documents encodeResultString writes, read straight from the CSV field
 * (`escaped`: inner quotes still doubled) without unescaping or JSON.parse — the two costliest steps of a
 * report row. Returns undefined for anything it is not sure about (escapes, whitespace, nesting, bad types);
 * the caller then uses parseResultString, which stays the definition (tests check both agree).
 */
export function decodeResultFast(text: string, escaped: boolean): TaskResult | undefined {
  const q = escaped ? '""' : '"';
  const ql = q.length;
  const n = text.length - 1;
  if (n < 1 || text.charCodeAt(0) !== 123 || text.charCodeAt(n) !== 125 || NEEDS_JSON_PARSE.test(text))
    return undefined;
  let r: unknown;
  let b: unknown;
  let s: unknown;
  let ms: unknown;
  let c: unknown;
  let why: unknown;
  let fb: unknown;
  let parts: unknown;
  let inv: unknown;
  let v: unknown;
  let dp: unknown;
  let p = 1;
  for (;;) {
    if (!text.startsWith(q, p)) return undefined;
    const keyEnd = text.indexOf(q, p + ql);
    if (keyEnd < 0 || text.charCodeAt(keyEnd + ql) !== COLON) return undefined;
    const k0 = p + ql;
    const kl = keyEnd - k0;
    // Keys are compared in place: slicing each one out would allocate a string per key per row.
    const key =
      kl === 1
        ? text.charCodeAt(k0)
        : kl === 2
          ? pair(text.charCodeAt(k0), text.charCodeAt(k0 + 1))
          : kl === 3 && text.startsWith('why', k0)
            ? WHY
            : -1;
    p = keyEnd + ql + 1;
    let value: string | number;
    if (text.startsWith(q, p)) {
      const end = text.indexOf(q, p + ql);
      if (end < 0) return undefined;
      value = text.slice(p + ql, end);
      p = end + ql;
    } else {
      let e = text.indexOf(',', p);
      if (e < 0 || e > n) e = n;
      const lit = text.slice(p, e);
      if (!JSON_NUMBER.test(lit)) return undefined; // true/false/null, objects, arrays: JSON.parse's job
      value = Number(lit);
      p = e;
    }
    switch (key) {
      case K_R:
        r = value;
        break;
      case K_B:
        b = value;
        break;
      case K_S:
        s = value;
        break;
      case K_MS:
        ms = value;
        break;
      case K_C:
        c = value;
        break;
      case WHY:
        why = value;
        break;
      case K_FB:
        fb = value;
        break;
      case K_P:
        parts = value;
        break;
      case K_I:
        inv = value;
        break;
      case K_V:
        v = value;
        break;
      case K_DP:
        dp = value;
        break;
    }
    if (p === n) break;
    if (text.charCodeAt(p) !== COMMA) return undefined;
    p++;
  }
  if (typeof r !== 'string' || !routeValues.has(r)) return undefined;
  if (typeof b !== 'number' || typeof ms !== 'number' || typeof s !== 'string') return undefined;
  const out: Mutable = { route: r as Route, bytes: b, source: s, ms };
  if (typeof c === 'string') out.cause = (causeValues.has(c) ? c : 'unknown') as FailureCause;
  if (typeof why === 'string') out.reason = why;
  if (fb === 'update-unsupported' || fb === 'update-refused') out.fallback = fb;
  if (typeof parts === 'number') out.parts = parts;
  if (typeof inv === 'number') out.invocations = inv;
  if (typeof v === 'string') out.versionId = v;
  if (dp === 1) out.deletedPrior = true;
  return out;
}
