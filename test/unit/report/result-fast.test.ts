import { describe, expect, it } from 'vitest';
import {
  encodeResultString,
  FailureCauses,
  parseResultString,
  Routes,
  type TaskResult,
} from '../../../src/batch/result-string.js';
import { decodeResultFast } from '../../../src/report/result-fast.js';

/** Deterministic pseudo-random generator (no flaky tests). */
function rng(seed: number) {
  let x = seed;
  return (n: number) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % n;
  };
}

const pick = <T>(r: (n: number) => number, xs: readonly T[]): T => xs[r(xs.length)] as T;
const texts = [
  '',
  'a',
  'AccessDenied: kms:Decrypt',
  'quote " inside',
  'back\\slash',
  'comma, colon: {x}',
  'é ✓ 漢',
  'tab\there',
];

function randomResult(r: (n: number) => number): TaskResult {
  const out: Record<string, unknown> = {
    route: pick(r, Object.values(Routes)),
    bytes: pick(r, [0, 1, 5 * 1024 ** 3, 123456789012]),
    source: pick(r, ['AES256', 'aws:kms', 'NONE', 'SSE-C', 'unknown']),
    ms: r(100_000),
  };
  if (r(2)) out.cause = pick(r, Object.values(FailureCauses));
  if (r(2)) out.reason = pick(r, texts);
  if (r(3) === 0) out.fallback = pick(r, ['update-unsupported', 'update-refused']);
  if (r(3) === 0) out.parts = r(10_000);
  if (r(3) === 0) out.invocations = r(5);
  if (r(3) === 0) out.versionId = pick(r, ['null', 'v1.x_y', '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY']);
  if (r(4) === 0) out.deletedPrior = true;
  return out as unknown as TaskResult;
}

const csvEscape = (json: string) => json.replace(/"/g, '""');

describe('decodeResultFast', () => {
  it('agrees with parseResultString on 2,000 generated resultStrings, escaped and not', () => {
    // Prepare
    const r = rng(42);
    let fast = 0;
    for (let i = 0; i < 2000; i++) {
      const json = encodeResultString(randomResult(r));
      const expected = parseResultString(json);
      // Act
      const plain = decodeResultFast(json, false);
      const escaped = decodeResultFast(csvEscape(json), true);
      // Assess: when the fast path answers, it answers exactly like the definition.
      if (plain) expect(plain).toEqual(expected);
      if (escaped) expect(escaped).toEqual(expected);
      if (plain && escaped) fast++;
    }
    // Documents without backslashes or control characters must take the fast path.
    expect(fast).toBeGreaterThan(1200);
  });

  it('never disagrees with the definition on 2,000 mutated documents', () => {
    // Prepare: valid documents with one character deleted, duplicated or replaced.
    const r = rng(7);
    const noise = ['"', ',', ':', '{', '}', '0', '-', '.', 'e', ' ', 'x', '\\', '\t'];
    for (let i = 0; i < 2000; i++) {
      const json = encodeResultString(randomResult(r));
      const at = r(json.length);
      const kind = r(3);
      const mutated =
        kind === 0
          ? json.slice(0, at) + json.slice(at + 1)
          : kind === 1
            ? json.slice(0, at) + json[at] + json.slice(at)
            : json.slice(0, at) + pick(r, noise) + json.slice(at + 1);
      let definition: TaskResult | undefined;
      try {
        definition = parseResultString(mutated);
      } catch {
        definition = undefined;
      }
      // Act
      const fast = decodeResultFast(mutated, false);
      // Assess
      if (fast !== undefined) expect(fast).toEqual(definition);
    }
  });

  it.each([
    ['not JSON', 'Lambda returned function error: {"errorMessage":"x"}'],
    ['an empty object', '{}'],
    ['a missing route', '{"b":1,"s":"AES256","ms":1}'],
    ['an unknown route', '{"r":"teleport","b":1,"s":"AES256","ms":1}'],
    ['a string size', '{"r":"copy","b":"1","s":"AES256","ms":1}'],
    ['whitespace', '{ "r":"copy","b":1,"s":"AES256","ms":1}'],
    ['a hex number', '{"r":"copy","b":0x10,"s":"AES256","ms":1}'],
    ['a leading zero', '{"r":"copy","b":01,"s":"AES256","ms":1}'],
    ['a nested object', '{"r":"copy","b":1,"s":"AES256","ms":1,"x":{"y":1}}'],
    ['a literal', '{"r":"copy","b":1,"s":"AES256","ms":1,"dp":true}'],
    ['an escape', '{"r":"copy","b":1,"s":"AES\\u0032","ms":1}'],
    ['truncated', '{"r":"copy","b":1,"s":"AES256","ms":1'],
    ['a raw tab in the reason', '{"r":"copy","b":1,"s":"AES256","ms":1,"why":"a\tb"}'],
    ['a raw tab in an unknown source', '{"r":"copy","b":1,"s":"AE\tS","ms":1}'],
    ['a raw tab in an unknown cause', '{"r":"copy","b":1,"s":"AES256","ms":1,"c":"gr\tm"}'],
    ['a raw tab in an unknown key’s value', '{"r":"copy","b":1,"s":"AES256","ms":1,"zz":"x\ty"}'],
    ['a raw tab in a fallback', '{"r":"copy","b":1,"s":"AES256","ms":1,"fb":"up\tdate"}'],
  ])('leaves %s to parseResultString', (_name, text) => {
    // Act
    const fast = decodeResultFast(text, false);
    let definition: TaskResult | Error;
    try {
      definition = parseResultString(text);
    } catch (e) {
      definition = e as Error;
    }
    // Assess: either no answer, or the definition's answer.
    if (fast !== undefined) expect(fast).toEqual(definition);
    if (definition instanceof Error) expect(fast).toBeUndefined();
  });

  it('maps an unknown cause to unknown and ignores unknown keys, like the definition', () => {
    // Prepare
    const json = '{"r":"copy","b":1,"s":"AES256","ms":2,"c":"gremlins","zz":3}';
    // Act / Assess
    expect(decodeResultFast(json, false)).toEqual(parseResultString(json));
    expect(decodeResultFast(json, false)?.cause).toBe('unknown');
  });
});
