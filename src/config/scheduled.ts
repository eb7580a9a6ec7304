import type { AwsSettings } from '../aws/clients.js';
import type { ScheduledSettings } from '../scheduled/run.js';
import { type Env, list, optionalString, requiredString } from './env.js';
import { ConfigError } from './errors.js';
import { loadTriggerConfig } from './trigger.js';

/**
 * Environment of the scheduled function: everything the trigger reads (it processes missed
 * inventories the same way), plus INVENTORY_BUCKET, INVENTORY_PREFIX (the inventory configuration's
 * destination prefix, default none) and MANAGED_BUCKETS (the source buckets to look after; required).
 */
export function loadScheduledConfig(env: Env, aws: AwsSettings): ScheduledSettings {
  const trigger = loadTriggerConfig(env, aws);
  const sourceBuckets = list(env, 'MANAGED_BUCKETS');
  if (sourceBuckets.length === 0)
    throw new ConfigError('MANAGED_BUCKETS must name at least one source bucket to look after', {
      variable: 'MANAGED_BUCKETS',
    });
  return Object.freeze({
    trigger,
    inventory: Object.freeze({
      bucket: requiredString(env, 'INVENTORY_BUCKET'),
      prefix: (optionalString(env, 'INVENTORY_PREFIX') ?? '').replace(/^\/+|\/+$/g, ''),
    }),
    sourceBuckets: Object.freeze(sourceBuckets),
  });
}
