// The seed recipe users run today: `aws s3 cp s3://b/ s3://b/ --recursive --sse aws:kms --sse-kms-key-id K`,
// with the AWS CLI from requirements-bench.txt (installed on first use by scripts/ensure-bench-env.mjs).
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { benchRoot, repoRoot } from '../lib.js';
import { CREDENTIALS, REGION } from './world.js';

const run = promisify(execFile);

/**
 * Installs the CLI if needed and returns the path of `aws`. Synchronous: call it before any in-process
 * server (the counting proxy) starts, since it blocks the event loop while pip runs.
 */
export function ensureAwsCli(): string {
  return execFileSync(process.execPath, [join(repoRoot, 'scripts', 'ensure-bench-env.mjs')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

export const seedRecipeCommand = (bucket: string, keyArn: string) =>
  `aws s3 cp s3://${bucket}/ s3://${bucket}/ --recursive --sse aws:kms --sse-kms-key-id ${keyArn}`;

export interface SeedRecipeRun {
  readonly seconds: number;
  readonly command: string;
}

/**
 * Runs the recipe against `endpoint` (moto or the proxy) with dummy credentials and a private config
 * file, so nothing from the user's ~/.aws leaks in. `concurrency` sets `s3.max_concurrent_requests`
 * (the CLI's default is 10).
 */
export async function runSeedRecipe(o: {
  readonly aws: string;
  readonly endpoint: string;
  readonly bucket: string;
  readonly keyArn: string;
  readonly concurrency?: number;
}): Promise<SeedRecipeRun> {
  const dir = join(benchRoot, 'work', 'aws-cli');
  mkdirSync(dir, { recursive: true });
  const config = join(dir, `config-${o.concurrency ?? 'default'}`);
  writeFileSync(
    config,
    `[default]\nregion = ${REGION}\n${o.concurrency ? `s3 =\n    max_concurrent_requests = ${o.concurrency}\n` : ''}`,
  );
  const args = [
    's3',
    'cp',
    `s3://${o.bucket}/`,
    `s3://${o.bucket}/`,
    '--recursive',
    '--sse',
    'aws:kms',
    '--sse-kms-key-id',
    o.keyArn,
    '--endpoint-url',
    o.endpoint,
    '--only-show-errors',
  ];
  const t0 = performance.now();
  try {
    await run(o.aws, args, {
      maxBuffer: 64 * 1024 * 1024,
      env: {
        PATH: process.env.PATH ?? '',
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        AWS_DEFAULT_REGION: REGION,
        AWS_CONFIG_FILE: config,
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`the AWS CLI failed: ${e.stderr?.trim() || e.message}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const suffix = o.concurrency ? ` (s3.max_concurrent_requests = ${o.concurrency})` : '';
  return { seconds, command: `${seedRecipeCommand(o.bucket, o.keyArn)} --endpoint-url <moto>${suffix}` };
}
