#!/usr/bin/env node
// Creates the Python environment that holds the AWS CLI the benchmarks compare with (requirements-bench.txt),
// in the git-ignored bench/work/venv-bench/. Only `npm run bench` needs it: npm test never calls this.
// Prints the path of the `aws` executable on stdout.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureVenv } from './python-venv.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function ensureBenchEnv({ quiet = false } = {}) {
  return ensureVenv({
    venv: join(root, 'bench', 'work', 'venv-bench'),
    requirements: join(root, 'requirements-bench.txt'),
    executable: 'aws',
    what: 'benchmark tools (AWS CLI)',
    quiet,
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(`${ensureBenchEnv()}\n`);
