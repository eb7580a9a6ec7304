import { CostError } from '../../cost/errors.js';
import type { CostEstimate } from '../../cost/line-item.js';
import { runCost } from '../../report/cost.js';
import { summaryDigest } from '../../report/digest.js';
import type { RetryOutcome, SummaryDocument } from '../../report/document.js';
import { locationFromManifestKey, type ReportLocation, summaryJsonKey } from '../../report/location.js';
import { summariseReport } from '../../report/read.js';
import { headline, renderSummaryMarkdown } from '../../report/render.js';
import { type ReportSource, S3ReportSource } from '../../report/source.js';
import type { JobFacts, ReportSummary } from '../../report/summary.js';
import { defineCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { ExitCodes } from '../exit-codes.js';
import { booleanValue, integerIn, regionName, s3Uri } from '../options.js';

interface ReportOptions {
  readonly sampleKeys: number;
  readonly bucketKey: boolean;
  readonly fallbackPriceRegion?: string;
}

export const reportCommand = defineCommand<ReportOptions>({
  name: 'report',
  summary: 'summarise a completion report: routes, failures by cause, what the run cost',
  description:
    "Reads a Batch Operations completion report (manifest.json and every result file, MD5-checked) and summarises it as the deployed report function does: objects by route, failed tasks by cause with sample keys, and the run's cost. Read-only: it writes no summary and creates no retry job. Exits 1 when any task failed.",
  arguments: '<manifest-uri>',
  examples: [
    's3-reencrypt report s3://my-batch-reports/reports/job-8d1f3a6e-2b4c-4d5e-9f60-7a8b9c0d1e2f/manifest.json',
    's3-reencrypt report s3://my-batch-reports/reports/job-8d1f3a6e-2b4c-4d5e-9f60-7a8b9c0d1e2f/manifest.json --json',
  ],
  configure: (cmd) => {
    cmd
      .option('--sample-keys <n>', 'sample keys kept per failure cause', integerIn(0, 100), 5)
      .option(
        '--bucket-key [true|false]',
        'the Bucket Key setting the job used (for the cost)',
        booleanValue,
        true,
      )
      .option(
        '--fallback-price-region <region>',
        'prices to use when --region has no price table',
        regionName,
      );
  },
  async run(options, ctx, args) {
    const loc = reportLocation(args[0] ?? '');
    const source = new S3ReportSource(ctx.clients.s3());
    const { summary } = await summariseReport(source, loc, {
      sampleKeys: options.sampleKeys,
      keysEncoded: true,
    });
    const cost = costOf(summary, options, ctx.aws.region, (m) => ctx.warn(m));
    const earlier = await earlierSummary(source, loc, summary);
    const doc: SummaryDocument = {
      schema: 's3-reencrypt.summary-document/1',
      jobId: loc.jobId,
      digest: summaryDigest(summary),
      state: 'done',
      headline: '',
      job: earlier?.job ?? { failureReasons: [] },
      summary,
      ...(cost ? { cost } : {}),
      retry: earlier?.retry ?? readOnlyRetry(summary),
      notification: { status: 'not-configured' },
      processedAt: new Date().toISOString(),
    };
    const line = headline(doc);
    return {
      exitCode: summary.tasks.failed > 0 ? ExitCodes.objectsFailed : ExitCodes.ok,
      data: {
        command: 'report',
        manifest: `s3://${loc.bucket}/${loc.manifestKey}`,
        headline: line,
        allSucceeded: summary.tasks.failed === 0,
        summary,
        cost: cost ?? null,
        ...(earlier ? { summaryDocument: `s3://${loc.bucket}/${summaryJsonKey(loc)}` } : {}),
      },
      text: renderSummaryMarkdown({ ...doc, headline: line }),
    };
  },
});

function reportLocation(uri: string): ReportLocation {
  let parsed: { bucket: string; key: string };
  try {
    parsed = s3Uri('manifest.json')(uri);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const loc = locationFromManifestKey(parsed.bucket, parsed.key);
  if (!loc)
    throw new UsageError(
      `"${uri}" is not a completion report: expected s3://<bucket>/<prefix>/job-<id>/manifest.json`,
    );
  return loc;
}

function costOf(
  summary: ReportSummary,
  o: ReportOptions,
  region: string,
  warn: (message: string) => void,
): CostEstimate | undefined {
  try {
    return runCost(summary, {
      region,
      bucketKey: o.bucketKey,
      ...(o.fallbackPriceRegion ? { fallbackRegion: o.fallbackPriceRegion } : {}),
    });
  } catch (e) {
    if (!(e instanceof CostError)) throw e;
    warn(`no cost estimate: ${e.message}`);
    return undefined;
  }
}

/**
 * summary.json that the report function (or a local run) wrote beside this report: when it summarises the
 * same report, its job facts and retry outcome are shown too.
 */
async function earlierSummary(
  source: ReportSource,
  loc: ReportLocation,
  summary: ReportSummary,
): Promise<{ job: JobFacts; retry: RetryOutcome } | undefined> {
  const text = await source.readText(loc.bucket, summaryJsonKey(loc)).catch(() => undefined);
  if (!text) return undefined;
  try {
    const doc = JSON.parse(text) as Partial<SummaryDocument>;
    if (doc.schema !== 's3-reencrypt.summary-document/1' || doc.digest !== summaryDigest(summary))
      return undefined;
    if (!doc.job || !doc.retry) return undefined;
    return { job: doc.job, retry: doc.retry };
  } catch {
    return undefined;
  }
}

function readOnlyRetry(summary: ReportSummary): RetryOutcome {
  return {
    eligible: summary.tasks.retryable,
    attempt: 0,
    maxAttempts: 0,
    rootJobId: summary.jobId,
    manifests: [],
    jobs: [],
    ...(summary.tasks.retryable > 0
      ? {
          skipped:
            'this command only reads; the deployed completion-report function writes the retry manifest and creates the retry job',
        }
      : {}),
  };
}
