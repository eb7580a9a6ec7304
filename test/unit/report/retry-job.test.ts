import { describe, expect, it } from 'vitest';
import { validateCreateJobRequest } from '../../../src/jobs/validate.js';
import { retryDescription, retryJobRequest, retryLineage } from '../../../src/report/retry-job.js';
import { isRetryable } from '../../../src/report/retry-policy.js';

const settings = {
  enabled: true,
  maxAttempts: 2,
  accountId: '111122223333',
  roleArn: 'arn:aws:iam::111122223333:role/batch',
  functionArn: 'arn:aws:lambda:us-east-1:111122223333:function:reencrypt',
  userArguments: {
    targetKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000',
    bucketKey: 'true',
    strategy: 'auto',
    hints: '1',
  },
  priority: 10,
  confirmationRequired: false,
};
const manifest = {
  bucket: 'work',
  key: 'reports/job-a/retry-manifest.csv',
  etag: '0cc175b9c0f1b6a831c399e269772661',
  rows: 3,
  versioned: false,
  hinted: false,
};

describe('isRetryable', () => {
  it.each([
    ['throttled', '', true],
    ['server-error', 'PermanentFailure', true],
    ['precondition-failed', 'PermanentFailure', true],
    ['lambda-error', 'PermanentFailure', true],
    ['deadline', 'TemporaryFailure', true],
    ['access-denied', 'TemporaryFailure', false],
    ['sse-c', 'PermanentFailure', false],
    ['archived-restore-first', 'PermanentFailure', false],
    ['kms-key-disabled', 'PermanentFailure', false],
    ['not-found', 'PermanentFailure', false],
    ['unknown', 'TemporaryFailure', true],
    ['unknown', 'PermanentFailure', false],
    [undefined, 'TemporaryFailure', true],
    [undefined, '', false],
  ] as const)('treats cause %s with error code "%s" as retryable=%s', (cause, code, expected) => {
    // Act / Assess
    expect(isRetryable(cause, code)).toBe(expected);
  });
});

describe('retryLineage', () => {
  it.each([
    [undefined, { attempt: 0, rootJobId: 'job-x' }],
    ['re-encrypt inventory 2026-05-01', { attempt: 0, rootJobId: 'job-x' }],
    [retryDescription(1, 2, 'root-1'), { attempt: 1, rootJobId: 'root-1' }],
    [retryDescription(2, 3, 'root-1'), { attempt: 2, rootJobId: 'root-1' }],
  ])('reads %s', (description, expected) => {
    // Act / Assess
    expect(retryLineage('job-x', description)).toEqual(expected);
  });
});

describe('retryJobRequest', () => {
  it('builds a valid LambdaInvoke job over the retry manifest with lineage in description and tags', () => {
    // Act
    const r = retryJobRequest({
      jobId: 'job-a',
      lineage: { attempt: 0, rootJobId: 'job-a' },
      manifest,
      settings,
      report: { bucket: 'work', prefix: 'reports' },
      digest: 'sha256:1',
    });
    // Assess
    expect(() => validateCreateJobRequest(r)).not.toThrow();
    expect(r.description).toBe('s3-reencrypt retry 1/2 of job job-a');
    expect(r.manifest).toEqual({
      format: 'S3BatchOperations_CSV_20180820',
      bucket: 'work',
      key: 'reports/job-a/retry-manifest.csv',
      etag: '0cc175b9c0f1b6a831c399e269772661',
      fields: ['Bucket', 'Key'],
    });
    expect(r.operation).toMatchObject({ kind: 'LambdaInvoke', invocationSchemaVersion: '2.0' });
    expect(r.operation.kind === 'LambdaInvoke' && r.operation.userArguments).toEqual({
      targetKeyArn: settings.userArguments.targetKeyArn,
      bucketKey: 'true',
      strategy: 'auto',
    });
    expect(r.tags).toContainEqual({ key: 's3-reencrypt:attempt', value: '1' });
    expect(r.clientRequestToken).toMatch(/^[0-9a-f]{64}$/);
  });

  it('asks for hints and version ids when the manifest carries them, and counts the generation', () => {
    // Act
    const r = retryJobRequest({
      jobId: 'job-b',
      lineage: { attempt: 1, rootJobId: 'job-a' },
      manifest: { ...manifest, versioned: true, hinted: true },
      settings,
      report: { bucket: 'work', prefix: 'reports' },
      digest: 'sha256:1',
    });
    // Assess
    expect(r.manifest.format === 'S3BatchOperations_CSV_20180820' && r.manifest.fields).toEqual([
      'Bucket',
      'Key',
      'VersionId',
    ]);
    expect(r.operation.kind === 'LambdaInvoke' && r.operation.userArguments?.hints).toBe('1');
    expect(r.description).toBe('s3-reencrypt retry 2/2 of job job-a');
  });

  it('gives the same token for the same report and a new one for another', () => {
    // Prepare
    const args = {
      jobId: 'job-a',
      lineage: { attempt: 0, rootJobId: 'job-a' },
      manifest,
      settings,
      report: { bucket: 'w', prefix: '' },
    };
    // Act
    const a = retryJobRequest({ ...args, digest: 'sha256:1' }).clientRequestToken;
    const b = retryJobRequest({ ...args, digest: 'sha256:1' }).clientRequestToken;
    const c = retryJobRequest({ ...args, digest: 'sha256:2' }).clientRequestToken;
    // Assess
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });
});
