import { describe, expect, it } from 'vitest';
import { lineDiff } from '../../../src/enforce/diff.js';

describe('lineDiff', () => {
  it('returns nothing for equal texts', () => {
    expect(lineDiff('a\nb', 'a\nb')).toBe('');
  });

  it('marks added and removed lines and keeps the context around them', () => {
    // Act
    const diff = lineDiff('a\nb\nc', 'a\nB\nc\nd');
    // Assess
    expect(diff.split('\n')).toEqual(['  a', '- b', '+ B', '  c', '+ d']);
  });

  it('collapses unchanged runs longer than the context', () => {
    // Prepare
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace('line 10', 'line ten');
    // Act
    const lines = lineDiff(before, after, 2).split('\n');
    // Assess
    expect(lines).toEqual([
      '@@ ... @@',
      '  line 8',
      '  line 9',
      '- line 10',
      '+ line ten',
      '  line 11',
      '  line 12',
      '@@ ... @@',
    ]);
  });

  it('shows a whole new text as added', () => {
    expect(lineDiff('', 'x\ny')).toBe('+ x\n+ y');
  });
});
