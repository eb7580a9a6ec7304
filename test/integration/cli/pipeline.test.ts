import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { seedDemoBucket } from '../../../src/demo/seed.js';
import { generateInventory } from '../../../src/inventory/generate.js';
import { motoClients, newBucket, newKmsKey, uniqueBucketName } from '../../support/aws.js';
import { buildCli, runCli } from '../../support/cli.js';

const { s3, kms } = motoClients();
const endpoint = inject('motoEndpoint');
const MiB = 1024 ** 2;

let target: string;
let other: string;
/** One seeded bucket and its inventory, shared by the plan → run → report chain below. */
let data: string;
let work: string;
let manifestUri: string;
let planned: Record<string, unknown> & { wouldReencrypt: { byRoute: Record<string, { objects: number }> } };
let ran: { code: number | null; out: Record<string, unknown> & { jobs: { report: string }[] } };

beforeAll(async () => {
  [target, other] = await Promise.all([
    newKmsKey(kms, 'cli pipeline target'),
    newKmsKey(kms, 'cli pipeline other'),
    buildCli(),
  ]);
  data = uniqueBucketName('cli-data');
  await seedDemoBucket(s3, {
    bucket: data,
    targetKeyArn: target,
    otherKeyArn: other,
    largeObjectBytes: 6 * MiB,
  });
  work = await newBucket(s3, { prefix: 'cli-work' });
  const inventory = await generateInventory(s3, { sourceBucket: data, destinationBucket: work });
  manifestUri = `s3://${work}/${inventory.ref.key}`;
});

const common = ['--endpoint-url', endpoint, '--multipart-threshold', '5MiB'];

describe('s3-reencrypt plan → run → report (built CLI against moto)', () => {
  it('plans from an inventory: counts by encryption, class and route, blocked objects and a cost', async () => {
    // Act
    const run = await runCli(['plan', '--inventory', manifestUri, ...common, '--json']);
    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    planned = JSON.parse(run.stdout);
    expect(planned).toMatchObject({
      command: 'plan',
      inventory: { manifest: manifestUri, sourceBucket: data, fileFormat: 'CSV', checksumVerified: true },
      selection: { updateAvailable: false, multipartThresholdBytes: 5 * MiB, versions: 'current' },
      compliant: false,
      // 14 current objects: 1 compliant, 1 archived (blocked), 1 above the threshold, 11 to copy.
      wouldReencrypt: {
        objects: 12,
        byRoute: { update: { objects: 0 }, copy: { objects: 11 }, multipart: { objects: 1 } },
      },
      stats: {
        rowsScanned: 14,
        byRoute: { skip: { objects: 1 }, blocked: { objects: 1 } },
        blocked: { 'archived-restore-first': { objects: 1 } },
      },
      samples: { blocked: [{ key: 'archive/2019-backup.tar', reason: 'archived-restore-first' }] },
    });
    expect(planned.stats).toMatchObject({
      breakdown: expect.arrayContaining([
        {
          encryption: 'SSE-KMS',
          storageClass: 'STANDARD_IA',
          route: 'copy',
          objects: 1,
          bytes: expect.any(Number),
        },
        {
          encryption: 'NOT-SSE',
          storageClass: 'GLACIER',
          route: 'blocked',
          objects: 1,
          bytes: expect.any(Number),
        },
      ]),
    });
    expect(planned.cost).toMatchObject({ kind: 'migration', region: 'us-east-1', chosen: 'withBucketKeys' });
  });

  it('runs the inventory with the local engine, doing what the plan said, and exits 1 for the blocked object', async () => {
    // Act
    const run = await runCli([
      'run',
      '--manifest',
      manifestUri,
      '--target-key',
      target,
      '--report',
      `s3://${work}/reencrypt`,
      '--concurrency',
      '4',
      ...common,
      '--json',
    ]);
    // Assess
    ran = { code: run.code, out: JSON.parse(run.stdout) };
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const plan = planned.wouldReencrypt.byRoute;
    expect(ran.out).toMatchObject({
      command: 'run',
      status: 'completed',
      targetKeyArn: target,
      totals: {
        tasks: 12,
        succeeded: 12,
        failed: 0,
        blockedBeforeJob: 1,
        routes: { copy: { objects: plan.copy?.objects }, multipart: { objects: plan.multipart?.objects } },
      },
      blocked: [{ key: 'archive/2019-backup.tar', reason: 'archived-restore-first' }],
      jobs: [
        {
          kind: 'lambda-hinted',
          status: 'Complete',
          report: expect.stringMatching(/\/job-[^/]+\/manifest\.json$/),
        },
      ],
    });
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: data, Key: 'odd/with space & plus+sign.txt' }),
    );
    expect(head).toMatchObject({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: target,
      BucketKeyEnabled: true,
    });
  });

  it('summarises the completion report that run wrote', async () => {
    // Prepare
    const report = ran.out.jobs[0]?.report as string;
    // Act
    const json = await runCli(['report', report, '--endpoint-url', endpoint, '--json']);
    const text = await runCli(['report', report, '--endpoint-url', endpoint]);
    // Assess
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    const out = JSON.parse(json.stdout);
    expect(out).toMatchObject({
      command: 'report',
      manifest: report,
      allSucceeded: true,
      summary: {
        tasks: { total: 12, succeeded: 12, failed: 0 },
        routes: { copy: { objects: 11 }, multipart: { objects: 1 } },
      },
      cost: { kind: 'run' },
      summaryDocument: expect.stringMatching(/\/summary\.json$/),
    });
    expect(out.headline).toMatch(/Complete: 12 re-encrypted .*, no failures$/);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^# s3-reencrypt job .* Complete: 12 re-encrypted/);
    expect(text.stdout).toContain('| copied in place | 11 |');
  });

  it('plans from a local copy of the inventory with the same numbers as from S3', async () => {
    // Prepare: the delivery as `aws s3 sync s3://<work>/inventory ./inventory` lays it out.
    const dir = await mkdtemp(join(tmpdir(), 'cli-inventory-'));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: work, Prefix: 'inventory/' }));
    for (const { Key } of listed.Contents ?? []) {
      const body = await s3.send(new GetObjectCommand({ Bucket: work, Key }));
      const path = join(dir, Key as string);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(
        path,
        await (body.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
      );
    }
    const local = join(dir, manifestUri.slice(`s3://${work}/`.length));
    // Act
    const run = await runCli(['plan', '--inventory', local, ...common, '--json']);
    // Assess
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.inventory).toMatchObject({ manifest: local, checksumVerified: true });
    expect(out.stats).toEqual(planned.stats);
  });

  it('runs a local CSV manifest, exits 1 and names the object that failed', async () => {
    // Prepare
    const bucket = await newBucket(s3, { prefix: 'cli-csv' });
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'a b.txt', Body: 'a', ServerSideEncryption: 'AES256' }),
    );
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain.txt', Body: 'p' }));
    const csv = join(await mkdtemp(join(tmpdir(), 'cli-csv-')), 'objects.csv');
    await writeFile(csv, `${bucket},a%20b.txt\n${bucket},plain.txt\n${bucket},missing.txt\n`);
    // Act
    const run = await runCli([
      'run',
      '--manifest',
      csv,
      '--target-key',
      target,
      '--report',
      `s3://${bucket}/reports`,
      '--endpoint-url',
      endpoint,
      '--json',
    ]);
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({
      status: 'completed',
      plan: null,
      totals: { tasks: 3, succeeded: 2, failed: 1, routes: { copy: { objects: 2 } } },
      jobs: [{ kind: 'csv', status: 'Complete' }],
    });
    expect(Object.keys(out.totals.failuresByCause)).toHaveLength(1);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'a b.txt' }));
    expect(head).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: target });
    // The report of that run: exit 1, the failed key named under its cause.
    const report = await runCli(['report', out.jobs[0].report, '--endpoint-url', endpoint]);
    expect(report.code).toBe(1);
    expect(report.stdout).toMatch(/2 re-encrypted .*, 1 failed/);
    expect(report.stdout).toMatch(/\| [a-z-]+ \| 1 \| \d \| `missing\.txt`/);
  });

  it('prints a readable plan and run as text', async () => {
    // Prepare
    const bucket = await newBucket(s3, { prefix: 'cli-text' });
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x', ServerSideEncryption: 'AES256' }),
    );
    const inventory = await generateInventory(s3, {
      sourceBucket: bucket,
      destinationBucket: bucket,
      format: 'Parquet',
    });
    const uri = `s3://${bucket}/${inventory.ref.key}`;
    // Act
    const plan = await runCli(['plan', '--inventory', uri, '--endpoint-url', endpoint]);
    const run = await runCli([
      'run',
      '--manifest',
      uri,
      '--target-key',
      target,
      '--report',
      `s3://${bucket}/r`,
      '--endpoint-url',
      endpoint,
    ]);
    // Assess
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(
      '1 rows: 1 to re-encrypt (1 B: update 0, copy 1, multipart 0), 0 already compliant',
    );
    expect(plan.stdout).toMatch(
      /ENCRYPTION +STORAGE CLASS +ROUTE +OBJECTS +BYTES\nSSE-S3 +STANDARD +copy +1 +1 B/,
    );
    expect(plan.stdout).toContain('## Estimated cost');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^done: 1 tasks, 1 succeeded, 0 failed\n/);
    expect(run.stdout).toMatch(/\nreport: s3:\/\/.*\/r\/job-.*\/manifest\.json\n/);
    expect(run.stderr).toBe('');
  });
});
