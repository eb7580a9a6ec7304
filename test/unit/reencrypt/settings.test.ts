import { describe, expect, it } from 'vitest';
import type { InvalidTaskError } from '../../../src/reencrypt/errors.js';
import { parseInvocation } from '../../../src/reencrypt/event.js';
import {
  resolveJobSettings,
  type SettingDefaults,
  unknownArguments,
} from '../../../src/reencrypt/settings.js';
import { SINGLE_COPY_LIMIT_BYTES } from '../../../src/reencrypt/types.js';
import { eventV1, eventV2, OTHER_KEY_ARN, TARGET_KEY_ARN } from './support/events.js';

const defaults: SettingDefaults = {
  bucketKey: true,
  strategy: 'auto',
  multipartThresholdBytes: SINGLE_COPY_LIMIT_BYTES,
  deletePriorVersion: false,
};
const task = [{ bucket: 'b-1', key: 'k' }];
const v2 = (args: Record<string, string>) => parseInvocation(eventV2(task, args));

describe('resolveJobSettings', () => {
  it('reads every documented argument of a 2.0 job', () => {
    // Act
    const s = resolveJobSettings(
      v2({
        targetKeyArn: TARGET_KEY_ARN,
        bucketKey: 'false',
        strategy: 'copy',
        hints: '1',
        multipartThresholdBytes: '104857600',
        deletePriorVersion: 'true',
        preflight: 'inventory',
      }),
      defaults,
    );
    // Assess
    expect(s).toEqual({
      target: { keyArn: TARGET_KEY_ARN, bucketKey: false },
      strategy: 'copy',
      hints: true,
      preflight: 'inventory',
      multipartThresholdBytes: 104_857_600,
      deletePriorVersion: true,
    });
  });

  it('applies the documented defaults to a 2.0 job that names only the key', () => {
    expect(resolveJobSettings(v2({ targetKeyArn: TARGET_KEY_ARN }), defaults)).toEqual({
      target: { keyArn: TARGET_KEY_ARN, bucketKey: true },
      strategy: 'auto',
      hints: false,
      preflight: 'head',
      multipartThresholdBytes: SINGLE_COPY_LIMIT_BYTES,
      deletePriorVersion: false,
    });
  });

  it('takes a 1.0 job’s settings from the configuration', () => {
    // Prepare
    const configured = { ...defaults, target: { keyArn: OTHER_KEY_ARN, bucketKey: false }, bucketKey: false };
    // Act
    const s = resolveJobSettings(parseInvocation(eventV1(task)), configured);
    // Assess
    expect(s.target).toEqual({ keyArn: OTHER_KEY_ARN, bucketKey: false });
  });

  it('takes the configured preflight unless the job names one', () => {
    const configured = { ...defaults, preflight: 'inventory' as const };
    expect(resolveJobSettings(v2({ targetKeyArn: TARGET_KEY_ARN }), configured).preflight).toBe('inventory');
    expect(
      resolveJobSettings(v2({ targetKeyArn: TARGET_KEY_ARN, preflight: 'head' }), configured).preflight,
    ).toBe('head');
  });

  it('lets a 2.0 job argument override the configured key', () => {
    const configured = { ...defaults, target: { keyArn: OTHER_KEY_ARN, bucketKey: true } };
    expect(resolveJobSettings(v2({ targetKeyArn: TARGET_KEY_ARN }), configured).target.keyArn).toBe(
      TARGET_KEY_ARN,
    );
  });

  it.each([
    ['no key anywhere (2.0)', v2({}), 'job.userArguments.targetKeyArn'],
    ['no configured key (1.0)', parseInvocation(eventV1(task)), 'TARGET_KEY_ARN'],
    ['an alias', v2({ targetKeyArn: 'alias/my-key' }), 'job.userArguments.targetKeyArn'],
    [
      'a key id',
      v2({ targetKeyArn: '1111aaaa-2222-bbbb-3333-cccc4444dddd' }),
      'job.userArguments.targetKeyArn',
    ],
    ['bucketKey=yes', v2({ targetKeyArn: TARGET_KEY_ARN, bucketKey: 'yes' }), 'job.userArguments.bucketKey'],
    ['strategy=fast', v2({ targetKeyArn: TARGET_KEY_ARN, strategy: 'fast' }), 'job.userArguments.strategy'],
    ['hints=true', v2({ targetKeyArn: TARGET_KEY_ARN, hints: 'true' }), 'job.userArguments.hints'],
    [
      'preflight=none',
      v2({ targetKeyArn: TARGET_KEY_ARN, preflight: 'none' }),
      'job.userArguments.preflight',
    ],
    [
      'a negative threshold',
      v2({ targetKeyArn: TARGET_KEY_ARN, multipartThresholdBytes: '-1' }),
      'job.userArguments.multipartThresholdBytes',
    ],
    [
      'a fractional threshold',
      v2({ targetKeyArn: TARGET_KEY_ARN, multipartThresholdBytes: '1.5' }),
      'job.userArguments.multipartThresholdBytes',
    ],
    [
      'deletePriorVersion=maybe',
      v2({ targetKeyArn: TARGET_KEY_ARN, deletePriorVersion: 'maybe' }),
      'job.userArguments.deletePriorVersion',
    ],
  ])('rejects %s, naming the field', (_label, inv, field) => {
    expect(() => resolveJobSettings(inv, defaults)).toThrow(
      expect.objectContaining({ name: 'InvalidTaskError', field }) as unknown as InvalidTaskError,
    );
  });

  it('lists arguments it does not know', () => {
    expect(unknownArguments(v2({ targetKeyArn: TARGET_KEY_ARN, targetKeyARN: 'typo' }))).toEqual([
      'targetKeyARN',
    ]);
  });
});
