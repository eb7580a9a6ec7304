import { ConfigError } from './errors.js';

/** Typed readers over an environment map; each names the variable in its error. */
export type Env = Readonly<Record<string, string | undefined>>;

const present = (env: Env, name: string): string | undefined => {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
};

export function optionalString(env: Env, name: string): string | undefined {
  return present(env, name);
}

export function requiredString(env: Env, name: string): string {
  const v = present(env, name);
  if (v === undefined) throw new ConfigError(`${name} is required but not set`, { variable: name });
  return v;
}

export function bool(env: Env, name: string, fallback: boolean): boolean {
  const v = present(env, name);
  if (v === undefined) return fallback;
  if (/^(true|1|yes)$/i.test(v)) return true;
  if (/^(false|0|no)$/i.test(v)) return false;
  throw new ConfigError(`${name} must be true or false, got "${v}"`, { variable: name });
}

export function int(
  env: Env,
  name: string,
  fallback: number,
  bounds: { min?: number; max?: number } = {},
): number {
  const v = present(env, name);
  if (v === undefined) return fallback;
  if (!/^-?\d+$/.test(v))
    throw new ConfigError(`${name} must be a whole number, got "${v}"`, { variable: name });
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new ConfigError(`${name} is too large: "${v}"`, { variable: name });
  if (bounds.min !== undefined && n < bounds.min)
    throw new ConfigError(`${name} must be at least ${bounds.min}, got ${n}`, { variable: name });
  if (bounds.max !== undefined && n > bounds.max)
    throw new ConfigError(`${name} must be at most ${bounds.max}, got ${n}`, { variable: name });
  return n;
}

export function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const v = present(env, name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v))
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${v}"`, { variable: name });
  return v as T;
}

export function list(env: Env, name: string): string[] {
  const v = present(env, name);
  return v === undefined
    ? []
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}
