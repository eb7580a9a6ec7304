import { describe, expect, it } from 'vitest';
import type { Route } from '../../../src/batch/result-string.js';
import { checkObject, type ObjectState } from '../../../src/demo/verify.js';

const TARGET = 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000001';
const OTHER = 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000002';

const sseS3: ObjectState = {
  versionId: 'v1',
  lastModified: '2026-11-01T00:00:00.000Z',
  algorithm: 'AES256',
  bucketKey: false,
  sha256: 'aa',
};
const compliant = (over: Partial<ObjectState> = {}): ObjectState => ({
  versionId: 'v2',
  lastModified: '2026-11-01T00:01:00.000Z',
  algorithm: 'aws:kms',
  kmsKeyId: TARGET,
  bucketKey: true,
  sha256: 'aa',
  ...over,
});
const options = { targetKeyArn: TARGET, bucketKey: true, multipartDropsBucketKey: true };

describe('demo verification of one object', () => {
  it.each<{
    case: string;
    expected: Route;
    route: Route | 'none';
    before: ObjectState;
    after: ObjectState;
    problems: RegExp[];
  }>([
    {
      case: 'copied and compliant',
      expected: 'copy',
      route: 'copy',
      before: sseS3,
      after: compliant(),
      problems: [],
    },
    {
      case: 'reported copied but still SSE-S3',
      expected: 'copy',
      route: 'copy',
      before: sseS3,
      after: sseS3,
      problems: [/ended as AES256/, /Bucket Key is off/],
    },
    {
      case: 'under another key',
      expected: 'copy',
      route: 'copy',
      before: sseS3,
      after: compliant({ kmsKeyId: OTHER }),
      problems: [/ended as aws:kms .*0002/],
    },
    {
      case: 'bytes changed',
      expected: 'copy',
      route: 'copy',
      before: sseS3,
      after: compliant({ sha256: 'bb' }),
      problems: [/bytes changed/],
    },
    {
      case: 'took another route',
      expected: 'multipart',
      route: 'copy',
      before: sseS3,
      after: compliant(),
      problems: [/expected route multipart, the report says copy/],
    },
    {
      case: 'compliant left alone',
      expected: 'skip',
      route: 'skip',
      before: compliant(),
      after: compliant(),
      problems: [],
    },
    {
      case: 'compliant filtered out by the trigger',
      expected: 'skip',
      route: 'none',
      before: compliant(),
      after: compliant(),
      problems: [],
    },
    {
      case: 'compliant but rewritten',
      expected: 'skip',
      route: 'skip',
      before: compliant(),
      after: compliant({ versionId: 'v3' }),
      problems: [/rewritten/],
    },
    {
      case: 'blocked and left alone',
      expected: 'blocked',
      route: 'blocked',
      before: { ...sseS3, sha256: undefined },
      after: { ...sseS3, sha256: undefined },
      problems: [],
    },
    {
      case: 'blocked expected but never refused',
      expected: 'blocked',
      route: 'none',
      before: sseS3,
      after: sseS3,
      problems: [/expected route blocked/],
    },
  ])('$case', ({ expected, route, before, after, problems }) => {
    // Act
    const result = checkObject({ expectedRoute: expected }, route, before, after, options);
    // Assess
    expect(result.problems).toEqual(problems.map((p) => expect.stringMatching(p)));
  });

  it('allows for moto dropping Bucket Key on a multipart upload, and says so', () => {
    // Act
    const result = checkObject(
      { expectedRoute: 'multipart' },
      'multipart',
      sseS3,
      compliant({ bucketKey: false }),
      options,
    );
    // Assess
    expect(result.problems).toEqual([]);
    expect(result.allowance).toMatch(/moto drops BucketKeyEnabled on multipart uploads/);
  });

  it('does not allow a missing Bucket Key on the copy route', () => {
    // Act
    const result = checkObject(
      { expectedRoute: 'copy' },
      'copy',
      sseS3,
      compliant({ bucketKey: false }),
      options,
    );
    // Assess
    expect(result.problems).toEqual(['Bucket Key is off']);
    expect(result.allowance).toBeUndefined();
  });
});
