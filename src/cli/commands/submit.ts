import { createHash } from 'node:crypto';
import { DEFAULT_SINGLE_RUN_MAX_BYTES } from '../../config/trigger.js';
import { parseInventoryManifestKey } from '../../inventory/layout.js';
import type { InventoryStatsJson } from '../../inventory/stats.js';
import type { CreateJobRequest } from '../../jobs/port.js';
import { S3ControlJobs } from '../../jobs/s3-control-jobs.js';
import { validateTargetKey } from '../../kms/validate.js';
import { noopMetrics } from '../../observability/metrics.js';
import { prepareCsvManifest } from '../../pipeline/csv-source.js';
import { processInventory } from '../../trigger/run.js';
import type { TriggerSettings } from '../../trigger/types.js';
import { accountFrom } from '../account.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { ExitCodes } from '../exit-codes.js';
import { addJobInputOptions, type JobInputOptions, type JobSource, jobSource } from '../job-options.js';
import { cliLogger } from '../logger.js';
import {
  accountId,
  accountOfRoleArn,
  choiceOf,
  functionArn,
  integerIn,
  regionOfKeyArn,
  roleArn,
  s3Uri,
} from '../options.js';
import { plural } from '../render.js';
import { checkSelection, triggerSelection, updateAvailable } from '../selection.js';

interface SubmitOptions extends JobInputOptions {
  readonly roleArn: string;
  readonly functionArn: string;
  readonly accountId?: string;
  readonly confirmationRequired?: boolean;
  readonly priority: number;
  readonly reportScope: 'AllTasks' | 'FailedTasksOnly';
}

interface SubmittedJob {
  readonly jobId: string;
  readonly kind: string;
  readonly tasks?: number;
  readonly manifest: string;
}

const KEY = 'arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ROLE = 'arn:aws:iam::111122223333:role/s3-reencrypt-batch';
const FN = 'arn:aws:lambda:eu-west-2:111122223333:function:s3-reencrypt-reencrypt:live';

export const submitCommand = defineCommand<SubmitOptions>({
  name: 'submit',
  summary: 'create the S3 Batch Operations job(s) on AWS, as the deployed trigger would',
  description:
    'For an S3 Inventory manifest.json: runs the trigger use case (same filter and plan as `plan` and `run`), writes the Batch manifests and plan.json, and creates the jobs with CreateJob. For a Batch CSV manifest (in S3, or a local file that is uploaded first): creates one job over it. Idempotent: the same manifest and settings give the same ClientRequestToken, so submitting twice creates one job. Follow the jobs with `s3-reencrypt status`.',
  examples: [
    `s3-reencrypt submit --manifest s3://my-inventory/my-data/daily/2026-11-20T01-00Z/manifest.json --target-key ${KEY} --report s3://my-batch-reports/reports --role-arn ${ROLE} --function-arn ${FN}`,
    `s3-reencrypt submit --manifest ./retry.csv --target-key ${KEY} --report s3://my-batch-reports/reports --role-arn ${ROLE} --function-arn ${FN} --confirmation-required --json`,
  ],
  configure: (cmd) => {
    addJobInputOptions(cmd);
    cmd
      .requiredOption('--role-arn <arn>', 'the Batch Operations job role', roleArn)
      .requiredOption(
        '--function-arn <arn>',
        'the deployed re-encrypt function (a version or alias ARN)',
        functionArn,
      )
      .option(
        '--account-id <id>',
        "account that owns the jobs (default: AWS_ACCOUNT_ID, then the role's)",
        accountId,
      )
      .option('--confirmation-required', 'create the job Suspended; it runs once confirmed')
      .option('--priority <n>', 'job priority (higher runs first)', integerIn(0, 2_147_483_647), 10)
      .option(
        '--report-scope <scope>',
        'AllTasks (needed for the cost summary) or FailedTasksOnly',
        choiceOf(['AllTasks', 'FailedTasksOnly'] as const),
        'AllTasks',
      );
  },
  regionFrom: (options) => regionOfKeyArn(options.targetKey),
  async run(options, ctx) {
    checkSelection(options);
    const account = accountFrom(options.accountId, ctx.io, accountOfRoleArn(options.roleArn));
    const settings = triggerSettings(options, ctx, account);
    const source = jobSource(options.manifest);
    return source.kind === 'inventory'
      ? submitInventory(ctx, settings, source.uri)
      : submitCsv(ctx, settings, source);
  },
});

function triggerSettings(o: SubmitOptions, ctx: CommandContext, account: string): TriggerSettings {
  const manifests = o.manifests ?? { bucket: o.report.bucket, prefix: 'manifests' };
  return {
    accountId: account,
    region: ctx.aws.region,
    roleArn: o.roleArn,
    functionArn: o.functionArn,
    targetKey: o.targetKey,
    bucketKey: o.bucketKey,
    strategy: o.strategy,
    multipartThresholdBytes: o.multipartThreshold,
    deletePriorVersion: o.deletePriorVersion === true,
    preflight: o.preflight,
    selection: triggerSelection(o),
    updateAvailable: updateAvailable(o, ctx.aws),
    nativeUpdateJob: false,
    manifests,
    reports: { bucket: o.report.bucket, prefix: o.report.prefix, scope: o.reportScope },
    priority: o.priority,
    confirmationRequired: o.confirmationRequired === true,
    managedBuckets: [],
    singleRunMaxBytes: DEFAULT_SINGLE_RUN_MAX_BYTES,
  };
}

async function submitInventory(ctx: CommandContext, settings: TriggerSettings, uri: string) {
  const source = s3Uri()(uri);
  const location = parseInventoryManifestKey(source.key);
  if (!location)
    throw new UsageError(
      `${uri} is not where S3 Inventory delivers: expected s3://<bucket>/<prefix>/<source-bucket>/<config-id>/<YYYY-MM-DDTHH-MMZ>/manifest.json`,
    );
  const outcome = await processInventory(
    {
      s3: ctx.clients.s3(),
      kms: ctx.clients.kms(),
      jobs: new S3ControlJobs({ client: ctx.clients.s3control() }),
      logger: cliLogger(ctx),
      metrics: noopMetrics,
    },
    settings,
    { kind: 'manifest', ref: { bucket: source.bucket, key: source.key, region: settings.region }, location },
  );
  if (outcome.status === 'ignored') throw new UsageError(`${uri} was not processed: ${outcome.reason}`);
  if (outcome.status === 'split-dispatched' || outcome.status === 'part-done')
    throw new UsageError(`the trigger ended with status ${outcome.status}, which submit does not expect`);
  const plan = `s3://${settings.manifests.bucket}/${outcome.planKey}`;
  const jobs: SubmittedJob[] =
    'jobs' in outcome
      ? outcome.jobs.map((j) => ({
          jobId: j.jobId,
          kind: j.kind,
          tasks: j.tasks,
          manifest: `s3://${settings.manifests.bucket}/${j.manifestKey}`,
        }))
      : [];
  return result(settings, {
    source: { kind: 'inventory', uri },
    status: outcome.status,
    plan,
    jobs,
    stats: outcome.stats,
  });
}

async function submitCsv(
  ctx: CommandContext,
  settings: TriggerSettings,
  source: Exclude<JobSource, { kind: 'inventory' }>,
) {
  const key = await validateTargetKey(ctx.clients.kms(), settings.targetKey, settings.region);
  const csv = await prepareCsvManifest(ctx.clients.s3(), source, settings.manifests);
  const userArguments: Record<string, string> = {
    targetKeyArn: key.keyArn,
    bucketKey: String(settings.bucketKey),
    strategy: settings.strategy,
    multipartThresholdBytes: String(settings.multipartThresholdBytes),
    deletePriorVersion: String(settings.deletePriorVersion),
    ...(csv.hints ? { hints: '1' } : {}),
    ...(csv.hints && settings.preflight === 'inventory' ? { preflight: 'inventory' } : {}),
  };
  const uri = `s3://${csv.spec.bucket}/${csv.spec.key}`;
  const request: CreateJobRequest = {
    accountId: settings.accountId,
    // Same manifest version and settings → same token: a second submit returns the first job.
    clientRequestToken: createHash('sha256')
      .update(`${uri}\n${csv.spec.etag}\n${JSON.stringify(userArguments)}\n${settings.functionArn}`)
      .digest('hex'),
    operation: {
      kind: 'LambdaInvoke',
      functionArn: settings.functionArn,
      invocationSchemaVersion: '2.0',
      userArguments,
    },
    manifest: csv.spec,
    report: settings.reports,
    priority: settings.priority,
    roleArn: settings.roleArn,
    confirmationRequired: settings.confirmationRequired,
    description: `s3-reencrypt submit ${uri}`.slice(0, 256),
    tags: [{ key: 's3-reencrypt:job-kind', value: 'csv' }],
  };
  const jobs = new S3ControlJobs({ client: ctx.clients.s3control() });
  const { jobId } = await jobs.create(request);
  return result(settings, {
    source:
      source.kind === 'csv' ? { kind: 'csv', uri } : { kind: 'csv-file', path: source.path, uploadedTo: uri },
    status: 'jobs-created',
    jobs: [{ jobId, kind: 'csv', manifest: uri }],
  });
}

function result(
  settings: TriggerSettings,
  r: {
    source: Record<string, string>;
    status: string;
    plan?: string;
    jobs: readonly SubmittedJob[];
    stats?: InventoryStatsJson;
  },
) {
  const data = {
    command: 'submit',
    accountId: settings.accountId,
    region: settings.region,
    ...r,
    reports: `s3://${settings.reports.bucket}/${settings.reports.prefix}`,
  };
  const lines: string[] = [];
  if (r.status === 'compliant')
    lines.push('nothing to re-encrypt: every selected object is already compliant; no job created');
  else if (r.status === 'blocked-only')
    lines.push(
      'no job created: the only objects needing work are blocked (see blocked.csv beside plan.json)',
    );
  else {
    const verb = r.status === 'existing-jobs' ? 'already has' : 'created';
    lines.push(
      `${verb} ${plural(r.jobs.length, 'job')}${settings.confirmationRequired ? ' (waiting for confirmation)' : ''}:`,
    );
    for (const j of r.jobs)
      lines.push(
        `  ${j.jobId}  ${j.kind}${j.tasks !== undefined ? `, ${plural(j.tasks, 'task')}` : ''}  ${j.manifest}`,
      );
  }
  if (r.stats) {
    const b = r.stats.byRoute;
    lines.push(
      `inventory: ${b.update.objects + b.copy.objects + b.multipart.objects} to re-encrypt, ${b.skip.objects} compliant, ${b.blocked.objects} blocked`,
    );
  }
  if (r.plan) lines.push(`plan: ${r.plan}`);
  lines.push(`reports: ${data.reports}/job-<id>/manifest.json`);
  for (const j of r.jobs)
    lines.push(
      `follow: s3-reencrypt status ${j.jobId} --account-id ${settings.accountId} --region ${settings.region}`,
    );
  return { exitCode: ExitCodes.ok, data, text: lines.join('\n') };
}
