#!/usr/bin/env node
// `npm test`: everything a change must pass, in one command that also installs what it needs.
// Ends with a plain "N passed, N failed" line (CI reads that, not vitest's own summary).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const results = { passed: 0, failed: 0 };
const failures = [];

function run(label, cmd, args, { count = true, env } = {}) {
  process.stdout.write(`\n=== ${label}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  if (count) {
    results[ok ? 'passed' : 'failed'] += 1;
    if (!ok) failures.push(label);
  }
  return ok;
}

// Install when node_modules is absent or lacks a declared package (a fresh clone, a new dependency).
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const declared = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
const missing = declared.filter((d) => !existsSync(join(root, 'node_modules', d, 'package.json')));
if (!existsSync(join(root, 'node_modules', '.package-lock.json')) || missing.length > 0) {
  if (!run('install', 'npm', ['ci', '--no-audit', '--no-fund'], { count: false })) {
    console.log('\n0 passed, 1 failed');
    process.exit(1);
  }
}
if (!run('test tools', 'node', ['scripts/ensure-test-env.mjs'], { count: false })) {
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}
run('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
run('lint', 'npx', ['biome', 'ci', '.']);
const built = run('build', 'node', ['scripts/build.mjs']);
if (built) run('serverless package', 'node', ['scripts/sls-package.mjs']);

// Production dependencies must have no high or critical advisory. Where the advisory service cannot be
// reached (offline machines, registries without the audit endpoint) the check is reported, not counted.
{
  process.stdout.write('\n=== npm audit --omit=dev\n');
  const audit = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', timeout: 120_000 });
  let vulns;
  try {
    vulns = JSON.parse(audit.stdout).metadata?.vulnerabilities;
  } catch {
    vulns = undefined;
  }
  if (!vulns) console.log('npm audit: advisory service unreachable; not counted');
  else if ((vulns.high ?? 0) + (vulns.critical ?? 0) > 0) {
    results.failed += 1;
    failures.push(`npm audit: ${vulns.high} high, ${vulns.critical} critical`);
    console.log(`npm audit: ${JSON.stringify(vulns)}`);
  } else {
    results.passed += 1;
    console.log(`npm audit: ${JSON.stringify(vulns)}`);
  }
}

const reportFile = join(root, '.vitest-results.json');
rmSync(reportFile, { force: true });
run(
  'vitest',
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`],
  {
    count: false,
  },
);
if (existsSync(reportFile)) {
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  results.passed += report.numPassedTests;
  results.failed += report.numFailedTests;
  // A suite that fails to load has no tests to count; count it as a failure so it cannot hide.
  const brokenSuites = report.testResults.filter(
    (s) => s.status === 'failed' && s.assertionResults.length === 0,
  );
  results.failed += brokenSuites.length;
  for (const s of brokenSuites) failures.push(`suite failed to load: ${s.name}`);
  if (report.numFailedTests > 0) failures.push(`${report.numFailedTests} vitest test(s)`);
  // A run that errors before any test (bad config, unhandled error) must not read as a pass.
  if (!report.success && report.numFailedTests === 0 && brokenSuites.length === 0) {
    results.failed += 1;
    failures.push('vitest reported failure outside any test (see its output above)');
  }
  if (report.numTotalTests === 0) {
    results.failed += 1;
    failures.push('vitest ran no test');
  }
} else {
  results.failed += 1;
  failures.push('vitest produced no report');
}
if (failures.length) console.log(`\nFailed: ${failures.join('; ')}`);
console.log(`\n${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed === 0 ? 0 : 1);
