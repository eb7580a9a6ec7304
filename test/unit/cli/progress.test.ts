import { describe, expect, it } from 'vitest';
import { createProgress, formatSeconds } from '../../../src/cli/progress.js';
import { captured } from './fake-io.js';

describe('createProgress', () => {
  it('writes nothing when stderr is not a terminal', () => {
    // Prepare
    const stderr = captured(false);
    const progress = createProgress(stderr, { label: 'verify' });
    // Act
    progress.addTotal(3);
    progress.tick();
    progress.stop();
    // Assess
    expect(stderr.text()).toBe('');
  });

  it('shows counts, rate, ETA and failures on a terminal', () => {
    // Prepare
    const stderr = captured(true);
    let now = 0;
    const progress = createProgress(stderr, {
      label: 'verify',
      failureLabel: 'not compliant',
      now: () => now,
    });
    // Act
    progress.addTotal(10);
    progress.totalKnown();
    for (let i = 0; i < 4; i++) progress.tick({ failed: i === 0 });
    now = 2_000;
    progress.stop();
    // Assess
    const last = stderr
      .text()
      .replaceAll(String.fromCharCode(27), '\n')
      .split(/\r|\n/)
      .filter((l) => l.includes('verify'))
      .at(-1);
    expect(last).toContain('4/10');
    expect(last).toContain('2.0/s');
    expect(last).toContain('ETA 3s');
    expect(last).toContain('not compliant 1');
  });

  it('marks the total as growing and the ETA as unknown while listing', () => {
    // Prepare
    const stderr = captured(true);
    const progress = createProgress(stderr, { label: 'verify', now: () => 1_000 });
    // Act
    progress.addTotal(1000);
    progress.tick();
    progress.stop();
    // Assess
    expect(stderr.text()).toContain('1/1000+');
    expect(stderr.text()).toContain('ETA ?');
  });
});

describe('formatSeconds', () => {
  it.each([
    [4.4, '4s'],
    [75, '1m15s'],
    [3 * 3600 + 5 * 60, '3h05m'],
  ])('formats %s seconds as %s', (s, text) => {
    expect(formatSeconds(s)).toBe(text);
  });
});

describe('createProgress estimates', () => {
  it('replaces an estimated total and never shows less than what is done', () => {
    // Prepare
    const stderr = captured(true);
    const progress = createProgress(stderr, { label: 'plan' });
    // Act
    progress.setTotal(100);
    for (let i = 0; i < 5; i++) progress.tick();
    progress.setTotal(3);
    progress.totalKnown();
    progress.stop();
    // Assess
    const last = stderr
      .text()
      .replaceAll(String.fromCharCode(27), '\n')
      .split(/\r|\n/)
      .filter((l) => l.includes('plan ['))
      .at(-1);
    expect(last).toContain('5/5 ');
  });
});
