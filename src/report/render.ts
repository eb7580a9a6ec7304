import { formatUsd } from '../cost/line-item.js';
import { renderCostMarkdown } from '../cost/render.js';
import type { SummaryDocument } from './document.js';
import type { ReportSummary } from './summary.js';

const n = (x: number) => x.toLocaleString('en-US');
/** Text safe inside a Markdown table cell (keys may hold any character). */
const cell = (s: string) =>
  s
    .replace(/[`]/g, "'")
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${bytes} B` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

const written = (s: ReportSummary) => s.routes.update.bytes + s.routes.copy.bytes + s.routes.multipart.bytes;

/** One line a person reads first (SNS subject is cut from it). */
export function headline(doc: Pick<SummaryDocument, 'jobId' | 'job' | 'summary'>): string {
  const status = doc.job.status ?? 'finished';
  const s = doc.summary;
  if (!s) {
    const why = doc.job.failureReasons.map((f) => f.code).join(', ');
    return `s3-reencrypt job ${doc.jobId} ${status} without a completion report${why ? ` (${why})` : ''}`;
  }
  const changed = s.routes.update.objects + s.routes.copy.objects + s.routes.multipart.objects;
  const failed =
    s.tasks.failed === 0
      ? 'no failures'
      : `${n(s.tasks.failed)} failed${s.routes.blocked.objects ? ` (${n(s.routes.blocked.objects)} blocked)` : ''}, ${n(s.tasks.retryable)} to retry`;
  return `s3-reencrypt job ${doc.jobId} ${status}: ${n(changed)} re-encrypted (${formatBytes(written(s))}), ${n(
    s.routes.skip.objects,
  )} already compliant, ${failed}`;
}

function routesTable(s: ReportSummary): string[] {
  const label = {
    skip: 'skipped (already compliant)',
    update: 'updated in place (UpdateObjectEncryption)',
    copy: 'copied in place',
    multipart: 'multipart copy',
    blocked: 'blocked (failed, needs action)',
  } as const;
  return [
    '| Route | Objects | Bytes |',
    '| --- | ---: | ---: |',
    ...(Object.keys(label) as (keyof typeof label)[]).map(
      (r) => `| ${label[r]} | ${n(s.routes[r].objects)} | ${formatBytes(s.routes[r].bytes)} |`,
    ),
  ];
}

function failuresSection(s: ReportSummary): string[] {
  if (s.failures.total === 0) return ['No failed tasks.'];
  const out = ['| Cause | Tasks | Retry | Sample keys |', '| --- | ---: | ---: | --- |'];
  for (const c of s.failures.byCause) {
    const samples = c.samples
      .map((x) => `\`${cell(x.key)}\`${x.reason ? ` — ${cell(x.reason.slice(0, 120))}` : ''}`)
      .join('<br>');
    out.push(`| ${c.cause} | ${n(c.count)} | ${n(c.retryable)} | ${samples} |`);
  }
  return out;
}

/** summary.md: what happened, what failed and why, what it cost, what to do next. */
export function renderSummaryMarkdown(doc: SummaryDocument): string {
  const lines = [`# ${headline(doc)}`, ''];
  const j = doc.job;
  if (j.failureReasons.length || j.statusUpdateReason) {
    lines.push('## Job', '');
    for (const f of j.failureReasons) lines.push(`- ${f.code}: ${f.reason}`);
    if (j.statusUpdateReason) lines.push(`- status reason: ${j.statusUpdateReason}`);
    lines.push('');
  }
  const s = doc.summary;
  if (!s) {
    lines.push('No completion report was written (Batch writes one only when at least one task ran).');
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    `Tasks: ${n(s.tasks.total)} (${n(s.tasks.succeeded)} succeeded, ${n(s.tasks.failed)} failed). ` +
      `Report: s3://${s.report.bucket}/${s.report.manifestKey}, created ${s.report.creationDate}.`,
    '',
  );
  const duration = [
    j.elapsedSeconds !== undefined ? `active ${n(j.elapsedSeconds)} s` : undefined,
    j.creationTime ? `created ${j.creationTime}` : undefined,
    j.terminationDate ? `ended ${j.terminationDate}` : undefined,
    `Lambda time ${n(Math.round(s.lambda.taskMs / 1000))} s over ${n(s.lambda.invocations)} invocations (longest task ${n(s.lambda.maxTaskMs)} ms)`,
  ].filter(Boolean);
  lines.push(`Duration: ${duration.join('; ')}.`, '', '## Objects', '', ...routesTable(s), '');
  const fb = Object.entries(s.fallbacks);
  if (fb.length)
    lines.push(
      `Copied because UpdateObjectEncryption was unavailable or refused: ${fb.map(([k, v]) => `${n(v)} ${k}`).join(', ')}.`,
      '',
    );
  if (s.multipartParts) lines.push(`Multipart copies moved ${n(s.multipartParts)} parts.`, '');
  lines.push('## Failures', '', ...failuresSection(s), '');
  const r = doc.retry;
  lines.push('## Retry', '');
  if (r.manifests.length === 0) lines.push('Nothing to retry.');
  for (const m of r.manifests)
    lines.push(
      `- Retry manifest s3://${m.bucket}/${m.key}: ${n(m.rows)} tasks${m.hinted ? ' (hinted)' : ''}.`,
    );
  for (const job of r.jobs)
    lines.push(`- Retry job ${job.jobId} created (attempt ${r.attempt + 1} of ${r.maxAttempts}).`);
  if (r.skipped) lines.push(`- No retry job: ${r.skipped}.`);
  lines.push('');
  if (doc.cost && 'withBucketKeys' in doc.cost)
    lines.push(renderCostMarkdown(doc.cost, '## Cost of this run'), '');
  else if (doc.cost) lines.push('## Cost of this run', '', `Not estimated: ${doc.cost.error}`, '');
  return `${lines.join('\n')}\n`;
}

/** The SNS message: the headline, the numbers that matter and where the details are. Plain text, bounded. */
export function notificationText(doc: SummaryDocument, summaryUri: string): string {
  const lines = [headline(doc), ''];
  for (const f of doc.job.failureReasons) lines.push(`Job failure: ${f.code}: ${f.reason}`);
  const s = doc.summary;
  if (s) {
    lines.push(
      `Tasks: ${n(s.tasks.total)} total, ${n(s.tasks.succeeded)} succeeded, ${n(s.tasks.failed)} failed.`,
      `Routes: ${(['skip', 'update', 'copy', 'multipart', 'blocked'] as const)
        .map((r) => `${r} ${n(s.routes[r].objects)}`)
        .join(', ')}.`,
    );
    for (const c of s.failures.byCause.slice(0, 10))
      lines.push(
        `Failure ${c.cause}: ${n(c.count)}${c.samples[0] ? ` (e.g. ${c.samples[0].key.slice(0, 200)})` : ''}`,
      );
    if (doc.retry.jobs.length) lines.push(`Retry job(s): ${doc.retry.jobs.map((j) => j.jobId).join(', ')}.`);
    else if (doc.retry.skipped) lines.push(`No retry job: ${doc.retry.skipped}.`);
    if (doc.cost && 'withBucketKeys' in doc.cost) {
      const c = doc.cost[doc.cost.chosen];
      lines.push(`Estimated cost of this run: ${formatUsd(c.oneTimeUsd)} (${doc.cost.region} list prices).`);
    }
  }
  lines.push('', `Details: ${summaryUri}`);
  return lines.join('\n');
}
