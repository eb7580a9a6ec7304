#!/usr/bin/env node
// Creates the project-local Python environment that holds the test tools (moto server, cfn-lint).
// Python is test tooling only; this keeps `npm test` self-sufficient on a fresh machine.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureVenv } from './python-venv.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function ensureTestEnv({ quiet = false } = {}) {
  ensureVenv({
    venv: join(root, '.venv'),
    requirements: join(root, 'requirements-test.txt'),
    executable: 'moto_server',
    what: 'test tools (moto server, cfn-lint)',
    quiet,
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureTestEnv();
