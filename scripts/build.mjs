#!/usr/bin/env node
// One self-contained, minified ESM bundle per Lambda function (dist/<fn>/index.js exporting `handler`)
// plus the CLI (dist/cli/index.js). Sizes are written to dist/bundle-sizes.json for the benchmarks.
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS, REQUIRE_BANNER } from './esbuild-options.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

await rm(dist, { recursive: true, force: true });
const functions = (await readdir(join(root, 'functions')))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => basename(f, '.ts'));
const sizes = {};
for (const fn of functions) {
  const outdir = join(dist, fn);
  await mkdir(outdir, { recursive: true });
  await build({
    ...BUNDLE_OPTIONS,
    entryPoints: [join(root, 'functions', `${fn}.ts`)],
    outfile: join(outdir, 'index.js'),
    minify: true,
    // Lambda always has credentials in its environment; see src/aws/lambda-credentials.ts.
    alias: { '@aws-sdk/credential-provider-node': join(root, 'src', 'aws', 'lambda-credentials.ts') },
  });
  await writeFile(join(outdir, 'package.json'), '{"type":"module"}\n');
  sizes[fn] = (await stat(join(outdir, 'index.js'))).size;
}
const cliEntry = join(root, 'src', 'cli', 'main.ts');
try {
  await stat(cliEntry);
  await mkdir(join(dist, 'cli'), { recursive: true });
  await build({
    ...BUNDLE_OPTIONS,
    entryPoints: [cliEntry],
    outfile: join(dist, 'cli', 'index.js'),
    minify: false,
    banner: { js: `#!/usr/bin/env node\n${REQUIRE_BANNER}` },
  });
  await writeFile(join(dist, 'cli', 'package.json'), '{"type":"module"}\n');
} catch (e) {
  if (e.code !== 'ENOENT') throw e;
}
await writeFile(join(dist, 'bundle-sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`);
for (const [fn, size] of Object.entries(sizes))
  process.stdout.write(`dist/${fn}/index.js ${(size / 1024).toFixed(1)} KiB\n`);
