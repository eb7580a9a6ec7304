import { type JobDescription, reportManifestKey, TERMINAL_STATUSES } from '../../jobs/port.js';
import { S3ControlJobs } from '../../jobs/s3-control-jobs.js';
import { ACCOUNT_ENV, accountFrom } from '../account.js';
import { defineCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { ExitCodes } from '../exit-codes.js';
import { accountId } from '../options.js';
import { plural } from '../render.js';

interface StatusOptions {
  readonly accountId?: string;
}

/** Batch job ids are UUIDs (a job ARN ends with one); anything else is a typo, caught before a call. */
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function jobId(value: string): string {
  const id = value.replace(/^arn:[^:]+:s3:[^:]*:\d{12}:job\//, '');
  if (!JOB_ID.test(id))
    throw new UsageError(`"${value}" is not a Batch Operations job id (a UUID, or the job ARN)`);
  return id;
}

export const statusCommand = defineCommand<StatusOptions>({
  name: 'status',
  summary: "a Batch Operations job's progress: status, tasks done and failed, failure reasons",
  description:
    'Calls DescribeJob. Exits 1 when the job failed, was cancelled, or finished with failed tasks; 0 while it runs or once it completed without failures. The completion report location is printed for `s3-reencrypt report`.',
  arguments: '<job-id>',
  examples: [
    's3-reencrypt status 8d1f3a6e-2b4c-4d5e-9f60-7a8b9c0d1e2f --account-id 111122223333 --region eu-west-2',
    'AWS_ACCOUNT_ID=111122223333 s3-reencrypt status 8d1f3a6e-2b4c-4d5e-9f60-7a8b9c0d1e2f --json',
  ],
  configure: (cmd) => {
    cmd.option('--account-id <id>', `account that owns the job (default: ${ACCOUNT_ENV})`, accountId);
  },
  async run(options, ctx, args) {
    const id = jobId(args[0] ?? '');
    const account = accountFrom(options.accountId, ctx.io);
    const jobs = new S3ControlJobs({ client: ctx.clients.s3control() });
    const job = await jobs.describe(account, id);
    const view = statusView(job);
    const failed =
      job.status === 'Failed' || job.status === 'Cancelled' || (view.terminal && job.progress.failed > 0);
    return {
      exitCode: failed ? ExitCodes.objectsFailed : ExitCodes.ok,
      data: { command: 'status', accountId: account, ...view },
      text: renderText(view),
    };
  },
});

export function statusView(job: JobDescription) {
  const p = job.progress;
  const done = p.succeeded + p.failed;
  return {
    jobId: job.jobId,
    status: job.status,
    terminal: TERMINAL_STATUSES.has(job.status),
    percentComplete: p.totalTasks > 0 ? Math.floor((done / p.totalTasks) * 1000) / 10 : null,
    progress: {
      totalTasks: p.totalTasks,
      succeeded: p.succeeded,
      failed: p.failed,
      remaining: Math.max(0, p.totalTasks - done),
      ...(p.elapsedSeconds !== undefined ? { elapsedSeconds: p.elapsedSeconds } : {}),
    },
    failureReasons: job.failureReasons,
    ...(job.statusUpdateReason ? { statusUpdateReason: job.statusUpdateReason } : {}),
    ...(job.description ? { description: job.description } : {}),
    ...(job.operation ? { operation: job.operation } : {}),
    ...(job.priority !== undefined ? { priority: job.priority } : {}),
    ...(job.creationTime ? { creationTime: job.creationTime.toISOString() } : {}),
    ...(job.terminationDate ? { terminationDate: job.terminationDate.toISOString() } : {}),
    ...(job.confirmationRequired !== undefined ? { confirmationRequired: job.confirmationRequired } : {}),
    ...(job.report
      ? { report: `s3://${job.report.bucket}/${reportManifestKey(job.report.prefix, job.jobId)}` }
      : {}),
  };
}

function renderText(v: ReturnType<typeof statusView>): string {
  const p = v.progress;
  const pct = v.percentComplete === null ? '' : ` (${v.percentComplete}%)`;
  const lines = [
    `job ${v.jobId}: ${v.status}${v.description ? ` - ${v.description}` : ''}`,
    `tasks: ${p.succeeded + p.failed} of ${p.totalTasks} done${pct}, ${p.succeeded} succeeded, ${p.failed} failed`,
  ];
  if (p.elapsedSeconds !== undefined) lines.push(`elapsed: ${p.elapsedSeconds} s`);
  if (v.status === 'Suspended' && v.confirmationRequired)
    lines.push('waiting for confirmation: confirm the job in the S3 console or with UpdateJobStatus Ready');
  if (v.statusUpdateReason) lines.push(`status reason: ${v.statusUpdateReason}`);
  if (v.failureReasons.length) {
    lines.push(`${plural(v.failureReasons.length, 'failure reason')}:`);
    for (const f of v.failureReasons) lines.push(`  ${f.code}: ${f.reason}`);
  }
  if (v.report) lines.push(`completion report: ${v.report}${v.terminal ? '' : ' (once the job ends)'}`);
  return lines.join('\n');
}
