#!/usr/bin/env node
// Creates the Python environment that holds the AWS CLI the benchmarks compare with (requirements-bench.txt),
// in the git-ignored bench/work/venv-bench/. Only `npm run bench` needs it: npm test never calls this.
// Prints the path of the `aws` executable on stdout.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, 'bench', 'work', 'venv-bench');
const requirements = join(root, 'requirements-bench.txt');
const stamp = join(venv, '.requirements.sha256');

export const awsCliPath = () => join(venv, 'bin', 'aws');

export function ensureBenchEnv({ quiet = false } = {}) {
  const wanted = createHash('sha256').update(readFileSync(requirements)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted && existsSync(awsCliPath()))
    return awsCliPath();
  const log = (m) => {
    if (!quiet) process.stderr.write(`${m}\n`);
  };
  const python = ['python3', 'python'].find((p) => {
    try {
      execFileSync(p, ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  if (!python) throw new Error('python3 is required for the benchmark tools (AWS CLI); install it first');
  log('Installing the benchmark tools (AWS CLI) into bench/work/venv-bench ...');
  mkdirSync(dirname(venv), { recursive: true });
  if (!existsSync(join(venv, 'bin', 'pip'))) execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(
    join(venv, 'bin', 'pip'),
    ['install', '--quiet', '--disable-pip-version-check', '-r', requirements],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  writeFileSync(stamp, wanted);
  log('Benchmark tools ready.');
  return awsCliPath();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(`${ensureBenchEnv()}\n`);
