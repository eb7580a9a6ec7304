#!/usr/bin/env node
// `serverless package` offline (osls): builds first when bundles are missing, then writes
// .serverless/cloudformation-template-update-stack.json for cfn-lint and the template tests.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = {
  ...process.env,
  SLS_TELEMETRY_DISABLED: '1',
  SLS_NOTIFICATIONS_MODE: 'off',
  SLS_DEPRECATION_DISABLE: '*',
  // Packaging never calls AWS; dummy credentials keep the CLI from looking for real ones.
  AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'packaging-only',
  AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'packaging-only',
};
if (!existsSync(join(root, 'dist', 'reencrypt-object', 'index.js'))) {
  const b = spawnSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const args = ['package', ...process.argv.slice(2)];
const r = spawnSync(join(root, 'node_modules', '.bin', 'serverless'), args, {
  cwd: root,
  stdio: 'inherit',
  env,
});
process.exit(r.status ?? 1);
