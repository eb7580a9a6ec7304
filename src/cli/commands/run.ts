import type { CostEstimate } from '../../cost/line-item.js';
import { formatUsd } from '../../cost/line-item.js';
import { runLocalPipeline } from '../../pipeline/local.js';
import type { LocalPipelineResult, PipelineJob } from '../../pipeline/types.js';
import { locationFromManifestKey, summaryJsonKey } from '../../report/location.js';
import { formatBytes } from '../../report/render.js';
import { SummaryRoutes } from '../../report/summary.js';
import { defineCommand } from '../command.js';
import { ExitCodes } from '../exit-codes.js';
import { addJobInputOptions, type JobInputOptions, jobSource } from '../job-options.js';
import { cliLogger } from '../logger.js';
import { integerIn, regionOfKeyArn } from '../options.js';
import { pipelineProgress } from '../pipeline-progress.js';
import { plural, table } from '../render.js';
import { checkSelection, triggerSelection, updateAvailable } from '../selection.js';

interface RunOptions extends JobInputOptions {
  readonly concurrency: number;
}

const KEY = 'arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

export const runCommand = defineCommand<RunOptions>({
  name: 'run',
  summary: 'run the re-encryption here, with the local Batch engine, and summarise its report',
  description:
    'Does in this process what the deployed pipeline does on AWS: the trigger filters the inventory into Batch manifests and plan.json, the local Batch engine runs every task through the re-encrypt function (same events, redrives and completion report as S3 Batch Operations), and the report is summarised into summary.json/summary.md beside it. A CSV manifest skips the trigger. Ctrl-C cancels: tasks in flight finish and are reported. Exits 1 when any task failed or any selected object was blocked (it is still not compliant).',
  examples: [
    `s3-reencrypt run --manifest s3://my-inventory/my-data/daily/2026-11-20T01-00Z/manifest.json --target-key ${KEY} --report s3://my-work/reencrypt`,
    `s3-reencrypt run --manifest ./objects.csv --target-key ${KEY} --report s3://my-work/reencrypt --concurrency 64 --json`,
  ],
  configure: (cmd) => {
    addJobInputOptions(cmd);
    cmd.option('--concurrency <n>', 'tasks in flight at once (1-1024)', integerIn(1, 1024), 16);
  },
  // SSE-KMS needs the bucket in the key's Region, so that is where to work unless told otherwise.
  regionFrom: (options) => regionOfKeyArn(options.targetKey),
  async run(options, ctx) {
    checkSelection(options);
    const progress = pipelineProgress(ctx, 'run');
    let result: LocalPipelineResult;
    try {
      result = await runLocalPipeline(
        { s3: ctx.clients.s3(), kms: ctx.clients.kms(), logger: cliLogger(ctx, { tasks: 'debug' }) },
        {
          source: jobSource(options.manifest),
          targetKey: options.targetKey,
          region: ctx.aws.region,
          updateRoute: updateAvailable(options, ctx.aws) ? 'enabled' : 'disabled',
          bucketKey: options.bucketKey,
          strategy: options.strategy,
          deletePriorVersion: options.deletePriorVersion === true,
          preflight: options.preflight,
          selection: triggerSelection(options),
          concurrency: options.concurrency,
          multipart: { thresholdBytes: options.multipartThreshold },
          reports: options.report,
          ...(options.manifests ? { manifests: options.manifests } : {}),
          onProgress: progress.onProgress,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        },
      );
    } finally {
      progress.stop();
    }
    const view = runView(result);
    const incomplete =
      result.totals.failed > 0 || result.totals.blockedBeforeJob > 0 || result.status === 'cancelled';
    return {
      exitCode: incomplete ? ExitCodes.objectsFailed : ExitCodes.ok,
      data: { command: 'run', ...view },
      text: renderText(view),
    };
  },
});

function jobView(j: PipelineJob) {
  const loc = j.report ? locationFromManifestKey(j.report.bucket, j.report.manifestKey) : undefined;
  const cost = j.summary?.cost && 'withBucketKeys' in j.summary.cost ? j.summary.cost : undefined;
  return {
    jobId: j.jobId,
    kind: j.kind,
    status: j.description?.status ?? null,
    manifest: `s3://${j.manifest.bucket}/${j.manifest.key}`,
    progress: j.description?.progress ?? null,
    failureReasons: j.description?.failureReasons ?? [],
    report: j.report ? `s3://${j.report.bucket}/${j.report.manifestKey}` : null,
    summary: loc ? `s3://${loc.bucket}/${summaryJsonKey(loc)}` : null,
    headline: j.summary?.headline ?? null,
    cost: cost ?? null,
  };
}

export function runView(r: LocalPipelineResult) {
  return {
    status: r.status,
    targetKeyArn: r.targetKeyArn,
    accountId: r.accountId,
    plan: r.plan ? `s3://${r.plan.bucket}/${r.plan.key}` : null,
    planned: r.plan ? r.plan.document.stats.byRoute : null,
    planCost: r.planCost ?? null,
    totals: r.totals,
    blocked: r.blocked,
    jobs: r.jobs.map(jobView),
  };
}

const n = (x: number) => x.toLocaleString('en-US');

const chosenUsd = (c: CostEstimate) => c[c.chosen].oneTimeUsd;

export function renderText(v: ReturnType<typeof runView>): string {
  const t = v.totals;
  const lines: string[] = [];
  if (v.status === 'compliant') lines.push('nothing to do: every selected object is already compliant');
  else if (v.status === 'blocked-only')
    lines.push('no job run: the only objects needing work are blocked (act on them first, see below)');
  else if (v.status === 'already-processed')
    lines.push('this inventory delivery already has its jobs; none was run again');
  else
    lines.push(
      `${v.status === 'cancelled' ? 'cancelled' : 'done'}: ${n(t.tasks)} tasks, ${n(t.succeeded)} succeeded, ${n(t.failed)} failed${t.redrives ? `, ${n(t.redrives)} redriven` : ''}`,
    );
  for (const j of v.jobs) if (j.headline) lines.push(j.headline);
  if (t.tasks > 0)
    lines.push(
      '',
      table(
        ['ROUTE', 'OBJECTS', 'BYTES'],
        SummaryRoutes.map((r) => [r, n(t.routes[r].objects), formatBytes(t.routes[r].bytes)]),
      ),
    );
  const causes = Object.entries(t.failuresByCause);
  if (causes.length) lines.push('', `failed by cause: ${causes.map(([c, k]) => `${c} ${n(k)}`).join(', ')}`);
  if (t.retryable)
    lines.push(`${plural(t.retryable, 'task')} worth retrying: see the retry manifest beside the report`);
  if (t.blockedBeforeJob) {
    lines.push('', `${plural(t.blockedBeforeJob, 'object')} blocked before any job (not changed):`);
    for (const b of v.blocked.slice(0, 10))
      lines.push(`  ${b.key}${b.versionId ? ` (${b.versionId})` : ''}: ${b.reason}`);
  }
  lines.push('');
  if (v.plan) lines.push(`plan: ${v.plan}`);
  for (const j of v.jobs) {
    if (j.report) lines.push(`report: ${j.report}`);
    if (j.summary) lines.push(`summary: ${j.summary}`);
    for (const f of j.failureReasons) lines.push(`job ${j.jobId} failure: ${f.code}: ${f.reason}`);
  }
  const runCost = v.jobs.reduce((a, j) => a + (j.cost ? chosenUsd(j.cost) : 0), 0);
  if (v.jobs.some((j) => j.cost)) lines.push(`estimated cost of this run on AWS: ${formatUsd(runCost)}`);
  else if (v.planCost) lines.push(`estimated cost on AWS: ${formatUsd(chosenUsd(v.planCost))}`);
  return lines.join('\n').trimEnd();
}
