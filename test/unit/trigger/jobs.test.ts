import { describe, expect, it } from 'vitest';
import type { InventoryManifest } from '../../../src/inventory/types.js';
import { clientRequestToken, jobRequest } from '../../../src/trigger/jobs.js';
import { triggerSettings } from '../../helpers/inventory.js';

const manifest = (etag = 'e1', key = 'inv/data-bucket/cfg/2024-05-06T00-00Z/manifest.json') =>
  ({
    ref: { bucket: 'inventory-bucket', key },
    etag,
    sourceBucket: 'data-bucket',
  }) as InventoryManifest;
const location = {
  destinationPrefix: 'inv',
  sourceBucket: 'data-bucket',
  configId: 'cfg',
  timestamp: '2024-05-06T00-00Z',
};
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
const output = (kind: 'lambda-hinted' | 'lambda-plain' | 'update') => ({
  kind,
  bucket: 'manifests-bucket',
  key: `m/${kind}.csv`,
  etag: 'abc123',
  versionId: 'v9',
  bytes: 10,
  rows: 2,
  fields: ['Bucket', 'Key', 'VersionId'] as const,
});

describe('clientRequestToken', () => {
  it('is the same for the same delivery and job kind, and within CreateJob limits', () => {
    const t = clientRequestToken(manifest(), 'lambda-hinted');
    expect(t).toBe(clientRequestToken(manifest(), 'lambda-hinted'));
    expect(t).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['another ETag', manifest('e2'), 'lambda-hinted'],
    [
      'another manifest key',
      manifest('e1', 'inv/data-bucket/cfg/2024-05-07T00-00Z/manifest.json'),
      'lambda-hinted',
    ],
    ['another job kind', manifest(), 'lambda-plain'],
  ] as const)('differs for %s', (_name, m, kind) => {
    expect(clientRequestToken(m, kind)).not.toBe(clientRequestToken(manifest(), 'lambda-hinted'));
  });
});

describe('jobRequest', () => {
  it('builds a schema 2.0 LambdaInvoke job with user arguments, AllTasks report, tags and token', () => {
    // Act
    const r = jobRequest(
      triggerSettings({ confirmationRequired: true, priority: 42, multipartThresholdBytes: 1024 }),
      manifest(),
      location,
      output('lambda-hinted'),
      KEY,
    );
    // Assess
    expect(r).toEqual({
      accountId: '123456789012',
      clientRequestToken: clientRequestToken(manifest(), 'lambda-hinted'),
      operation: {
        kind: 'LambdaInvoke',
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:s3-reencrypt-object:live',
        invocationSchemaVersion: '2.0',
        userArguments: {
          targetKeyArn: KEY,
          bucketKey: 'true',
          strategy: 'auto',
          multipartThresholdBytes: '1024',
          deletePriorVersion: 'false',
          hints: '1',
        },
      },
      manifest: {
        format: 'S3BatchOperations_CSV_20180820',
        bucket: 'manifests-bucket',
        key: 'm/lambda-hinted.csv',
        etag: 'abc123',
        fields: ['Bucket', 'Key', 'VersionId'],
        versionId: 'v9',
      },
      report: { bucket: 'reports-bucket', prefix: 'reencrypt/reports', scope: 'AllTasks' },
      priority: 42,
      roleArn: 'arn:aws:iam::123456789012:role/s3-reencrypt-batch',
      confirmationRequired: true,
      description: 's3-reencrypt data-bucket inventory 2024-05-06T00-00Z (lambda-hinted)',
      tags: [
        { key: 's3-reencrypt:source-bucket', value: 'data-bucket' },
        { key: 's3-reencrypt:inventory', value: 'cfg/2024-05-06T00-00Z' },
        { key: 's3-reencrypt:job-kind', value: 'lambda-hinted' },
      ],
    });
  });

  it('passes preflight=inventory to the hinted job only', () => {
    const settings = triggerSettings({ preflight: 'inventory' });
    const args = (kind: 'lambda-hinted' | 'lambda-plain') => {
      const r = jobRequest(settings, manifest(), location, output(kind), KEY);
      return r.operation.kind === 'LambdaInvoke' ? r.operation.userArguments : {};
    };
    expect(args('lambda-hinted')).toMatchObject({ hints: '1', preflight: 'inventory' });
    expect(args('lambda-plain')).not.toHaveProperty('preflight');
  });

  it('leaves hints out of the plain manifest job', () => {
    const r = jobRequest(triggerSettings(), manifest(), location, output('lambda-plain'), KEY);
    expect(r.operation.kind === 'LambdaInvoke' && r.operation.userArguments).not.toHaveProperty('hints');
  });

  it('builds a native S3UpdateObjectEncryption job for update rows', () => {
    const r = jobRequest(triggerSettings({ bucketKey: false }), manifest(), location, output('update'), KEY);
    expect(r.operation).toEqual({
      kind: 'S3UpdateObjectEncryption',
      kmsKeyArn: KEY,
      bucketKeyEnabled: false,
    });
  });
});
