import { optionalString } from '../config/env.js';
import { UsageError } from './errors.js';
import type { CliIo } from './io.js';

export const ACCOUNT_ENV = 'AWS_ACCOUNT_ID';

/** The account S3 Control calls need: the option, then AWS_ACCOUNT_ID, then `fallback` (e.g. the role ARN's). */
export function accountFrom(option: string | undefined, io: CliIo, fallback?: string): string {
  const fromEnv = optionalString(io.env, ACCOUNT_ENV);
  const chosen = option ?? fromEnv ?? fallback;
  if (!chosen)
    throw new UsageError(
      `the AWS account id is needed for S3 Control: pass --account-id or set ${ACCOUNT_ENV}`,
    );
  if (!/^\d{12}$/.test(chosen))
    throw new UsageError(`${ACCOUNT_ENV} must be a 12-digit account id, got "${chosen}"`);
  return chosen;
}
