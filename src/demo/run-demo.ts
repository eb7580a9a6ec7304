import { CreateAliasCommand, CreateKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { type AwsSettings, makeKmsClient, makeS3Client } from '../aws/clients.js';
import type { CostEstimate } from '../cost/line-item.js';
import { generateInventory } from '../inventory/generate.js';
import { s3ObjectCreatedEvent } from '../pipeline/events.js';
import { runLocalPipeline } from '../pipeline/local.js';
import type { LocalPipelineResult, PipelineEvent } from '../pipeline/types.js';
import type { SummaryRoute } from '../report/summary.js';
import { DemoError } from './errors.js';
import { ensureMoto, startLocalS3 } from './local-s3.js';
import { seedDemoBucket } from './seed.js';
import { snapshot, type Verification, verifySeeded } from './verify.js';

const MiB = 1024 ** 2;
const REGION = 'us-east-1';
const TARGET_ALIAS = 'alias/s3-reencrypt-demo';
/** Lowered from 5 GiB so one demo object takes the multipart route in a few seconds. */
export const DEMO_MULTIPART = { thresholdBytes: 8 * MiB, partSizeBytes: 5 * MiB } as const;
const BUCKETS = { data: 'demo-data', inventory: 'demo-inventory', work: 'demo-work' } as const;

export type DemoEvent = { readonly type: 'line'; readonly text: string } | PipelineEvent;

export interface DemoOptions {
  /** Repository root: holds requirements-test.txt and the `.venv` with moto server. */
  readonly root: string;
  readonly progress?: (event: DemoEvent) => void;
  /** The caller prints one JSON document: no `line` events, only structured job events. */
  readonly json?: boolean;
  /** Extra small SSE-S3 objects (default 100) so the progress bar has something to count. */
  readonly bulkObjects?: number;
}

/** One line of the summary table. */
export interface DemoTableRow {
  readonly route: SummaryRoute | 'blocked-before-job';
  readonly objects: number;
  readonly bytes: number;
}

export interface DemoResult {
  readonly endpoint: string;
  readonly buckets: typeof BUCKETS;
  readonly targetKeyArn: string;
  readonly otherKeyArn: string;
  readonly inventory: { readonly manifest: string; readonly rows: number };
  readonly pipeline: LocalPipelineResult;
  /** Routes from the completion reports, then the objects the trigger refused (no task). */
  readonly table: readonly DemoTableRow[];
  /** One line per job, as the completion-report function headlines it. */
  readonly headlines: readonly string[];
  readonly cost: {
    /** The cost model over the plan, before the run. */
    readonly plan?: CostEstimate;
    /** Per job, from what the run measured. */
    readonly runs: readonly {
      readonly jobId: string;
      readonly estimate: CostEstimate | { readonly error: string };
    }[];
  };
  readonly verification: Verification;
  readonly durationMs: number;
}

async function createKey(kms: KMSClient, description: string): Promise<string> {
  const out = await kms.send(new CreateKeyCommand({ Description: description }));
  if (!out.KeyMetadata?.Arn) throw new DemoError('the local KMS returned no key ARN');
  return out.KeyMetadata.Arn;
}

function tableOf(result: LocalPipelineResult): DemoTableRow[] {
  const order: SummaryRoute[] = ['skip', 'update', 'copy', 'multipart', 'blocked'];
  const rows: DemoTableRow[] = order
    .map((route) => ({ route, ...result.totals.routes[route] }))
    .filter((r) => r.objects > 0)
    .map(({ route, objects, bytes }) => ({ route, objects, bytes }));
  const refused = result.plan?.document.stats.byRoute.blocked;
  if (refused && refused.objects > 0)
    rows.push({ route: 'blocked-before-job', objects: refused.objects, bytes: refused.bytes });
  return rows;
}

/**
 * The whole product on this machine, no AWS account: a local S3 + KMS API (moto server), a seeded bucket,
 * an S3 Inventory report of it, the S3 event that announces it, the trigger, the local Batch engine, the
 * completion report; then every seeded object is checked against what the seed expected. The server is
 * always stopped, also on failure.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const line = (text: string) => {
    if (!options.json) options.progress?.({ type: 'line', text });
  };
  const motoBin = ensureMoto(options.root, line);
  line('Starting a local S3 and KMS API (moto server) ...');
  const server = await startLocalS3(motoBin);
  try {
    const aws: AwsSettings = {
      region: REGION,
      endpoints: { s3: server.endpoint, kms: server.endpoint },
      maxAttempts: 3,
      retryMode: 'standard',
      maxSockets: 32,
      credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' },
    };
    const s3 = makeS3Client(aws);
    const kms = makeKmsClient(aws);

    const [targetKeyArn, otherKeyArn] = await Promise.all([
      createKey(kms, 's3-reencrypt demo target key'),
      createKey(kms, 'another team key'),
    ]);
    await kms.send(new CreateAliasCommand({ AliasName: TARGET_ALIAS, TargetKeyId: targetKeyArn }));
    line(
      `Seeding s3://${BUCKETS.data} (versioned; SSE-S3, unencrypted, another KMS key, archived, awkward keys) ...`,
    );
    const seeded = await seedDemoBucket(s3, {
      bucket: BUCKETS.data,
      targetKeyArn,
      otherKeyArn,
      largeObjectBytes: 12 * MiB + 4321,
      bulkObjects: options.bulkObjects ?? 100,
    });
    await Promise.all(
      [BUCKETS.inventory, BUCKETS.work].map((Bucket) => s3.send(new CreateBucketCommand({ Bucket }))),
    );
    const before = await snapshot(s3, BUCKETS.data, seeded);

    line('Writing an S3 Inventory report (CSV, gzip, all versions) ...');
    const inventory = await generateInventory(s3, {
      sourceBucket: BUCKETS.data,
      destinationBucket: BUCKETS.inventory,
      format: 'CSV',
      versions: 'all',
    });
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: inventory.ref.bucket, Key: inventory.ref.key }),
    );
    const event = s3ObjectCreatedEvent({
      bucket: inventory.ref.bucket,
      key: inventory.ref.key,
      size: head.ContentLength ?? 0,
      etag: inventory.manifestEtag,
      region: REGION,
    });

    line(`Firing the trigger for s3://${inventory.ref.bucket}/${inventory.ref.key} ...`);
    const pipeline = await runLocalPipeline(
      { s3, kms },
      {
        source: { kind: 'event', event },
        targetKey: TARGET_ALIAS,
        region: REGION,
        // moto overwrites objects on UpdateObjectEncryption (testing.md): the copy route it is.
        updateRoute: 'disabled',
        // S3 Inventory has no key column: every SSE-KMS object becomes a task and the function checks its key.
        selection: { reencryptAllSseKms: true },
        multipart: { ...DEMO_MULTIPART, concurrency: 3 },
        reports: { bucket: BUCKETS.work, prefix: 'reports' },
        manifests: { bucket: BUCKETS.work, prefix: 'manifests' },
        ...(options.progress ? { onProgress: options.progress } : {}),
      },
    );

    line('Checking every seeded object ...');
    const verification = await verifySeeded(s3, BUCKETS.data, seeded, before, pipeline, {
      targetKeyArn,
      bucketKey: true,
      multipartDropsBucketKey: true,
    });
    return {
      endpoint: server.endpoint,
      buckets: BUCKETS,
      targetKeyArn,
      otherKeyArn,
      inventory: { manifest: `s3://${inventory.ref.bucket}/${inventory.ref.key}`, rows: inventory.rows },
      pipeline,
      table: tableOf(pipeline),
      headlines: pipeline.jobs.flatMap((j) => (j.summary ? [j.summary.headline] : [])),
      cost: {
        ...(pipeline.planCost ? { plan: pipeline.planCost } : {}),
        runs: pipeline.jobs.flatMap((j) =>
          j.summary?.cost ? [{ jobId: j.jobId, estimate: j.summary.cost }] : [],
        ),
      },
      verification,
      durationMs: Date.now() - started,
    };
  } finally {
    await server.stop();
  }
}
