/**
 * The re-encrypt function's concurrency cap is one deploy parameter (README "Concurrency and KMS quotas"):
 * Batch invokes the function up to its concurrency limit (aws-facts §1.7), so reserved concurrency bounds the
 * objects re-encrypted at once, and with them the S3 and KMS request rates.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/template.js';

const yml = readFileSync(join(repoRoot, 'serverless.yml'), 'utf8');

/** The indented block under `  <name>:` in the functions section. */
function functionBlock(name: string): string {
  const start = yml.indexOf(`\n  ${name}:\n`);
  if (start < 0) throw new Error(`serverless.yml has no function ${name}`);
  const rest = yml.slice(start + 1);
  const end = rest.slice(1).search(/\n {2}\S/);
  return end < 0 ? rest : rest.slice(0, end + 1);
}

describe('reserved concurrency in serverless.yml', () => {
  it('caps the re-encrypt function with the reencryptReservedConcurrency parameter', () => {
    expect(functionBlock('reencryptObject')).toMatch(
      /\n {4}reservedConcurrency: \$\{param:reencryptReservedConcurrency\}\n/,
    );
  });

  it('defaults the parameter to a whole number of at least 1', () => {
    const m = /\n {4}reencryptReservedConcurrency: (\S+)\n/.exec(yml);
    expect(m).not.toBeNull();
    const value = Number(m?.[1]);
    expect(Number.isInteger(value)).toBe(true);
    expect(value).toBeGreaterThanOrEqual(1);
  });
});
