import { describe, expect, it } from 'vitest';
import { awsSettingsFromEnv } from '../../../src/aws/clients.js';
import { ConfigError } from '../../../src/config/errors.js';
import { loadReencryptConfig } from '../../../src/config/reencrypt.js';
import { loadReportConfig } from '../../../src/config/report.js';
import { loadTriggerConfig } from '../../../src/config/trigger.js';
import { CONFIG_CASES, type Loader, VALID_TRIGGER_ENV } from '../../helpers/bad-input/config.js';

const AWS = awsSettingsFromEnv({});
const LOADERS: Record<Loader, (env: Record<string, string>) => unknown> = {
  reencrypt: loadReencryptConfig,
  trigger: (env) => loadTriggerConfig(env, AWS),
  report: loadReportConfig,
  aws: awsSettingsFromEnv,
};

describe('configuration the loaders refuse (bad-input corpus)', () => {
  it('accepts the valid base environments the cases start from', () => {
    // Act + Assess: the cases below fail for the variable they change, not for a missing one
    expect(loadTriggerConfig(VALID_TRIGGER_ENV, AWS).roleArn).toBe(VALID_TRIGGER_ENV.BATCH_ROLE_ARN);
    expect(Object.isFrozen(loadReencryptConfig({}))).toBe(true);
    expect(loadReportConfig({}).retry.enabled).toBe(false);
  });

  it.each(CONFIG_CASES)('$name', ({ input, names }) => {
    // Act
    let error: unknown;
    try {
      LOADERS[input.loader](input.env);
    } catch (e) {
      error = e;
    }
    // Assess: a ConfigError naming the variable, in its field and its message
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(input.variable);
    expect((error as Error).message).toMatch(names);
    expect((error as Error).message).toContain(input.variable);
  });
});
