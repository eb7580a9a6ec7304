import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeKmsClient, makeS3Client } from '../../../src/aws/clients.js';
import { loadScheduledConfig } from '../../../src/config/scheduled.js';
import { generateInventory } from '../../../src/inventory/generate.js';
import { LocalBatchEngine } from '../../../src/jobs/local-engine.js';
import { silentLogger } from '../../../src/observability/logger.js';
import { EmfMetrics, METRICS_NAMESPACE } from '../../../src/observability/metrics.js';
import { runLocalPipeline } from '../../../src/pipeline/index.js';
import { makeReencryptHandler } from '../../../src/reencrypt/index.js';
import { runScheduled } from '../../../src/scheduled/run.js';
import { motoSettings, newBucket, newKmsKey } from '../../support/aws.js';
import { type S3Proxy, startS3Proxy } from '../../support/s3-proxy.js';
import { type CfnTemplate, packageTemplate } from '../../support/template.js';

// The dashboard and alarms must point at metrics the functions really emit: this runs the pipeline,
// the scheduled sweep and the report through the production EMF adapter, reads the EMF lines they
// print, and checks every widget's and alarm's metric name and exact dimension set against them.

type Emitted = Set<string>;
const signature = (name: string, dims: readonly string[]) => `${name}{${[...dims].sort().join(',')}}`;

/** Runs `fn` while collecting the (metric, dimension set) pairs of every EMF line printed to stdout. */
async function captureEmf(fn: (metrics: EmfMetrics) => Promise<void>): Promise<Emitted> {
  const emitted: Emitted = new Set();
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    for (const line of String(chunk).split('\n')) {
      if (!line.startsWith('{"_aws"')) continue;
      const doc = JSON.parse(line) as {
        _aws: {
          CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
        };
      };
      for (const d of doc._aws.CloudWatchMetrics) {
        if (d.Namespace !== METRICS_NAMESPACE) continue;
        for (const m of d.Metrics) for (const dims of d.Dimensions) emitted.add(signature(m.Name, dims));
      }
    }
    return original(chunk as string, ...(rest as []));
  }) as typeof process.stdout.write;
  try {
    const metrics = new EmfMetrics('dashboard-test');
    await fn(metrics);
    metrics.publish();
  } finally {
    process.stdout.write = original;
  }
  return emitted;
}

function dashboardMetrics(t: CfnTemplate): string[] {
  const dashboard = t.Resources.Dashboard;
  if (!dashboard) throw new Error('the template has no Dashboard resource');
  const body = (dashboard.Properties as { DashboardBody: { 'Fn::Sub': string } }).DashboardBody['Fn::Sub'];
  const widgets = (JSON.parse(body) as { widgets: { properties: { metrics: unknown[][] } }[] }).widgets;
  const out: string[] = [];
  for (const w of widgets)
    for (const row of w.properties.metrics) {
      const first = row[0];
      if (typeof first === 'object' && first !== null && 'expression' in first) {
        const m = /SEARCH\('\{([^}]*)\} MetricName="([^"]+)"'/.exec(
          (first as { expression: string }).expression,
        );
        if (!m) throw new Error(`unparsed widget expression ${(first as { expression: string }).expression}`);
        const [namespace, ...dims] = m[1]!.split(',');
        if (namespace === METRICS_NAMESPACE) out.push(signature(m[2]!, dims));
      }
    }
  return out;
}

function alarmMetrics(t: CfnTemplate): string[] {
  return Object.values(t.Resources)
    .filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties?.Namespace === METRICS_NAMESPACE)
    .map((r) =>
      signature(
        r.Properties?.MetricName as string,
        ((r.Properties?.Dimensions ?? []) as { Name: string }[]).map((d) => d.Name),
      ),
    );
}

let proxy: S3Proxy;
let emitted: Emitted;
let template: CfnTemplate;

beforeAll(async () => {
  template = packageTemplate().template;
  proxy = await startS3Proxy({ target: inject('motoEndpoint') });
  const aws = motoSettings(proxy.endpoint);
  const s3 = makeS3Client(aws);
  const kms = makeKmsClient(aws);
  const [source, swept, inventory, work] = await Promise.all([
    newBucket(s3),
    newBucket(s3),
    newBucket(s3),
    newBucket(s3),
  ]);
  const keyArn = await newKmsKey(kms);
  for (const k of ['sse-s3/a', 'sse-s3/b', 'sse-s3/c'])
    await s3.send(new PutObjectCommand({ Bucket: source, Key: k, Body: k, ServerSideEncryption: 'AES256' }));
  await s3.send(
    new PutObjectCommand({
      Bucket: source,
      Key: 'compliant',
      Body: 'ok',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: keyArn,
      BucketKeyEnabled: true,
    }),
  );
  const HOUR = 3_600_000;
  const inventoryOf = (sourceBucket: string, now: Date) =>
    generateInventory(s3, {
      sourceBucket,
      destinationBucket: inventory,
      destinationPrefix: 'inventory',
      configId: 'daily',
      now,
    });
  const first = await inventoryOf(source, new Date(Date.now() - HOUR));
  // The update route meets the proxy's 501 (fallback to copy); three throttled copies exhaust one
  // task's SDK attempts (a redrive); a CSV task for a missing key fails permanently.
  proxy.setFaults([
    {
      kind: 'slowDown',
      rate: 1,
      operations: ['CopyObject'],
      maxCount: 3,
      match: (r) => r.key === 'sse-s3/b',
    },
  ]);
  emitted = await captureEmf(async (metrics) => {
    const deps = { s3, kms, logger: silentLogger, metrics };
    const common = {
      targetKey: keyArn,
      region: aws.region,
      updateRoute: 'enabled' as const,
      reports: { bucket: work },
      manifests: { bucket: work, prefix: 'manifests' },
      engine: { redrive: { baseDelayMs: 1, maxDelayMs: 5 } },
    };
    await runLocalPipeline(deps, {
      ...common,
      source: { kind: 'inventory', uri: `s3://${first.ref.bucket}/${first.ref.key}` },
    });
    await s3.send(
      new PutObjectCommand({ Bucket: work, Key: 'missing.csv', Body: `${source},no-such-key\n` }),
    );
    await runLocalPipeline(deps, { ...common, source: { kind: 'csv', uri: `s3://${work}/missing.csv` } });
    // The scheduled sweep on a second bucket, so that the jobs it asks about live in its engine: a run
    // it starts and completes, then an upload that bypasses the key and a later inventory (drift), and
    // a job waiting for confirmation (progress).
    await s3.send(
      new PutObjectCommand({ Bucket: swept, Key: 'old', Body: 'x', ServerSideEncryption: 'AES256' }),
    );
    await inventoryOf(swept, new Date(Date.now() - HOUR));
    const config = loadScheduledConfig(
      {
        BATCH_ROLE_ARN: 'arn:aws:iam::123456789012:role/batch',
        REENCRYPT_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:reencrypt',
        ACCOUNT_ID: keyArn.split(':')[4],
        TARGET_KEY_ARN: keyArn,
        MANIFEST_BUCKET: work,
        MANIFEST_PREFIX: 'manifests',
        REPORT_BUCKET: work,
        INVENTORY_BUCKET: inventory,
        INVENTORY_PREFIX: 'inventory',
        MANAGED_BUCKETS: swept,
      },
      aws,
    );
    const engine = new LocalBatchEngine({
      s3,
      handler: makeReencryptHandler(
        { s3 },
        {
          bucketKey: true,
          strategy: 'auto',
          multipartThresholdBytes: 5 * 1024 ** 3,
          deletePriorVersion: false,
          updateRoute: 'disabled',
        },
      ),
    });
    const sweepDeps = { s3, kms, jobs: engine, logger: silentLogger, metrics };
    await runScheduled(sweepDeps, config);
    const [job] = await engine.list(config.trigger.accountId);
    if (!job) throw new Error('the scheduled sweep created no job');
    await engine.waitFor(job.jobId);
    await s3.send(
      new PutObjectCommand({ Bucket: swept, Key: 'late', Body: 'y', ServerSideEncryption: 'AES256' }),
    );
    await inventoryOf(swept, new Date(Date.now() + HOUR));
    await runScheduled(sweepDeps, { ...config, trigger: { ...config.trigger, confirmationRequired: true } });
  });
}, 180_000);

afterAll(async () => {
  await proxy?.stop();
});

describe('dashboard and alarms', () => {
  it('select every custom metric by a name and dimension set the functions emit', () => {
    // Assess: each widget's exact SEARCH schema matches something really printed as EMF
    const wanted = dashboardMetrics(template);
    expect(wanted.length).toBeGreaterThanOrEqual(14);
    const missing = wanted.filter((w) => !emitted.has(w));
    expect(missing, `emitted: ${[...emitted].sort().join(' ')}`).toEqual([]);
  });

  it('alarm on custom metrics the functions emit with exactly the alarm dimensions', () => {
    const wanted = alarmMetrics(template);
    expect(wanted.length).toBeGreaterThanOrEqual(2);
    expect(wanted.filter((w) => !emitted.has(w))).toEqual([]);
  });

  it('name the service of the function that emits each alarmed metric', () => {
    const env = (fn: string) =>
      (template.Resources[fn]?.Properties?.Environment as { Variables: Record<string, unknown> } | undefined)
        ?.Variables ?? {};
    const services = new Set(
      [
        'ReencryptObjectLambdaFunction',
        'ManifestTriggerLambdaFunction',
        'CompletionReportLambdaFunction',
        'ScheduledLambdaFunction',
      ].map((f) => env(f).POWERTOOLS_SERVICE_NAME),
    );
    const alarmServices = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties?.Namespace === METRICS_NAMESPACE)
      .flatMap((r) =>
        ((r.Properties?.Dimensions ?? []) as { Name: string; Value: string }[]).filter(
          (d) => d.Name === 'service',
        ),
      )
      .map((d) => d.Value);
    for (const s of alarmServices) expect(services).toContain(s);
  });
});
