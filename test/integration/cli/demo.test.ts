import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../../support/cli.js';

beforeAll(async () => {
  await buildCli();
});

describe('s3-reencrypt demo (built CLI; starts its own moto server from .venv)', () => {
  it('runs the whole pipeline locally, prints one JSON summary and exits 0', async () => {
    // Act: no AWS settings at all; the demo brings its own endpoint and credentials.
    const run = await runCli(['demo', '--bulk-objects', '0', '--json'], {
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_REGION: undefined,
    });
    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({
      command: 'demo',
      ok: true,
      buckets: { data: 'demo-data' },
      verification: { ok: true, problems: [] },
      run: { status: 'completed', totals: { failed: 0, blockedBeforeJob: 1 } },
      cost: { plan: { kind: 'migration' }, oneTimeUsd: expect.any(Number) },
    });
    // 14 seeded keys: one compliant skip, one archived (blocked before the job), one multipart, 11 copies.
    expect(out.verification.checked).toBe(14);
    expect(
      Object.fromEntries(out.table.map((r: { route: string; objects: number }) => [r.route, r.objects])),
    ).toEqual({
      skip: 1,
      copy: 11,
      multipart: 1,
      'blocked-before-job': 1,
    });
    expect(out.headlines).toEqual([
      expect.stringMatching(/Complete: 12 re-encrypted .*, 1 already compliant, no failures$/),
    ]);
    expect(out.cost.oneTimeUsd).toBeGreaterThan(0);
    // A guard, not a timing assertion: the demo starts a second moto server, slow on a busy machine.
  }, 180_000);
});
