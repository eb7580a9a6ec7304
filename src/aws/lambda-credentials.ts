import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Replaces @aws-sdk/credential-provider-node in the Lambda bundles only (scripts/build.mjs aliases it).
 * Lambda always puts the execution role's credentials in the environment, so the SSO, INI, process and
 * web-identity providers of the default chain (and the STS/SSO clients they pull in, ~90 KiB) are dead
 * weight on every cold start. The CLI keeps the full chain.
 */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
