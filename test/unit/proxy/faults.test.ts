import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/inventory/synthetic.js';
import { FaultInjector, type FaultPlan, FaultPlanError, type FaultRule } from '../../support/proxy/faults.js';
import type { ClassifiedRequest } from '../../support/proxy/operations.js';
import { describeKey, getObject, putObject } from './fixtures.js';

const firedKinds = (injector: FaultInjector, requests: readonly ClassifiedRequest[]) =>
  requests.map((r) => injector.decide(r).terminal?.kind ?? '-');

describe('FaultInjector', () => {
  it('draws the same faults for the same seed and different ones for another seed', () => {
    // Prepare
    const plan = (seed: number): FaultPlan => ({ seed, rules: [{ kind: 'slowDown', rate: 0.5 }] });
    const requests = Array.from({ length: 64 }, () => getObject());
    // Act
    const a = firedKinds(new FaultInjector(plan(5)), requests);
    const b = firedKinds(new FaultInjector(plan(5)), requests);
    const c = firedKinds(new FaultInjector(plan(6)), requests);
    // Assess
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it.each([
    { rate: 0, expected: 0 },
    { rate: 1, expected: 500 },
  ])('injects $expected faults in 500 requests at rate $rate', ({ rate, expected }) => {
    // Prepare
    const injector = new FaultInjector({ rules: [{ kind: 'internalError', rate }] });
    // Act
    const fired = firedKinds(
      injector,
      Array.from({ length: 500 }, () => getObject()),
    );
    // Assess
    expect(fired.filter((k) => k !== '-')).toHaveLength(expected);
  });

  it('injects close to the configured rate over many requests', () => {
    // Prepare
    const injector = new FaultInjector({ seed: 123, rules: [{ kind: 'internalError', rate: 0.1 }] });
    // Act
    const fired = firedKinds(
      injector,
      Array.from({ length: 10_000 }, () => getObject()),
    );
    // Assess: 1,000 expected, sd 30
    const n = fired.filter((k) => k !== '-').length;
    expect(n).toBeGreaterThan(880);
    expect(n).toBeLessThan(1120);
  });

  it('keeps one random stream per rule, so traffic a rule does not match leaves its faults unchanged', () => {
    // Prepare
    const rules: FaultRule[] = [{ kind: 'slowDown', rate: 0.5, operations: ['GetObject'] }];
    const gets = Array.from({ length: 40 }, () => getObject());
    const mixed = gets.flatMap((g) => [putObject(), g, describeKey()]);
    // Act
    const alone = firedKinds(new FaultInjector({ seed: 3, rules }), gets);
    const interleaved = firedKinds(new FaultInjector({ seed: 3, rules }), mixed).filter(
      (_, i) => i % 3 === 1,
    );
    // Assess
    expect(interleaved).toEqual(alone);
  });

  it.each<{ selector: FaultRule['operations']; get: boolean; put: boolean; kms: boolean }>([
    { selector: 'all', get: true, put: true, kms: true },
    { selector: 's3', get: true, put: true, kms: false },
    { selector: 'kms', get: false, put: false, kms: true },
    { selector: ['PutObject'], get: false, put: true, kms: false },
    { selector: ['kms:DescribeKey', 'GetObject'], get: true, put: false, kms: true },
  ])('selects requests by $selector', ({ selector, get, put, kms }) => {
    // Prepare
    const injector = new FaultInjector({ rules: [{ kind: 'internalError', rate: 1, operations: selector }] });
    // Act
    const fired = [getObject(), putObject(), describeKey()].map(
      (r) => injector.decide(r).terminal !== undefined,
    );
    // Assess
    expect(fired).toEqual([get, put, kms]);
  });

  it('narrows a rule with match', () => {
    // Prepare
    const injector = new FaultInjector({
      rules: [{ kind: 'internalError', rate: 1, match: (r) => r.key?.startsWith('race/') ?? false }],
    });
    // Act
    const fired = [getObject('race/1'), getObject('calm/1')].map((r) => injector.decide(r).terminal?.kind);
    // Assess
    expect(fired).toEqual(['internalError', undefined]);
  });

  it('stops a rule after maxCount faults', () => {
    // Prepare
    const injector = new FaultInjector({ rules: [{ kind: 'slowDown', rate: 1, maxCount: 2 }] });
    // Act
    const fired = firedKinds(injector, [getObject(), getObject(), getObject(), getObject()]);
    // Assess
    expect(fired).toEqual(['slowDown', 'slowDown', '-', '-']);
  });

  it('adds up delays and goes on to the first terminal fault', () => {
    // Prepare
    const injector = new FaultInjector({
      rules: [
        { kind: 'delay', rate: 1, delayMs: 10 },
        { kind: 'delay', rate: 1, delayMs: 5, when: 'after' },
        { kind: 'connectionReset', rate: 1, when: 'after' },
        { kind: 'internalError', rate: 1 },
      ],
    });
    // Act
    const decision = injector.decide(putObject());
    // Assess
    expect(decision).toEqual({
      delayBeforeMs: 10,
      delayAfterMs: 5,
      terminal: { kind: 'connectionReset', when: 'after' },
      fired: ['delay', 'delay', 'connectionReset'],
    });
  });

  it('never answers a KMS request with an S3-only conflict', () => {
    // Prepare
    const injector = new FaultInjector({ rules: [{ kind: 'conflict', rate: 1 }] });
    // Act
    const decision = injector.decide(describeKey());
    // Assess
    expect(decision.terminal).toBeUndefined();
  });

  it.each<{ rule: FaultRule; problem: RegExp }>([
    { rule: { kind: 'slowDown', rate: 1.5 }, problem: /rate must be a number in \[0, 1\], got 1.5/ },
    { rule: { kind: 'slowDown', rate: -0.1 }, problem: /rate must be/ },
    { rule: { kind: 'slowDown', rate: Number.NaN }, problem: /rate must be/ },
    { rule: { kind: 'teapot' as 'slowDown', rate: 1 }, problem: /unknown kind 'teapot'/ },
    { rule: { kind: 'delay', rate: 1 }, problem: /delay needs delayMs/ },
    {
      rule: { kind: 'kmsThrottling', rate: 1, when: 'after' },
      problem: /'kmsThrottling' cannot be injected after/,
    },
    { rule: { kind: 'conflict', rate: 1, when: 'after' }, problem: /'conflict' cannot be injected after/ },
    {
      rule: { kind: 'slowDown', rate: 1, maxCount: 1.5 },
      problem: /maxCount must be a non-negative integer/,
    },
    { rule: { kind: 'slowDown', rate: 1, operations: [] }, problem: /operations is an empty list/ },
  ])('refuses a bad rule: $problem', ({ rule, problem }) => {
    // Act
    const act = () => new FaultInjector({ rules: [{ kind: 'slowDown', rate: 0 }, rule] });
    // Assess
    expect(act).toThrow(FaultPlanError);
    expect(act).toThrow(/fault rule 1: /);
    expect(act).toThrow(problem);
  });

  it('refuses a seed that is not an integer', () => {
    // Act
    const act = () => new FaultInjector({ seed: 0.5, rules: [] });
    // Assess
    expect(act).toThrow(/seed must be an integer/);
  });
});

describe('mulberry32', () => {
  it('yields numbers in [0, 1) that repeat for one seed', () => {
    // Act
    const a = Array.from({ length: 1000 }, mulberry32(77));
    const b = Array.from({ length: 1000 }, mulberry32(77));
    // Assess
    expect(a).toEqual(b);
    expect(a.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(a).size).toBe(1000);
  });
});
