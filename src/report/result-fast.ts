import {
  type FailureCause,
  FailureCauses,
  type Route,
  Routes,
  type TaskResult,
} from '../batch/result-string.js';

const COMMA = 44;
const COLON = 58;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

const ROUTES: readonly string[] = Object.values(Routes);
const CAUSES: readonly string[] = Object.values(FailureCauses);
const SOURCES: readonly string[] = ['AES256', 'aws:kms', 'NONE', 'aws:kms:dsse', 'SSE-C', 'unknown'];
const FALLBACKS: readonly string[] = ['update-unsupported', 'update-refused'];

/**
 * The constant equal to text[start, end) from a small vocabulary, or undefined. Returning the constant
 * avoids a new string per row, and later comparisons and set lookups on it are by identity.
 */
function known(vocabulary: readonly string[], text: string, start: number, end: number): string | undefined {
  const len = end - start;
  for (const w of vocabulary) if (w.length === len && text.startsWith(w, start)) return w;
  return undefined;
}

/**
 * A quote token at i: one quote, or two when the text is still CSV-escaped. A top-level function rather
 * than a closure made per row, which cost about a tenth of the report reader's time in a CPU profile.
 */
function quoteAt(text: string, i: number, escaped: boolean): boolean {
  return text.charCodeAt(i) === 34 && (!escaped || text.charCodeAt(i + 1) === 34);
}

/** JSON.parse rejects raw control characters in strings; spans copied out are checked for them. */
function hasControl(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) < 32) return true;
  return false;
}

/**
 * The value of text[start, end) when it is a non-negative JSON integer of at most 15 digits (exact in a
 * double), else -1. Sizes and durations are such integers; anything else takes the general way.
 */
function plainInteger(text: string, start: number, end: number): number {
  const len = end - start;
  if (len < 1 || len > 15) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  // JSON forbids leading zeros.
  return len > 1 && text.charCodeAt(start) === 48 ? -1 : v;
}

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
const K_WHY = 0x20000;
const NOT_STRING = -1;

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
  // Backslash escapes are left to JSON.parse.
  if (n < 1 || text.charCodeAt(0) !== 123 || text.charCodeAt(n) !== 125 || text.indexOf('\\') >= 0)
    return undefined;
  // A string value is kept as its [start, end) span, a number as its value with start = NOT_STRING.
  let route: string | undefined;
  let bytes: number | undefined;
  let source: string | undefined;
  let ms: number | undefined;
  let cause: string | undefined;
  let reason: string | undefined;
  let fallback: string | undefined;
  let parts: number | undefined;
  let invocations: number | undefined;
  let versionId: string | undefined;
  let deletedPrior = false;
  // JSON.parse keeps the last of duplicate keys; so does this, type checks included.
  let routeOk = true;
  let bytesOk = true;
  let sourceOk = true;
  let msOk = true;
  let p = 1;
  for (;;) {
    if (!quoteAt(text, p, escaped)) return undefined;
    const k0 = p + ql;
    let keyEnd = k0;
    while (keyEnd < n && text.charCodeAt(keyEnd) !== 34) keyEnd++;
    if (!quoteAt(text, keyEnd, escaped) || text.charCodeAt(keyEnd + ql) !== COLON) return undefined;
    const kl = keyEnd - k0;
    // Keys are compared in place: slicing each one out would allocate a string per key per row.
    const key =
      kl === 1
        ? text.charCodeAt(k0)
        : kl === 2
          ? pair(text.charCodeAt(k0), text.charCodeAt(k0 + 1))
          : kl === 3 && text.startsWith('why', k0)
            ? K_WHY
            : -1;
    if (key === -1 && hasControl(text, k0, keyEnd)) return undefined;
    p = keyEnd + ql + 1;
    let vs = NOT_STRING;
    let ve = 0;
    let num = 0;
    if (quoteAt(text, p, escaped)) {
      vs = p + ql;
      ve = text.indexOf(q, vs);
      if (ve < 0) return undefined;
      p = ve + ql;
    } else {
      let e = text.indexOf(',', p);
      if (e < 0 || e > n) e = n;
      num = plainInteger(text, p, e);
      if (num < 0) {
        const lit = text.slice(p, e);
        if (!JSON_NUMBER.test(lit)) return undefined; // true/false/null, objects, arrays: JSON.parse's job
        num = Number(lit);
      }
      p = e;
    }
    const isString = vs !== NOT_STRING;
    // A string equal to a vocabulary word holds no control character; any other string value is checked
    // after the switch (JSON.parse rejects raw control characters, so the fast path must too).
    let word = false;
    switch (key) {
      case K_R:
        route = isString ? known(ROUTES, text, vs, ve) : undefined;
        routeOk = route !== undefined;
        word = routeOk;
        break;
      case K_B:
        bytes = num;
        bytesOk = !isString;
        break;
      case K_S: {
        const w = isString ? known(SOURCES, text, vs, ve) : undefined;
        word = w !== undefined;
        source = w ?? (isString ? text.slice(vs, ve) : undefined);
        sourceOk = isString;
        break;
      }
      case K_MS:
        ms = num;
        msOk = !isString;
        break;
      case K_C: {
        const w = isString ? known(CAUSES, text, vs, ve) : undefined;
        word = w !== undefined;
        cause = isString ? (w ?? 'unknown') : undefined;
        break;
      }
      case K_WHY:
        reason = isString ? text.slice(vs, ve) : undefined;
        break;
      case K_FB:
        fallback = isString ? known(FALLBACKS, text, vs, ve) : undefined;
        word = fallback !== undefined;
        break;
      case K_P:
        parts = isString ? undefined : num;
        break;
      case K_I:
        invocations = isString ? undefined : num;
        break;
      case K_V:
        versionId = isString ? text.slice(vs, ve) : undefined;
        break;
      case K_DP:
        deletedPrior = !isString && num === 1;
        break;
    }
    if (isString && !word && hasControl(text, vs, ve)) return undefined;
    if (p === n) break;
    if (text.charCodeAt(p) !== COMMA) return undefined;
    p++;
  }
  if (!routeOk || !bytesOk || !sourceOk || !msOk) return undefined;
  if (route === undefined || bytes === undefined || source === undefined || ms === undefined)
    return undefined;
  const out: Mutable = { route: route as Route, bytes, source, ms };
  if (cause !== undefined) out.cause = cause as FailureCause;
  if (reason !== undefined) out.reason = reason;
  if (fallback !== undefined) out.fallback = fallback as Mutable['fallback'];
  if (parts !== undefined) out.parts = parts;
  if (invocations !== undefined) out.invocations = invocations;
  if (versionId !== undefined) out.versionId = versionId;
  if (deletedPrior) out.deletedPrior = true;
  return out;
}
