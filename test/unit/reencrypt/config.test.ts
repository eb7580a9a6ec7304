import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/errors.js';
import { loadReencryptConfig } from '../../../src/config/reencrypt.js';
import { SINGLE_COPY_LIMIT_BYTES } from '../../../src/reencrypt/types.js';
import { TARGET_KEY_ARN } from './support/events.js';

describe('loadReencryptConfig', () => {
  it('applies the defaults to an empty environment', () => {
    // Act
    const c = loadReencryptConfig({});
    // Assess
    expect(c).toEqual({
      bucketKey: true,
      strategy: 'auto',
      multipartThresholdBytes: SINGLE_COPY_LIMIT_BYTES,
      deletePriorVersion: false,
      preflight: 'head',
      allowUpdateOnCustomEndpoint: false,
      taskConcurrency: 4,
      deadlineMarginMs: 15_000,
      serviceName: 's3-reencrypt',
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads every variable', () => {
    const c = loadReencryptConfig({
      TARGET_KEY_ARN,
      BUCKET_KEY: 'false',
      STRATEGY: 'copy',
      MULTIPART_THRESHOLD_BYTES: '1048576',
      DELETE_PRIOR_VERSION: 'true',
      PREFLIGHT: 'inventory',
      ALLOW_UPDATE_ON_CUSTOM_ENDPOINT: 'true',
      CHECKPOINT_BUCKET: 'work-bucket',
      CHECKPOINT_PREFIX: 'cp/',
      TASK_CONCURRENCY: '2',
      DEADLINE_MARGIN_MS: '5000',
    });
    expect(c).toMatchObject({
      target: { keyArn: TARGET_KEY_ARN, bucketKey: false },
      bucketKey: false,
      strategy: 'copy',
      multipartThresholdBytes: 1_048_576,
      deletePriorVersion: true,
      preflight: 'inventory',
      allowUpdateOnCustomEndpoint: true,
      checkpoints: { bucket: 'work-bucket', prefix: 'cp/' },
      taskConcurrency: 2,
      deadlineMarginMs: 5000,
    });
  });

  it.each([
    ['TARGET_KEY_ARN', 'alias/my-key'],
    ['BUCKET_KEY', 'perhaps'],
    ['STRATEGY', 'fast'],
    ['PREFLIGHT', 'none'],
    ['MULTIPART_THRESHOLD_BYTES', '0'],
    ['MULTIPART_THRESHOLD_BYTES', 'lots'],
    ['ALLOW_UPDATE_ON_CUSTOM_ENDPOINT', 'sure'],
    ['TASK_CONCURRENCY', '0'],
  ])('names %s when it is set to "%s"', (variable, value) => {
    expect(() => loadReencryptConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadReencryptConfig({ [variable]: value })).toThrow(
      expect.objectContaining({ variable }) as never,
    );
  });
});
