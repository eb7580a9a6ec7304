import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { LocalS3Error } from './errors.js';

/** A local S3 + KMS API (moto server) for the demo; stopped by `stop()`. */
export interface LocalS3 {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export { LocalS3Error };

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === 'object' && addr ? resolve(addr.port) : reject(new LocalS3Error('no free port')),
      );
    });
  });

/**
 * Makes sure `<root>/.venv` holds the pinned moto server (the same environment `npm test` installs),
 * installing it once with one line of progress when it is missing.
 */
export function ensureMoto(root: string, progress: (line: string) => void): string {
  const venv = join(root, '.venv');
  const bin = join(venv, 'bin', 'moto_server');
  const requirements = join(root, 'requirements-test.txt');
  const stamp = join(venv, '.requirements.sha256');
  if (!existsSync(requirements))
    throw new LocalS3Error(`${requirements} is missing; run the demo from the repository`);
  const wanted = createHash('sha256').update(readFileSync(requirements)).digest('hex');
  if (existsSync(bin) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return bin;
  progress('Installing the local S3 API (moto server) into .venv — once, about a minute ...');
  try {
    if (!existsSync(join(venv, 'bin', 'pip')))
      execFileSync('python3', ['-m', 'venv', venv], { stdio: 'ignore' });
    execFileSync(
      join(venv, 'bin', 'pip'),
      ['install', '--quiet', '--disable-pip-version-check', '-r', requirements],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
  } catch (cause) {
    throw new LocalS3Error('could not install moto server into .venv (needs python3 with venv and pip)', {
      cause,
    });
  }
  writeFileSync(stamp, wanted);
  return bin;
}

export async function startLocalS3(motoBin: string, timeoutMs = 30_000): Promise<LocalS3> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(motoBin, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  // A binary that cannot be started (missing, not executable) is reported here, not as an exit.
  let spawnError: Error | undefined;
  child.once('error', (e) => {
    spawnError = e;
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (spawnError || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (spawnError)
      throw new LocalS3Error(`cannot start moto server (${motoBin}): ${spawnError.message}`, {
        cause: spawnError,
      });
    if (child.exitCode !== null)
      throw new LocalS3Error(`moto server exited during start-up: ${stderr.trim()}`);
    try {
      await fetch(`${endpoint}/moto-api/`);
      return { endpoint, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await stop();
  throw new LocalS3Error(`moto server did not answer at ${endpoint} within ${timeoutMs} ms`);
}
