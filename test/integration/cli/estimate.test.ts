import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../../support/cli.js';

beforeAll(async () => {
  await buildCli();
});

describe('s3-reencrypt estimate (built CLI, no AWS calls)', () => {
  it('reproduces the AWS blog example for the monthly KMS cost and prices the re-encryption', async () => {
    // Prepare: 10 TB of 1 GB objects in eu-west-2, 2,000,000 downloads and 10,000 uploads a month;
    // without Bucket Keys: $1 key + 2,010,000 requests x $0.03 / 10,000 = $7.03 a month.
    const args = [
      'estimate',
      '--objects',
      '10000',
      '--bytes',
      String(10 * 1024 ** 4),
      '--gets-per-month',
      '2000000',
    ];
    // Act
    const run = await runCli([...args, '--puts-per-month', '10000', '--region', 'eu-west-2', '--json']);
    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ command: 'estimate', route: 'copy' });
    expect(out.monthly).toMatchObject({ region: 'eu-west-2', chosen: 'withBucketKeys' });
    expect(out.monthly.withoutBucketKeys.monthlyUsd).toBe(7.03);
    expect(out.migration.kind).toBe('migration');
    expect(out.migration.withBucketKeys.oneTimeUsd).toBeGreaterThan(0);
  });

  it('prints both estimates as text, naming the route', async () => {
    // Act
    const run = await runCli([
      'estimate',
      '--objects',
      '5',
      '--bytes',
      '5000',
      '--gets-per-month',
      '0',
      '--puts-per-month',
      '0',
      '--route',
      'update',
    ]);
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^## One-time re-encryption \(update route\)\n/);
    expect(run.stdout).toContain('\n## Ongoing KMS cost\n');
  });

  it('exits 2 for a Region without prices, naming the way out', async () => {
    // Act
    const run = await runCli([
      'estimate',
      '--objects',
      '1',
      '--bytes',
      '1',
      '--gets-per-month',
      '0',
      '--puts-per-month',
      '0',
      '--region',
      'ap-south-1',
    ]);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^error: no price table for region "ap-south-1" .*\(--fallback-price-region us-east-1\)\n$/,
    );
  });
});
