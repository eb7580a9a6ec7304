import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CostEstimate } from '../../cost/line-item.js';
import { formatUsd } from '../../cost/line-item.js';
import { DemoError } from '../../demo/errors.js';
import { type DemoResult, runDemo } from '../../demo/run-demo.js';
import { formatBytes } from '../../report/render.js';
import { defineCommand } from '../command.js';
import { ExitCodes } from '../exit-codes.js';
import { integerIn } from '../options.js';
import { pipelineProgress } from '../pipeline-progress.js';
import { table } from '../render.js';
import { runView } from './run.js';

interface DemoOptions {
  readonly bulkObjects: number;
}

export const demoCommand = defineCommand<DemoOptions>({
  name: 'demo',
  summary: 'the whole pipeline on this machine, no AWS account: seed, inventory, trigger, run, report',
  description:
    'Starts a local S3 and KMS API (moto server, installed into .venv on first use), seeds a versioned bucket with the mix a real bucket holds (SSE-S3, unencrypted, another KMS key, already compliant, tags, metadata, storage classes, versions, awkward keys, an archived object, one object above a lowered multipart threshold), writes an S3 Inventory report for it, fires the trigger with the S3 event, runs the job on the local Batch engine, summarises the completion report, checks every seeded object, prints the summary and the cost estimate, and stops the server. Exits 1 if any object is not as expected. Ignores --region and --endpoint-url: everything is local.',
  examples: ['s3-reencrypt demo', 's3-reencrypt demo --bulk-objects 1000 --json'],
  configure: (cmd) => {
    cmd.option(
      '--bulk-objects <n>',
      'extra small SSE-S3 objects to seed, to watch the progress bar',
      integerIn(0, 100_000),
      100,
    );
  },
  async run(options, ctx) {
    const progress = pipelineProgress(ctx, 'demo');
    let result: DemoResult;
    try {
      result = await runDemo({
        root: repositoryRoot(),
        json: ctx.json,
        bulkObjects: options.bulkObjects,
        // The narration (installing moto, seeding, ...) goes to stderr even off a terminal: the first run
        // installs moto for a minute or more, and a silent wait reads as a hang. --json turns it off.
        progress: (e) => {
          if (e.type === 'line') ctx.io.stderr.write(`${e.text}\n`);
          else progress.onProgress(e);
        },
      });
    } finally {
      progress.stop();
    }
    const ok = result.verification.ok && result.pipeline.totals.failed === 0;
    return {
      exitCode: ok ? ExitCodes.ok : ExitCodes.objectsFailed,
      data: demoData(result, ok),
      text: renderText(result, ok),
    };
  },
});

/**
 * The folder with requirements-test.txt (moto's pin) and .venv: above the running file (src/cli/commands
 * or dist/cli), else above the working directory (a CLI bundled elsewhere, run from the repository).
 */
function repositoryRoot(): string {
  const starts = [dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (const start of starts) {
    let dir = start;
    for (let i = 0; i < 6; i++) {
      if (existsSync(join(dir, 'requirements-test.txt')) && existsSync(join(dir, 'package.json'))) return dir;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new DemoError(
    'cannot find the s3-reencrypt repository (requirements-test.txt) above this program or the current folder; run the demo from the repository with `npm run demo`',
  );
}

const chosenUsd = (c: CostEstimate) => c[c.chosen].oneTimeUsd;

function runCosts(r: DemoResult): CostEstimate[] {
  return r.cost.runs.flatMap((x) => ('withBucketKeys' in x.estimate ? [x.estimate] : []));
}

function demoData(r: DemoResult, ok: boolean) {
  return {
    command: 'demo',
    ok,
    durationMs: r.durationMs,
    buckets: r.buckets,
    targetKeyArn: r.targetKeyArn,
    inventory: r.inventory,
    table: r.table,
    headlines: r.headlines,
    cost: {
      plan: r.cost.plan ?? null,
      runs: r.cost.runs,
      oneTimeUsd: runCosts(r).reduce((a, c) => a + chosenUsd(c), 0),
    },
    verification: {
      ok: r.verification.ok,
      checked: r.verification.objects.length,
      problems: r.verification.objects.filter((o) => !o.ok),
      allowances: r.verification.objects.flatMap((o) =>
        o.allowance ? [{ key: o.key, allowance: o.allowance }] : [],
      ),
    },
    run: runView(r.pipeline),
  };
}

const n = (x: number) => x.toLocaleString('en-US');

const LABELS: Readonly<Record<string, string>> = {
  skip: 'already compliant (checked, unchanged)',
  update: 'updated in place',
  copy: 'copied in place under the target key',
  multipart: 'multipart copy (above the threshold)',
  blocked: 'blocked by the function',
  'blocked-before-job': 'blocked before the job (restore first)',
};

function renderText(r: DemoResult, ok: boolean): string {
  const v = r.verification;
  const lines = [
    `s3-reencrypt demo: s3://${r.buckets.data} re-encrypted to ${r.targetKeyArn} on a local S3 API (moto) in ${(r.durationMs / 1000).toFixed(1)} s`,
    '',
    ...r.headlines,
    '',
    table(
      ['RESULT', 'OBJECTS', 'BYTES'],
      r.table.map((row) => [LABELS[row.route] ?? row.route, n(row.objects), formatBytes(row.bytes)]),
    ),
    '',
    `verification: ${n(v.objects.length)} seeded objects checked, ${v.ok ? 'every one as expected' : `${n(v.objects.filter((o) => !o.ok).length)} NOT as expected`}`,
  ];
  for (const o of v.objects.filter((x) => !x.ok)) lines.push(`  ${o.key}: ${o.problems.join('; ')}`);
  const allowed = v.objects.filter((o) => o.allowance);
  for (const o of allowed) lines.push(`  allowed for the local API: ${o.key}: ${o.allowance}`);
  const runs = runCosts(r);
  lines.push('', 'estimated cost on AWS (us-east-1 list prices):');
  if (r.cost.plan) lines.push(`  planned from the inventory: ${formatUsd(chosenUsd(r.cost.plan))}`);
  if (runs.length)
    lines.push(`  this run, from its report:  ${formatUsd(runs.reduce((a, c) => a + chosenUsd(c), 0))}`);
  lines.push(
    '',
    ok
      ? 'next: `s3-reencrypt plan --inventory s3://…/manifest.json` on a real inventory, then `run` or `submit`.'
      : 'the demo found objects that are not as expected (see above).',
  );
  return lines.join('\n');
}
