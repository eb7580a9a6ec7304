import { describe, expect, it } from 'vitest';
import { ManifestJoinError } from '../../../src/manifest/errors.js';
import { type JoinPlan, type Piece, planJoin } from '../../../src/manifest/join.js';

const limits = { minPart: 5, maxPart: 12, maxParts: 100 };

/** Every byte of every source exactly once, in order; every part but the last within the limits. */
function assertValid(plan: JoinPlan, sizes: number[]) {
  if (plan.kind !== 'multipart') return;
  const pieces: Piece[] = plan.parts.flatMap((p) => (p.kind === 'copy' ? [p.piece] : p.pieces));
  const expected: [number, number][] = [];
  sizes.forEach((n, s) => {
    for (let i = 0; i < n; i++) expected.push([s, i]);
  });
  expect(
    pieces.flatMap((p) => Array.from({ length: p.end - p.start }, (_, i) => [p.source, p.start + i])),
  ).toEqual(expected);
  plan.parts.forEach((p, i) => {
    const size =
      p.kind === 'copy' ? p.piece.end - p.piece.start : p.pieces.reduce((a, x) => a + x.end - x.start, 0);
    expect(size).toBeLessThanOrEqual(limits.maxPart);
    if (i < plan.parts.length - 1) expect(size).toBeGreaterThanOrEqual(limits.minPart);
  });
}

describe('planJoin', () => {
  it('writes nothing for empty sources', () => {
    expect(planJoin([0, 0], limits)).toEqual({ kind: 'empty' });
  });

  it('uploads a total below the minimum part size in one PUT', () => {
    expect(planJoin([1, 0, 3], limits)).toEqual({
      kind: 'put',
      pieces: [
        { source: 0, start: 0, end: 1 },
        { source: 2, start: 0, end: 3 },
      ],
    });
  });

  it('copies large sources server-side and gathers small ones into minimum-size parts', () => {
    // Act
    const plan = planJoin([6, 2, 7, 1], limits);
    // Assess: [6] copied; [2 + first 3 of 7] uploaded; the 4-byte rest of 7 and the 1 joined as the last part
    expect(plan).toEqual({
      kind: 'multipart',
      parts: [
        { kind: 'copy', piece: { source: 0, start: 0, end: 6 } },
        {
          kind: 'upload',
          pieces: [
            { source: 1, start: 0, end: 2 },
            { source: 2, start: 0, end: 3 },
          ],
        },
        {
          kind: 'upload',
          pieces: [
            { source: 2, start: 3, end: 7 },
            { source: 3, start: 0, end: 1 },
          ],
        },
      ],
    });
  });

  it('splits a source larger than the maximum part without leaving a short middle part', () => {
    // Act: 14 = 9 + 5 rather than 12 + 2 (a 2-byte copy part would be too small)
    const plan = planJoin([14, 3], limits);
    // Assess
    expect(plan.kind === 'multipart' && plan.parts.map((p) => p.kind)).toEqual(['copy', 'copy', 'upload']);
    assertValid(plan, [14, 3]);
  });

  it.each([
    [[5, 5, 5]],
    [[1, 1, 1, 1, 1, 1, 1]],
    [[30, 4, 0, 9, 13]],
    [[4, 100, 2]],
    [[12, 12, 1]],
    [[0, 7]],
  ])('covers every byte once with valid parts for sizes %j', (sizes) => {
    assertValid(planJoin(sizes, limits), sizes);
  });

  it('refuses a join needing more parts than S3 allows', () => {
    expect(() => planJoin([60, 60], { ...limits, maxParts: 4 })).toThrow(ManifestJoinError);
  });
});
