#!/usr/bin/env node
// `npm run bench`: bundles each bench/*.ts with esbuild and runs it with node, one at a time (they
// measure, so they must not compete for the two cores). Each writes bench/results/<name>.json; the
// README table between the BENCH markers is regenerated from those files at the end.
// Usage: npm run bench [-- name ...]   (names without .ts; default: all)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
spawnSync('node', ['scripts/ensure-test-env.mjs'], { stdio: 'inherit' });
const build1 = spawnSync('node', ['scripts/build.mjs'], { stdio: 'inherit' });
if (build1.status !== 0) process.exit(1);

const wanted = process.argv.slice(2);
const benches = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.ts') && f !== 'lib.ts')
  .map((f) => basename(f, '.ts'))
  .filter((n) => wanted.length === 0 || wanted.includes(n))
  .sort();
const work = join(root, 'bench', 'work');
mkdirSync(work, { recursive: true });
let failed = 0;
for (const name of benches) {
  const outfile = join(work, `${name}.mjs`);
  await build({
    entryPoints: [join(root, 'bench', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  process.stdout.write(`\n=== bench ${name}\n`);
  const r = spawnSync('node', ['--expose-gc', outfile], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_ROOT: root },
  });
  if (r.status !== 0) {
    failed += 1;
    process.stdout.write(`bench ${name} failed (exit ${r.status})\n`);
  }
}
spawnSync('node', ['scripts/bench-table.mjs'], { stdio: 'inherit' });
process.exit(failed ? 1 : 0);
