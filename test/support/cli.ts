import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS, REQUIRE_BANNER } from '../../scripts/esbuild-options.mjs';
import { TEST_CREDENTIALS, TEST_REGION } from './aws.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let built: Promise<string> | undefined;

/**
 * Bundles src/cli/main.ts with the same esbuild settings as scripts/build.mjs, into a private
 * directory: tests always run the CLI built from the current sources, and never race `npm run build`
 * (or another test file) on dist/. Built once per test file.
 */
export function buildCli(): Promise<string> {
  built ??= (async () => {
    const outdir = join(tmpdir(), `s3-reencrypt-cli-${process.pid}-${Date.now()}`);
    await mkdir(outdir, { recursive: true });
    await build({
      ...BUNDLE_OPTIONS,
      entryPoints: [join(root, 'src', 'cli', 'main.ts')],
      outfile: join(outdir, 'index.js'),
      banner: { js: `#!/usr/bin/env node\n${REQUIRE_BANNER}` },
    });
    await writeFile(join(outdir, 'package.json'), '{"type":"module"}\n');
    return join(outdir, 'index.js');
  })();
  return built;
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the built CLI as a subprocess with a clean AWS environment: test credentials, the test Region,
 * no profile or metadata lookups (so a missing setting fails fast instead of probing IMDS).
 */
export async function runCli(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): Promise<CliRun> {
  const bin = await buildCli();
  const base: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'SystemRoot']) {
    const v = process.env[name];
    if (v !== undefined) base[name] = v;
  }
  const fullEnv: Record<string, string> = {
    ...base,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_REGION: TEST_REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(tmpdir(), 'no-such-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'no-such-aws-credentials'),
  };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete fullEnv[k];
    else fullEnv[k] = v;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: fullEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
