#!/usr/bin/env node
// Creates the project-local Python environment that holds the test tools (moto server, cfn-lint).
// Python is test tooling only; this keeps `npm test` self-sufficient on a fresh machine.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.venv');
const requirements = join(root, 'requirements-test.txt');
const stamp = join(venv, '.requirements.sha256');
const wanted = createHash('sha256').update(readFileSync(requirements)).digest('hex');

export const venvBin = (name) => join(venv, 'bin', name);

export function ensureTestEnv({ quiet = false } = {}) {
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted && existsSync(venvBin('moto_server'))) {
    return;
  }
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
  if (!python)
    throw new Error('python3 is required for the test tools (moto server, cfn-lint); install it first');
  log('Installing test tools (moto server, cfn-lint) into .venv ...');
  if (!existsSync(venvBin('pip'))) execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(venvBin('pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', requirements], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  writeFileSync(stamp, wanted);
  log('Test tools ready.');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureTestEnv();
