import { isKmsKeyArn } from '../config/kms-arn.js';
import { InvalidTaskError } from './errors.js';
import type { ParsedInvocation } from './event.js';
import {
  type JobSettings,
  type Preflight,
  Preflights,
  Strategies,
  type Strategy,
  type TargetEncryption,
} from './types.js';

/** Job-level settings from the function's configuration; schema 2.0 userArguments override them. */
export interface SettingDefaults {
  readonly target?: TargetEncryption;
  readonly bucketKey: boolean;
  readonly strategy: Strategy;
  readonly multipartThresholdBytes: number;
  readonly deletePriorVersion: boolean;
  readonly preflight?: Preflight;
}

/** The userArguments this function reads (architecture.md "Job user arguments"). */
export const JobArguments = {
  targetKeyArn: 'targetKeyArn',
  bucketKey: 'bucketKey',
  strategy: 'strategy',
  hints: 'hints',
  multipartThresholdBytes: 'multipartThresholdBytes',
  deletePriorVersion: 'deletePriorVersion',
  preflight: 'preflight',
} as const;
const known = new Set<string>(Object.values(JobArguments));

/** Arguments the job passed that this function does not know (logged, not fatal: newer triggers). */
export const unknownArguments = (inv: ParsedInvocation): string[] =>
  Object.keys(inv.userArguments).filter((k) => !known.has(k));

const field = (name: string) => `job.userArguments.${name}`;

function flag(args: Readonly<Record<string, string>>, name: string, fallback: boolean): boolean {
  const v = args[name];
  if (v === undefined) return fallback;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new InvalidTaskError(field(name), `${field(name)} must be "true" or "false", got "${v}"`);
}

/** Resolves the settings every task of the invocation is processed with. */
export function resolveJobSettings(inv: ParsedInvocation, defaults: SettingDefaults): JobSettings {
  const a = inv.userArguments;
  const bucketKey = flag(a, JobArguments.bucketKey, defaults.bucketKey);
  const keyArn = a.targetKeyArn ?? defaults.target?.keyArn;
  if (keyArn === undefined)
    throw new InvalidTaskError(
      inv.schemaVersion === '2.0' ? field('targetKeyArn') : 'TARGET_KEY_ARN',
      inv.schemaVersion === '2.0'
        ? `${field('targetKeyArn')} is required (no TARGET_KEY_ARN configured either)`
        : 'TARGET_KEY_ARN must be configured for invocation schema 1.0 (it has no job arguments)',
    );
  // UpdateObjectEncryption and the compliance check both need the resolved key ARN, never an alias.
  if (!isKmsKeyArn(keyArn))
    throw new InvalidTaskError(
      a.targetKeyArn !== undefined ? field('targetKeyArn') : 'TARGET_KEY_ARN',
      `targetKeyArn must be a full KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got "${keyArn}"`,
    );
  const strategy = a.strategy ?? defaults.strategy;
  if (!(Object.values(Strategies) as string[]).includes(strategy))
    throw new InvalidTaskError(field('strategy'), `${field('strategy')} must be auto, copy or update`);
  const hints = a.hints;
  if (hints !== undefined && hints !== '1' && hints !== '0')
    throw new InvalidTaskError(field('hints'), `${field('hints')} must be "1" or "0", got "${hints}"`);
  const preflight = a.preflight ?? defaults.preflight ?? Preflights.head;
  if (!(Object.values(Preflights) as string[]).includes(preflight))
    throw new InvalidTaskError(
      field('preflight'),
      `${field('preflight')} must be head or inventory, got "${preflight}"`,
    );
  return {
    target: { keyArn, bucketKey },
    strategy: strategy as Strategy,
    hints: hints === '1',
    preflight: preflight as Preflight,
    multipartThresholdBytes: threshold(a.multipartThresholdBytes, defaults.multipartThresholdBytes),
    deletePriorVersion: flag(a, JobArguments.deletePriorVersion, defaults.deletePriorVersion),
  };
}

function threshold(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InvalidTaskError(
      field('multipartThresholdBytes'),
      `${field('multipartThresholdBytes')} must be a positive whole number of bytes, got "${value}"`,
    );
  return n;
}
