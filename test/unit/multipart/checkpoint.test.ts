import { describe, expect, it } from 'vitest';
import {
  type Checkpoint,
  checkpointKey,
  parseCheckpoint,
} from '../../../src/reencrypt/multipart/checkpoint.js';

const valid: Checkpoint = {
  version: 1,
  bucket: 'data-bucket',
  key: 'big/object.bin',
  versionId: 'v1',
  sourceEtag: '"abc"',
  size: 12,
  uploadId: 'upload-1',
  partSize: 5,
  partsTotal: 3,
  parts: [{ partNumber: 1, etag: '"p1"', checksum: { algorithm: 'CRC32', value: 'AAAAAA==' } }],
  invocations: 2,
  createdAt: '2026-03-01T00:00:00.000Z',
  updatedAt: '2026-03-01T00:10:00.000Z',
};

describe('checkpointKey', () => {
  it('names one checkpoint per object key whatever its version or ETag, under the prefix', () => {
    // Act
    const a = checkpointKey('checkpoints/', { bucket: 'b', key: 'k' });
    const again = checkpointKey('checkpoints/', { bucket: 'b', key: 'k' });
    const otherKey = checkpointKey('checkpoints/', { bucket: 'b', key: 'k2' });
    const otherBucket = checkpointKey('checkpoints/', { bucket: 'b2', key: 'k' });
    const long = checkpointKey('checkpoints/', { bucket: 'b', key: 'x'.repeat(1024) });
    // Assess
    expect(a).toMatch(/^checkpoints\/b\/[0-9a-f]{64}\.json$/);
    expect(again).toBe(a);
    expect(new Set([a, otherKey, otherBucket]).size).toBe(3);
    expect(long.length).toBeLessThan(100);
  });
});

describe('parseCheckpoint', () => {
  it('accepts a checkpoint it wrote', () => {
    expect(parseCheckpoint(JSON.stringify(valid))).toEqual({ kind: 'found', checkpoint: valid });
  });

  it.each([
    { name: 'text that is not JSON', text: '{', problem: 'not JSON', uploadId: undefined },
    { name: 'a JSON array', text: '[]', problem: 'not a JSON object', uploadId: undefined },
    {
      name: 'another version',
      text: JSON.stringify({ ...valid, version: 2 }),
      problem: 'unknown version 2',
      uploadId: 'upload-1',
    },
    {
      name: 'no upload id',
      text: JSON.stringify({ ...valid, uploadId: '' }),
      problem: 'no uploadId',
      uploadId: undefined,
    },
    {
      name: 'a negative size',
      text: JSON.stringify({ ...valid, size: -1 }),
      problem: 'size is not a non-negative integer',
      uploadId: 'upload-1',
    },
    {
      name: 'a part without ETag',
      text: JSON.stringify({ ...valid, parts: [{ partNumber: 1 }] }),
      problem: 'parts is malformed',
      uploadId: 'upload-1',
    },
    {
      name: 'a numeric ETag',
      text: JSON.stringify({ ...valid, sourceEtag: 7 }),
      problem: 'sourceEtag is not a string',
      uploadId: 'upload-1',
    },
  ])('names the problem with $name and keeps the upload id it can', ({ text, problem, uploadId }) => {
    // Act
    const parsed = parseCheckpoint(text);
    // Assess
    expect(parsed).toEqual(uploadId ? { kind: 'corrupt', uploadId, problem } : { kind: 'corrupt', problem });
  });
});
