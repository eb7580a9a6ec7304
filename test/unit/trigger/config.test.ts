import { describe, expect, it } from 'vitest';
import type { AwsSettings } from '../../../src/aws/clients.js';
import { ConfigError } from '../../../src/config/errors.js';
import { DEFAULT_SINGLE_RUN_MAX_BYTES, loadTriggerConfig } from '../../../src/config/trigger.js';

const aws = (endpoint?: string): AwsSettings => ({
  region: 'eu-west-2',
  endpoints: endpoint ? { s3: endpoint } : {},
  maxAttempts: 3,
  retryMode: 'standard',
  maxSockets: 64,
});

const env = (overrides: Record<string, string | undefined> = {}) => ({
  MANIFEST_BUCKET: 'manifests-bucket',
  REPORT_BUCKET: 'reports-bucket',
  BATCH_ROLE_ARN: 'arn:aws:iam::111122223333:role/s3-reencrypt-batch',
  REENCRYPT_FUNCTION_ARN: 'arn:aws:lambda:eu-west-2:111122223333:function:s3-reencrypt-object:live',
  TARGET_KEY_ARN: 'alias/data',
  ...overrides,
});

describe('loadTriggerConfig', () => {
  it('fills defaults and takes the account from the role', () => {
    // Act
    const c = loadTriggerConfig(env(), aws());
    // Assess
    expect(c).toEqual({
      accountId: '111122223333',
      region: 'eu-west-2',
      roleArn: 'arn:aws:iam::111122223333:role/s3-reencrypt-batch',
      functionArn: 'arn:aws:lambda:eu-west-2:111122223333:function:s3-reencrypt-object:live',
      targetKey: 'alias/data',
      bucketKey: true,
      strategy: 'auto',
      multipartThresholdBytes: 5 * 1024 ** 3,
      deletePriorVersion: false,
      preflight: 'head',
      selection: { includePrefixes: [], excludePrefixes: [], versions: 'current', reencryptAllSseKms: false },
      updateAvailable: true,
      nativeUpdateJob: false,
      manifests: { bucket: 'manifests-bucket', prefix: 'manifests' },
      reports: { bucket: 'reports-bucket', prefix: 'reports', scope: 'AllTasks' },
      priority: 10,
      confirmationRequired: false,
      managedBuckets: [],
      singleRunMaxBytes: DEFAULT_SINGLE_RUN_MAX_BYTES,
      splitFanOut: 'in-process',
    });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.selection)).toBe(true);
  });

  it('reads the filters, job options and lists', () => {
    // Act
    const c = loadTriggerConfig(
      env({
        INCLUDE_PREFIXES: 'a/, b/',
        EXCLUDE_PREFIXES: 'a/tmp/',
        MIN_SIZE_BYTES: '1',
        MAX_SIZE_BYTES: '99',
        VERSIONS: 'all',
        REENCRYPT_ALL_SSE_KMS: 'true',
        JOB_PRIORITY: '50',
        CONFIRMATION_REQUIRED: 'true',
        MANAGED_BUCKETS: 'x,y',
        REPORT_PREFIX: '/reencrypt/reports/',
        NATIVE_UPDATE_JOB: 'true',
      }),
      aws(),
    );
    // Assess
    expect(c.selection).toEqual({
      includePrefixes: ['a/', 'b/'],
      excludePrefixes: ['a/tmp/'],
      minSizeBytes: 1,
      maxSizeBytes: 99,
      versions: 'all',
      reencryptAllSseKms: true,
    });
    expect(c).toMatchObject({
      priority: 50,
      confirmationRequired: true,
      managedBuckets: ['x', 'y'],
      nativeUpdateJob: true,
    });
    expect(c.reports.prefix).toBe('reencrypt/reports');
  });

  it('turns the update route off for a custom S3 endpoint unless told otherwise', () => {
    expect(loadTriggerConfig(env(), aws('http://127.0.0.1:5000')).updateAvailable).toBe(false);
    expect(
      loadTriggerConfig(env({ UPDATE_OBJECT_ENCRYPTION: 'on' }), aws('http://127.0.0.1:5000'))
        .updateAvailable,
    ).toBe(true);
  });

  it.each([
    ['MANIFEST_BUCKET', { MANIFEST_BUCKET: undefined }, /MANIFEST_BUCKET is required/],
    ['BATCH_ROLE_ARN', { BATCH_ROLE_ARN: 'my-role' }, /BATCH_ROLE_ARN must be an IAM role ARN/],
    ['REENCRYPT_FUNCTION_ARN', { REENCRYPT_FUNCTION_ARN: 'fn' }, /must be a Lambda function ARN/],
    ['TARGET_KEY_ARN', { TARGET_KEY_ARN: 'my key' }, /KMS key ARN, key id, alias/],
    ['STRATEGY', { STRATEGY: 'fast' }, /STRATEGY must be one of auto, copy, update/],
    ['PREFLIGHT', { PREFLIGHT: 'none' }, /PREFLIGHT must be one of head, inventory/],
    [
      'MIN_SIZE_BYTES',
      { MIN_SIZE_BYTES: '10', MAX_SIZE_BYTES: '5' },
      /MIN_SIZE_BYTES \(10\) is above MAX_SIZE_BYTES/,
    ],
    [
      'NATIVE_UPDATE_JOB',
      { NATIVE_UPDATE_JOB: 'true', STRATEGY: 'copy' },
      /NATIVE_UPDATE_JOB needs the update route, but STRATEGY is copy/,
    ],
    ['JOB_PRIORITY', { JOB_PRIORITY: '-1' }, /JOB_PRIORITY must be at least 0/],
  ])('names %s when it is wrong', (variable, overrides, message) => {
    // Act
    const act = () => loadTriggerConfig(env(overrides), aws());
    // Assess
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(message);
    try {
      act();
    } catch (e) {
      expect((e as ConfigError).variable).toBe(variable);
    }
  });
});
