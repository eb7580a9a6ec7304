/**
 * The retry policy, layer by layer, as configured (the behaviour under faults is shown on moto in
 * test/integration/reliability/faults.test.ts):
 * 1. the AWS SDK retries each request (AWS_MAX_ATTEMPTS, default 3; AWS_RETRY_MODE, default standard);
 * 2. what still fails is classified; throttling, 5xx, resets and precondition races answer TemporaryFailure;
 * 3. Batch (or the local engine: 5 redrives, equal-jitter back-off from 1 s doubling to at most 30 s)
 *    redrives the task.
 */
import { describe, expect, it } from 'vitest';
import { awsSettingsFromEnv, makeS3Client } from '../../../src/aws/clients.js';
import { DEFAULT_REDRIVE_POLICY, redriveDelayMs } from '../../../src/jobs/local/redrive.js';

describe('SDK retries', () => {
  it.each([
    [{}, 3, 'standard', 'StandardRetryStrategy'],
    [{ AWS_MAX_ATTEMPTS: '6', AWS_RETRY_MODE: 'adaptive' }, 6, 'adaptive', 'AdaptiveRetryStrategy'],
  ] as const)('with %j every client makes %i attempts in %s mode', async (env, attempts, mode, strategy) => {
    // Act
    const settings = awsSettingsFromEnv(env);
    const s3 = makeS3Client(settings);
    // Assess: the settings, and the strategy the SDK client resolved from them
    expect(settings).toMatchObject({ maxAttempts: attempts, retryMode: mode });
    expect(await s3.config.maxAttempts()).toBe(attempts);
    const resolved = await s3.config.retryStrategy();
    expect(resolved.constructor.name).toBe(strategy);
    expect((resolved as { mode?: string }).mode).toBe(mode);
  });
});

describe('local engine redrives', () => {
  it('redrives a TemporaryFailure at most 5 times, starting after 1 s, never waiting more than 30 s', () => {
    expect(DEFAULT_REDRIVE_POLICY).toEqual({ maxRedrives: 5, baseDelayMs: 1_000, maxDelayMs: 30_000 });
  });

  it.each([
    [1, 500, 1_000],
    [2, 1_000, 2_000],
    [3, 2_000, 4_000],
    [4, 4_000, 8_000],
    [5, 8_000, 16_000],
    [6, 15_000, 30_000],
  ])('before redrive %i it waits between %i and %i ms (half fixed, half jitter)', (redrive, min, max) => {
    // Act
    const low = redriveDelayMs(DEFAULT_REDRIVE_POLICY, redrive, () => 0);
    const high = redriveDelayMs(DEFAULT_REDRIVE_POLICY, redrive, () => 1);
    // Assess
    expect([low, high]).toEqual([min, max]);
  });

  it('bounds the back-off of one task to 31 s in all (5 redrives)', () => {
    const worst = Array.from({ length: DEFAULT_REDRIVE_POLICY.maxRedrives }, (_, i) =>
      redriveDelayMs(DEFAULT_REDRIVE_POLICY, i + 1, () => 1),
    ).reduce((a, b) => a + b, 0);
    expect(worst).toBe(31_000);
  });
});
