// Cold start: bundle size of each function and the time to import its bundle (module-scope init:
// SDK clients, config) above a bare node process, median of 10 runs each.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, stats, writeResult } from './lib.js';

const RUNS = 10;
const env = {
  ...process.env,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  TARGET_KEY_ARN: 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000',
  WORK_BUCKET: 'bench-work',
  CHECKPOINT_BUCKET: 'bench-work',
  MANIFEST_BUCKET: 'bench-work',
  REPORT_BUCKET: 'bench-work',
  INVENTORY_BUCKET: 'bench-inventory',
  MANAGED_BUCKETS: 'bench-data',
  ACCOUNT_ID: '111122223333',
  BATCH_ROLE_ARN: 'arn:aws:iam::111122223333:role/bench',
  REENCRYPT_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:111122223333:function:bench',
  TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:bench',
};

function wallMs(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const ms = performance.now() - t0;
  // The tail names the error; the head of stderr is the minified line it was thrown from.
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: …${r.stderr.slice(-1500)}`);
  return ms;
}

const sizes = JSON.parse(readFileSync(join(repoRoot, 'dist', 'bundle-sizes.json'), 'utf8')) as Record<
  string,
  number
>;
const bare: number[] = [];
const perFunction: Record<string, { bytes: number; initMs: ReturnType<typeof stats> }> = {};
for (let i = 0; i < RUNS; i++) bare.push(wallMs(['-e', '']));
for (const fn of Object.keys(sizes)) {
  const file = join(repoRoot, 'dist', fn, 'index.js');
  if (!existsSync(file)) continue;
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(
      wallMs(['--input-type=module', '-e', `await import(${JSON.stringify(file)});`]) - stats(bare).median,
    );
  }
  perFunction[fn] = { bytes: sizes[fn] ?? 0, initMs: stats(runs) };
}
const re = perFunction['reencrypt-object'];
if (!re) throw new Error('dist/reencrypt-object/index.js missing: run npm run build');
const sizeOk = re.bytes <= 400 * 1024;
const initOk = re.initMs.median <= 70;
writeResult('cold-start', {
  title: 'Re-encrypt function cold start: init above bare node',
  unit: 'ms',
  ours: re.initMs,
  target: '≤ 400 KB bundle and ≤ 70 ms init',
  targetMet: sizeOk && initOk,
  commands: [
    'node scripts/build.mjs',
    `node -e "await import('dist/<fn>/index.js')" ×${RUNS} minus node -e "" ×${RUNS}`,
  ],
  details: {
    bareNodeMs: stats(bare),
    functions: Object.fromEntries(
      Object.entries(perFunction).map(([k, v]) => [
        k,
        { bundleKiB: +(v.bytes / 1024).toFixed(1), initMs: v.initMs },
      ]),
    ),
  },
});
