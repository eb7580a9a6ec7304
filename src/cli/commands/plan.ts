import { CostError } from '../../cost/errors.js';
import { planFromCostInputs } from '../../cost/from-plan.js';
import type { CostEstimate } from '../../cost/line-item.js';
import { estimateMigration } from '../../cost/migration.js';
import { renderCostMarkdown } from '../../cost/render.js';
import { classifyRow } from '../../inventory/filter.js';
import { type InventoryStatsJson, StatsCollector } from '../../inventory/stats.js';
import { costInputsFromStats } from '../../manifest/plan-estimate.js';
import { formatBytes } from '../../report/render.js';
import { defineCommand } from '../command.js';
import { InterruptedError } from '../errors.js';
import { ExitCodes } from '../exit-codes.js';
import { openInventory } from '../inventory-source.js';
import { type InputFile, inputFile, regionName } from '../options.js';
import { plural, table } from '../render.js';
import {
  addSelectionOptions,
  checkSelection,
  type SelectionCliOptions,
  selectionOptions,
  triggerSelection,
  updateAvailable,
} from '../selection.js';

interface PlanOptions extends SelectionCliOptions {
  readonly inventory: InputFile;
  readonly fallbackPriceRegion?: string;
}

/** First guess for the progress bar: S3 Inventory CSV.gz holds about 30-35 rows per compressed KiB. */
const ROWS_PER_KIB = 32;

/** Keys listed per kind in the output: a taste of what happens, not the list (the trigger writes that). */
const SAMPLE_KEYS = 20;

interface Sample {
  readonly key: string;
  readonly versionId?: string;
  readonly route?: string;
  readonly reason?: string;
}

export const planCommand = defineCommand<PlanOptions>({
  name: 'plan',
  summary: 'read an S3 Inventory: what is encrypted how, what would be re-encrypted, what it would cost',
  description:
    'Reads every row of an S3 Inventory delivery (CSV or Parquet; from S3 or a local copy) through the same filter as the trigger, and counts objects by encryption status, storage class and route: skip (already compliant), update, copy, multipart, or blocked (needs action first). Prices the run with the cost model. Writes nothing. Inventory has no KMS key column: SSE-KMS objects count as compliant unless --reencrypt-all-sse-kms.',
  examples: [
    's3-reencrypt plan --inventory s3://my-inventory/my-data/daily/2026-11-20T01-00Z/manifest.json --region eu-west-2',
    's3-reencrypt plan --inventory ./inventory/my-data/daily/2026-11-20T01-00Z/manifest.json --exclude-prefix logs/ --json',
  ],
  configure: (cmd) => {
    cmd.requiredOption(
      '--inventory <s3-uri|path>',
      'the delivery\'s manifest.json: s3://bucket/…/manifest.json or a local copy (data files beside it, as "aws s3 sync" lays them out)',
      inputFile,
    );
    addSelectionOptions(cmd);
    cmd.option(
      '--fallback-price-region <region>',
      'prices to use when --region has no price table',
      regionName,
    );
  },
  async run(options, ctx) {
    checkSelection(options);
    const now = new Date();
    const source = await openInventory(options.inventory, () => ctx.clients.s3());
    const { manifest } = source;
    const selection = selectionOptions(options, ctx.aws, now);
    const collector = new StatsCollector();
    const samples: { work: Sample[]; blocked: Sample[] } = { work: [], blocked: [] };
    const progress = ctx.progress({ label: 'plan', failureLabel: 'blocked' });
    const totalBytes = manifest.files.reduce((a, f) => a + f.size, 0);
    let bytesRead = 0;
    let scanned = 0;
    progress.setTotal(Math.ceil((totalBytes / 1024) * ROWS_PER_KIB));
    try {
      for (const file of manifest.files) {
        for await (const row of source.rows(file)) {
          if (ctx.signal?.aborted)
            throw new InterruptedError(`interrupted after ${scanned} inventory rows; nothing was written`);
          const decision = classifyRow(row, selection);
          collector.add(row, decision);
          scanned += 1;
          progress.tick({ failed: decision.kind === 'blocked' });
          const version = manifest.allVersions ? { versionId: row.versionId ?? 'null' } : {};
          if (decision.kind === 'work' && samples.work.length < SAMPLE_KEYS)
            samples.work.push({ key: row.key, ...version, route: decision.route });
          else if (decision.kind === 'blocked' && samples.blocked.length < SAMPLE_KEYS)
            samples.blocked.push({ key: row.key, ...version, reason: decision.reason });
        }
        // Rows are only known once read: the estimate follows the rows per byte seen so far.
        bytesRead += file.size;
        progress.setTotal(bytesRead > 0 ? Math.ceil((scanned / bytesRead) * totalBytes) : scanned);
      }
      progress.setTotal(scanned);
      progress.totalKnown();
    } finally {
      progress.stop();
    }
    const stats = collector.toJSON();
    const work = workOf(stats);
    const cost = estimate(stats, options, ctx.aws.region, manifest.allVersions, (m) => ctx.warn(m));
    const data = {
      command: 'plan',
      inventory: {
        manifest: source.location,
        sourceBucket: manifest.sourceBucket,
        createdAt: manifest.creationTimestamp.toISOString(),
        fileFormat: manifest.fileFormat,
        dataFiles: manifest.files.length,
        dataBytes: manifest.files.reduce((a, f) => a + f.size, 0),
        allVersions: manifest.allVersions,
        checksumVerified: manifest.checksumVerified,
      },
      selection: {
        ...triggerSelection(options),
        bucketKey: options.bucketKey,
        strategy: options.strategy,
        multipartThresholdBytes: options.multipartThreshold,
        updateAvailable: updateAvailable(options, ctx.aws),
      },
      compliant: work.objects === 0 && stats.byRoute.blocked.objects === 0,
      wouldReencrypt: work,
      stats,
      samples,
      cost: cost ?? null,
    };
    return { exitCode: ExitCodes.ok, data, text: renderText(data, cost) };
  },
});

function workOf(stats: InventoryStatsJson) {
  const { update, copy, multipart } = stats.byRoute;
  return {
    objects: update.objects + copy.objects + multipart.objects,
    bytes: update.bytes + copy.bytes + multipart.bytes,
    byRoute: { update, copy, multipart },
  };
}

/** The cost model over the plan, as the pipeline prices plan.json; none (with a warning) without prices. */
function estimate(
  stats: InventoryStatsJson,
  o: PlanOptions,
  region: string,
  versioned: boolean,
  warn: (message: string) => void,
): CostEstimate | undefined {
  const work = workOf(stats);
  const inputs = costInputsFromStats(stats, {
    region,
    bucketKey: o.bucketKey,
    versioned,
    jobs: work.objects > 0 ? 1 : 0,
    tasks: work.objects,
  });
  try {
    return estimateMigration(planFromCostInputs(inputs), {
      region,
      bucketKey: o.bucketKey,
      // Inventory-derived tasks carry their facts as hints: the function needs no HEAD for them.
      hints: true,
      deletePriorVersion: o.deletePriorVersion === true,
      ...(o.fallbackPriceRegion ? { fallbackRegion: o.fallbackPriceRegion } : {}),
    });
  } catch (e) {
    if (!(e instanceof CostError)) throw e;
    warn(`no cost estimate: ${e.message}`);
    return undefined;
  }
}

const n = (x: number) => x.toLocaleString('en-US');

function renderText(
  d: {
    inventory: {
      manifest: string;
      sourceBucket: string;
      createdAt: string;
      fileFormat: string;
      dataFiles: number;
      allVersions: boolean;
    };
    stats: InventoryStatsJson;
    wouldReencrypt: ReturnType<typeof workOf>;
    samples: { work: Sample[]; blocked: Sample[] };
  },
  cost: CostEstimate | undefined,
): string {
  const { stats: s, wouldReencrypt: w, inventory: inv } = d;
  const excluded = Object.values(s.excluded).reduce((a, t) => a + t.objects, 0);
  const lines = [
    `inventory ${inv.manifest}`,
    `bucket ${inv.sourceBucket}, created ${inv.createdAt}, ${inv.fileFormat}, ${plural(inv.dataFiles, 'data file')}, ${inv.allVersions ? 'all versions' : 'current versions'}`,
    '',
    `${n(s.rowsScanned)} rows: ${n(w.objects)} to re-encrypt (${formatBytes(w.bytes)}: update ${n(w.byRoute.update.objects)}, copy ${n(w.byRoute.copy.objects)}, multipart ${n(w.byRoute.multipart.objects)}), ` +
      `${n(s.byRoute.skip.objects)} already compliant, ${n(s.byRoute.blocked.objects)} blocked, ${n(excluded)} excluded`,
  ];
  if (s.breakdown.length > 0)
    lines.push(
      '',
      table(
        ['ENCRYPTION', 'STORAGE CLASS', 'ROUTE', 'OBJECTS', 'BYTES'],
        s.breakdown.map((c) => [c.encryption, c.storageClass, c.route, n(c.objects), formatBytes(c.bytes)]),
      ),
    );
  const reasons = (r: Partial<Record<string, { objects: number }>>) =>
    Object.entries(r)
      .map(([k, t]) => `${k} ${n(t?.objects ?? 0)}`)
      .join(', ');
  if (s.byRoute.blocked.objects > 0) {
    lines.push('', `blocked (act first, then run again): ${reasons(s.blocked)}`);
    for (const b of d.samples.blocked.slice(0, 5))
      lines.push(`  ${b.key}${b.versionId ? ` (${b.versionId})` : ''}: ${b.reason}`);
  }
  if (excluded > 0) lines.push(`excluded: ${reasons(s.excluded)}`);
  if (s.archived.work.objects > 0) lines.push(`archived objects with work: ${n(s.archived.work.objects)}`);
  if (cost) lines.push('', renderCostMarkdown(cost, '## Estimated cost'));
  return lines.join('\n');
}
