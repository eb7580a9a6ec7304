import { describe, expect, it } from 'vitest';
import {
  choosePartSize,
  DEFAULT_PART_SIZE_BYTES,
  MultipartLimits,
  partLength,
  planParts,
} from '../../../src/reencrypt/multipart/part-plan.js';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const TiB = 1024 ** 4;

describe('choosePartSize', () => {
  it.each([
    { name: 'a 1-byte object', size: 1, preferred: 5 * MiB, expected: 5 * MiB },
    {
      name: 'a 5 TB object at the default',
      size: 5e12,
      preferred: DEFAULT_PART_SIZE_BYTES,
      expected: 512 * MiB,
    },
    {
      name: 'exactly 10,000 preferred parts',
      size: 10_000 * 512 * MiB,
      preferred: 512 * MiB,
      expected: 512 * MiB,
    },
    {
      name: 'one byte past 10,000 parts',
      size: 10_000 * 512 * MiB + 1,
      preferred: 512 * MiB,
      expected: 513 * MiB,
    },
    {
      name: 'a 10 TiB object with 5 MiB preferred',
      size: 10 * TiB,
      preferred: 5 * MiB,
      expected: 1049 * MiB,
    },
    {
      name: "S3's largest object (48.8 TiB)",
      size: MultipartLimits.maxObjectBytes,
      preferred: 5 * MiB,
      expected: 5 * GiB,
    },
  ])('keeps or raises the preferred size for $name', ({ size, preferred, expected }) => {
    // Act
    const partSize = choosePartSize(size, preferred);
    // Assess
    expect(partSize).toBe(expected);
    expect(Math.ceil(size / partSize)).toBeLessThanOrEqual(MultipartLimits.maxParts);
  });

  it.each([
    { name: 'below 5 MiB', preferred: 5 * MiB - 1 },
    { name: 'above 5 GiB', preferred: 5 * GiB + 1 },
    { name: 'fractional', preferred: 5 * MiB + 0.5 },
  ])('rejects a preferred part size $name', ({ preferred }) => {
    expect(() => choosePartSize(10 * MiB, preferred)).toThrow(/partSizeBytes must be an integer between/);
  });

  it('rejects an object larger than 10,000 parts of 5 GiB', () => {
    expect(() => choosePartSize(MultipartLimits.maxObjectBytes + 1)).toThrow(/exceeds S3's largest object/);
  });

  it('rejects a negative size', () => {
    expect(() => choosePartSize(-1)).toThrow(RangeError);
  });
});

describe('planParts', () => {
  it.each([
    { name: 'an empty object', size: 0, parts: 1, lastLength: 0 },
    { name: 'one part smaller than the part size', size: 3 * MiB, parts: 1, lastLength: 3 * MiB },
    { name: 'exactly one part', size: 5 * MiB, parts: 1, lastLength: 5 * MiB },
    { name: 'one byte past a part boundary', size: 5 * MiB + 1, parts: 2, lastLength: 1 },
    { name: 'exactly two parts', size: 10 * MiB, parts: 2, lastLength: 5 * MiB },
    { name: 'an uneven last part', size: 12 * MiB + 123, parts: 3, lastLength: 2 * MiB + 123 },
  ])('splits $name into contiguous ranges', ({ size, parts, lastLength }) => {
    // Act
    const plan = planParts(size, 5 * MiB);
    // Assess
    expect(plan.parts).toHaveLength(parts);
    expect(plan.parts.map((p) => p.partNumber)).toEqual(Array.from({ length: parts }, (_, i) => i + 1));
    expect(plan.parts[0]?.first).toBe(0);
    for (const [i, p] of plan.parts.entries()) {
      if (i > 0) expect(p.first).toBe((plan.parts[i - 1]?.last ?? Number.NaN) + 1);
      if (i < parts - 1) expect(partLength(p)).toBe(plan.partSize);
    }
    expect(plan.parts.at(-1)?.last).toBe(size - 1);
    expect(partLength(plan.parts.at(-1) ?? { partNumber: 0, first: 0, last: -1 })).toBe(lastLength);
  });

  it("plans S3's largest object as exactly 10,000 parts of 5 GiB", () => {
    // Act
    const plan = planParts(MultipartLimits.maxObjectBytes, DEFAULT_PART_SIZE_BYTES);
    // Assess
    expect(plan.partSize).toBe(5 * GiB);
    expect(plan.parts).toHaveLength(10_000);
    expect(plan.parts.at(-1)).toEqual({
      partNumber: 10_000,
      first: 9_999 * 5 * GiB,
      last: 10_000 * 5 * GiB - 1,
    });
  });

  it('keeps every part but the last within 5 MiB–5 GiB for a 5 TB object', () => {
    // Act
    const plan = planParts(5e12);
    // Assess
    expect(plan.parts).toHaveLength(Math.ceil(5e12 / (512 * MiB)));
    const full = plan.parts.slice(0, -1).map(partLength);
    expect(Math.min(...full)).toBeGreaterThanOrEqual(MultipartLimits.minPartBytes);
    expect(Math.max(...full)).toBeLessThanOrEqual(MultipartLimits.maxPartBytes);
  });
});
