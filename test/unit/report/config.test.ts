import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/errors.js';
import { loadReportConfig } from '../../../src/config/report.js';

const KEY = 'arn:aws:kms:eu-west-2:111122223333:key/00000000-0000-0000-0000-000000000000';
const retryEnv = {
  MAX_RETRY_JOBS: '2',
  BATCH_ROLE_ARN: 'arn:aws:iam::111122223333:role/s3-reencrypt-batch',
  REENCRYPT_FUNCTION_ARN: 'arn:aws:lambda:eu-west-2:111122223333:function:s3-reencrypt-prod-reencrypt-object',
  TARGET_KEY_ARN: KEY,
  ACCOUNT_ID: '111122223333',
};

describe('loadReportConfig', () => {
  it('has safe defaults: no retry jobs, keys decoded, five samples, us-east-1 fallback prices', () => {
    // Act
    const c = loadReportConfig({});
    // Assess
    expect(c).toMatchObject({
      reportPrefix: '',
      sampleKeys: 5,
      keysEncoded: true,
      retry: { enabled: false, maxAttempts: 0 },
      cost: { region: 'us-east-1', fallbackRegion: 'us-east-1', bucketKey: true, storageClass: 'STANDARD' },
      claimMs: 900_000,
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads the deployed environment', () => {
    // Act
    const c = loadReportConfig({
      ...retryEnv,
      REPORT_BUCKET: 'work',
      REPORT_PREFIX: 'reports/',
      TOPIC_ARN: 'arn:aws:sns:eu-west-2:111122223333:s3-reencrypt',
      AWS_REGION: 'eu-west-2',
      BUCKET_KEY: 'false',
      STRATEGY: 'copy',
      RETRY_MANIFEST_BUCKET: 'work',
      RETRY_MANIFEST_PREFIX: 'manifests/retries',
    });
    // Assess
    expect(c.reportPrefix).toBe('reports');
    expect(c.retry).toMatchObject({
      enabled: true,
      maxAttempts: 2,
      userArguments: { targetKeyArn: KEY, bucketKey: 'false', strategy: 'copy' },
    });
    expect(c.retryManifest).toEqual({ bucket: 'work', prefix: 'manifests/retries' });
    expect(c.cost).toMatchObject({ region: 'eu-west-2', bucketKey: false });
    expect(c.topicArn).toBe('arn:aws:sns:eu-west-2:111122223333:s3-reencrypt');
  });

  it.each([
    [{ MAX_RETRY_JOBS: '2' }, 'BATCH_ROLE_ARN'],
    [{ ...retryEnv, TARGET_KEY_ARN: undefined }, 'TARGET_KEY_ARN'],
    [{ BATCH_ROLE_ARN: 'role/batch' }, 'BATCH_ROLE_ARN'],
    [{ TARGET_KEY_ARN: 'alias/mine' }, 'TARGET_KEY_ARN'],
    [{ REPORT_SAMPLE_KEYS: '500' }, 'REPORT_SAMPLE_KEYS'],
    [{ COST_FALLBACK_REGION: 'mars-1' }, 'COST_FALLBACK_REGION'],
    [{ TOPIC_ARN: 'my-topic' }, 'TOPIC_ARN'],
    [{ ASSUMED_STORAGE_CLASS: 'COLD' }, 'ASSUMED_STORAGE_CLASS'],
  ])('names the variable at fault in %o', (env, variable) => {
    // Act / Assess
    expect(() => loadReportConfig(env)).toThrow(ConfigError);
    expect(() => loadReportConfig(env)).toThrow(variable);
  });

  it('lets an unknown region fail the cost section when the fallback is turned off', () => {
    // Act
    const c = loadReportConfig({ AWS_REGION: 'ap-south-2', COST_FALLBACK_REGION: 'none' });
    // Assess
    expect(c.cost.region).toBe('ap-south-2');
    expect(c.cost.fallbackRegion).toBeUndefined();
  });
});
