// One project-local Python virtual environment per requirements file, re-installed only when that file
// changes (its SHA-256 is stamped inside the venv). Python is tooling only: tests and benchmarks.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Ensures `venv` holds the packages of `requirements` and returns the path of its `bin/<executable>`,
 * which must exist afterwards. `what` names the tools in messages ("test tools (moto server, cfn-lint)").
 */
export function ensureVenv({ venv, requirements, executable, what, quiet = false }) {
  const bin = (name) => join(venv, 'bin', name);
  const stamp = join(venv, '.requirements.sha256');
  const wanted = createHash('sha256').update(readFileSync(requirements)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted && existsSync(bin(executable)))
    return bin(executable);
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
  if (!python) throw new Error(`python3 is required for the ${what}; install it first`);
  log(`Installing the ${what} into ${venv} ...`);
  mkdirSync(dirname(venv), { recursive: true });
  if (!existsSync(bin('pip'))) execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(bin('pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', requirements], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  writeFileSync(stamp, wanted);
  log(`The ${what} are ready.`);
  return bin(executable);
}
