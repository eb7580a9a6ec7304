#!/usr/bin/env node
// `npm run demo [-- --json]`: builds the CLI when dist/cli is missing or older than the sources, then runs
// `s3-reencrypt demo` with the given arguments and exits with its code.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli', 'index.js');

/** Newest modification time under `path` (a file or a folder, recursively). */
function newest(path) {
  const s = statSync(path, { throwIfNoEntry: false });
  if (!s) return 0;
  if (!s.isDirectory()) return s.mtimeMs;
  let latest = s.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const sources = Math.max(
  newest(join(root, 'src')),
  newest(join(root, 'package.json')),
  newest(join(root, 'package-lock.json')),
);
if (!existsSync(cli) || statSync(cli).mtimeMs < sources) {
  process.stderr.write('Building the command line (dist/cli) ...\n');
  // Quiet unless it fails: with --json, stdout must carry only the demo's document.
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (build.status !== 0) {
    process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
    process.stderr.write('error: the build failed (run `npm ci` first on a fresh clone)\n');
    process.exit(build.status ?? 1);
  }
}

// Ctrl-C reaches the demo too, which stops its server and exits; this process only waits for it.
process.on('SIGINT', () => {});
const demo = spawnSync(process.execPath, [cli, 'demo', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
if (demo.error) {
  process.stderr.write(`error: cannot start ${cli}: ${demo.error.message}\n`);
  process.exit(1);
}
process.exit(demo.status ?? 1);
