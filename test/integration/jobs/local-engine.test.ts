/**
 * LocalBatchEngine against moto server over real HTTP: the manifest is read from a bucket, a
 * simple test handler (not the re-encrypt handler) looks at each object, and the completion report
 * is written to S3 in the AWS layout and read back with csv-parse.
 */
import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { decodeKey, encodeKey } from '../../../src/batch/keys.js';
import type { BatchHandler, BatchTaskResult } from '../../../src/batch/types.js';
import type { ReportManifest } from '../../../src/jobs/local/report-writer.js';
import { LocalBatchEngine, type LocalBatchEngineOptions } from '../../../src/jobs/local-engine.js';
import { reportManifestKey } from '../../../src/jobs/port.js';
import { aCreateJobRequest, csvInventory, csvManifestText, lambdaOperation } from '../../helpers/jobs.js';
import { motoClients, newBucket } from '../../support/aws.js';

const { s3 } = motoClients();

const text = async (client: S3Client, Bucket: string, Key: string) =>
  (await (await client.send(new GetObjectCommand({ Bucket, Key }))).Body?.transformToString()) ?? '';

/** Heads each task's object; keys containing "deny" fail permanently, "crash" throws. */
const headHandler: BatchHandler = async (event) => {
  const results: BatchTaskResult[] = [];
  for (const task of event.tasks) {
    const bucket = 's3Bucket' in task ? task.s3Bucket : (task.s3BucketArn.split(':').pop() ?? '');
    const key = decodeKey(task.s3Key);
    if (key.includes('crash')) throw new Error(`cannot handle ${key}`);
    if (key.includes('deny')) {
      results.push({
        taskId: task.taskId,
        resultCode: 'PermanentFailure',
        resultString: `denied: "${key}", sorry`,
      });
      continue;
    }
    const head = await s3.send(
      new HeadObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(task.s3VersionId ? { VersionId: task.s3VersionId } : {}),
      }),
    );
    results.push({
      taskId: task.taskId,
      resultCode: 'Succeeded',
      resultString: JSON.stringify({ r: 'skip', b: head.ContentLength, k: key }),
    });
  }
  return {
    invocationSchemaVersion: event.invocationSchemaVersion,
    treatMissingKeysAs: 'PermanentFailure',
    invocationId: event.invocationId,
    results,
  };
};

async function world(options: Partial<LocalBatchEngineOptions> = {}) {
  const [source, manifests, reports] = await Promise.all([newBucket(s3), newBucket(s3), newBucket(s3)]);
  const engine = new LocalBatchEngine({ s3, handler: headHandler, concurrency: 4, ...options });
  const putManifest = async (rows: readonly (readonly string[])[], key = 'plan/manifest.csv') => {
    const out = await s3.send(
      new PutObjectCommand({ Bucket: manifests, Key: key, Body: csvManifestText(rows) }),
    );
    return { key, etag: (out.ETag ?? '').replace(/"/g, '') };
  };
  return { source, manifests, reports, engine, putManifest };
}

async function readReport(reports: string, prefix: string, jobId: string) {
  const manifest = JSON.parse(await text(s3, reports, reportManifestKey(prefix, jobId))) as ReportManifest;
  const files = await Promise.all(
    manifest.Results.map(async (r) => {
      const body = await text(s3, reports, r.Key);
      const head = await s3.send(new HeadObjectCommand({ Bucket: reports, Key: r.Key }));
      return { ...r, body, sse: head.ServerSideEncryption, rows: parse(body) as string[][] };
    }),
  );
  return { manifest, files };
}

describe('LocalBatchEngine on moto', () => {
  it('runs a CSV manifest and writes the completion report in the AWS layout', async () => {
    // Prepare
    const { source, manifests, reports, engine, putManifest } = await world();
    const keys = ['plain.txt', 'a b+c.txt', 'dir/ü ✓/x,y.bin', 'deny-me', 'crash-me', 'per%cent'];
    for (const key of keys)
      await s3.send(new PutObjectCommand({ Bucket: source, Key: key, Body: `body of ${key}` }));
    const manifest = await putManifest(keys.map((k) => [source, encodeKey(k)]));
    // Act
    const { jobId } = await engine.create(
      aCreateJobRequest({
        manifest: {
          format: 'S3BatchOperations_CSV_20180820',
          bucket: manifests,
          key: manifest.key,
          etag: manifest.etag,
          fields: ['Bucket', 'Key'],
        },
        report: { bucket: reports, prefix: 'batch-reports', scope: 'AllTasks' },
      }),
    );
    const job = await engine.waitFor(jobId);
    const { manifest: report, files } = await readReport(reports, 'batch-reports', jobId);
    // Assess
    expect(job).toMatchObject({ status: 'Complete', progress: { totalTasks: 6, succeeded: 4, failed: 2 } });
    expect(report).toEqual({
      Format: 'Report_CSV_20180820',
      ReportCreationDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      Results: [
        {
          TaskExecutionStatus: 'succeeded',
          Bucket: reports,
          MD5Checksum: expect.stringMatching(/^[0-9a-f]{32}$/),
          Key: expect.any(String),
        },
        {
          TaskExecutionStatus: 'failed',
          Bucket: reports,
          MD5Checksum: expect.stringMatching(/^[0-9a-f]{32}$/),
          Key: expect.any(String),
        },
      ],
      ReportSchema: 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage',
    });
    for (const f of files) {
      expect(f.Key).toMatch(new RegExp(`^batch-reports/job-${jobId}/results/[0-9a-f]{40}\\.csv$`));
      expect(f.MD5Checksum).toBe(createHash('md5').update(f.body).digest('hex'));
      expect(f.sse).toBe('AES256');
    }
    const [ok, failed] = files;
    const byKey = (rows: string[][]) => [...rows].sort((a, b) => (a[1] ?? '').localeCompare(b[1] ?? ''));
    expect(byKey(ok?.rows ?? [])).toEqual(
      byKey(
        ['plain.txt', 'a b+c.txt', 'dir/ü ✓/x,y.bin', 'per%cent'].map((k) => [
          source,
          encodeKey(k),
          '',
          'succeeded',
          '200',
          '',
          JSON.stringify({ r: 'skip', b: Buffer.byteLength(`body of ${k}`), k }),
        ]),
      ),
    );
    expect(byKey(failed?.rows ?? [])).toEqual([
      [
        source,
        'crash-me',
        '',
        'failed',
        '200',
        'PermanentFailure',
        'Lambda returned function error: {"errorType":"Error","errorMessage":"cannot handle crash-me"}',
      ],
      [source, 'deny-me', '', 'failed', '200', 'PermanentFailure', 'denied: "deny-me", sorry'],
    ]);
  });

  it('fails the job without invoking the handler when the manifest ETag does not match', async () => {
    // Prepare
    let invoked = 0;
    const { source, manifests, reports, engine, putManifest } = await world({
      handler: async (event, context) => {
        invoked++;
        return headHandler(event, context);
      },
    });
    await s3.send(new PutObjectCommand({ Bucket: source, Key: 'a', Body: 'a' }));
    const manifest = await putManifest([[source, 'a']]);
    const staleEtag = createHash('md5').update('an older manifest').digest('hex');
    // Act
    const { jobId } = await engine.create(
      aCreateJobRequest({
        manifest: {
          format: 'S3BatchOperations_CSV_20180820',
          bucket: manifests,
          key: manifest.key,
          etag: staleEtag,
          fields: ['Bucket', 'Key'],
        },
        report: { bucket: reports, prefix: 'r', scope: 'AllTasks' },
      }),
    );
    const job = await engine.waitFor(jobId);
    // Assess
    expect(job.status).toBe('Failed');
    expect(job.failureReasons).toEqual([
      {
        code: 'ManifestETagMismatch',
        reason: `the ETag of manifest s3://${manifests}/${manifest.key} is "${manifest.etag}", not "${staleEtag}" as given when the job was created`,
      },
    ]);
    expect(invoked).toBe(0);
    const listed = await s3
      .send(new GetObjectCommand({ Bucket: reports, Key: reportManifestKey('r', jobId) }))
      .catch((e) => e);
    expect(listed).toMatchObject({ name: 'NoSuchKey' });
  });

  it('passes version ids from a versioned manifest and reports them per row', async () => {
    // Prepare
    const { manifests, reports, engine, putManifest } = await world();
    const source = await newBucket(s3, { versioned: true });
    const v1 =
      (await s3.send(new PutObjectCommand({ Bucket: source, Key: 'v.txt', Body: 'first' }))).VersionId ?? '';
    const v2 =
      (await s3.send(new PutObjectCommand({ Bucket: source, Key: 'v.txt', Body: 'second!' }))).VersionId ??
      '';
    const manifest = await putManifest([
      [source, 'v.txt', v1],
      [source, 'v.txt', v2],
    ]);
    // Act
    const { jobId } = await engine.create(
      aCreateJobRequest({
        operation: lambdaOperation({ invocationSchemaVersion: '1.0', userArguments: undefined }),
        manifest: {
          format: 'S3BatchOperations_CSV_20180820',
          bucket: manifests,
          key: manifest.key,
          etag: manifest.etag,
          fields: ['Bucket', 'Key', 'VersionId'],
        },
        report: { bucket: reports, prefix: 'r', scope: 'AllTasks' },
      }),
    );
    await engine.waitFor(jobId);
    const { files } = await readReport(reports, 'r', jobId);
    // Assess
    const rows = files.flatMap((f) => f.rows).sort((a, b) => (a[6] ?? '').localeCompare(b[6] ?? ''));
    expect(rows).toEqual([
      [source, 'v.txt', v1, 'succeeded', '200', '', JSON.stringify({ r: 'skip', b: 5, k: 'v.txt' })],
      [source, 'v.txt', v2, 'succeeded', '200', '', JSON.stringify({ r: 'skip', b: 7, k: 'v.txt' })],
    ]);
  });

  it('splits a large report into several results files, every row accounted for', async () => {
    // Prepare
    const { source, manifests, reports, putManifest } = await world();
    const engine = new LocalBatchEngine({
      s3,
      concurrency: 8,
      report: { maxRowsPerFile: 7 },
      handler: async (event) => ({
        invocationSchemaVersion: event.invocationSchemaVersion,
        treatMissingKeysAs: 'PermanentFailure',
        invocationId: event.invocationId,
        results: event.tasks.map((t) => ({
          taskId: t.taskId,
          resultCode: Number(t.s3Key.slice(1)) % 5 === 0 ? 'PermanentFailure' : 'Succeeded',
          resultString: t.s3Key,
        })),
      }),
    });
    const manifest = await putManifest(Array.from({ length: 40 }, (_, i) => [source, `k${i}`]));
    // Act
    const { jobId } = await engine.create(
      aCreateJobRequest({
        manifest: {
          format: 'S3BatchOperations_CSV_20180820',
          bucket: manifests,
          key: manifest.key,
          etag: manifest.etag,
          fields: ['Bucket', 'Key'],
        },
        report: { bucket: reports, prefix: 'r', scope: 'AllTasks' },
      }),
    );
    await engine.waitFor(jobId);
    const { files } = await readReport(reports, 'r', jobId);
    // Assess
    expect(files.filter((f) => f.TaskExecutionStatus === 'succeeded')).toHaveLength(5);
    expect(files.filter((f) => f.TaskExecutionStatus === 'failed')).toHaveLength(2);
    for (const f of files) expect(new Set(f.rows.map((r) => r[3]))).toEqual(new Set([f.TaskExecutionStatus]));
    const keys = files.flatMap((f) => f.rows.map((r) => r[1]));
    expect(keys.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `k${i}`).sort());
  });

  it('runs an S3 Inventory CSV.gz manifest, passing keys encoded and null versions as "null"', async () => {
    // Prepare
    const { manifests, reports } = await world();
    const source = await newBucket(s3);
    // Written before versioning is enabled, so it stays the null version (empty VersionId in the inventory).
    await s3.send(new PutObjectCommand({ Bucket: source, Key: 'old null.txt', Body: 'old' }));
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: source, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const versioned = ['a b+c.txt', 'dir/ü ✓.bin'];
    const versions: string[] = [];
    for (const key of versioned) {
      const out = await s3.send(new PutObjectCommand({ Bucket: source, Key: key, Body: key }));
      versions.push(out.VersionId ?? '');
    }
    const keys = [...versioned, 'old null.txt'];
    versions.push('');
    const inventory = csvInventory({
      sourceBucket: source,
      destinationBucket: manifests,
      dataKey: `${source}/inv/data/part-0.csv.gz`,
      fileSchema: 'Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, EncryptionStatus',
      rows: keys.map((k, i) => [
        source,
        encodeURIComponent(k),
        versions[i] ?? '',
        'true',
        'false',
        '3',
        'SSE-S3',
      ]),
    });
    await s3.send(
      new PutObjectCommand({
        Bucket: manifests,
        Key: `${source}/inv/data/part-0.csv.gz`,
        Body: inventory.data,
      }),
    );
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: manifests,
        Key: `${source}/inv/2026-01-01T00-00Z/manifest.json`,
        Body: inventory.manifestJson,
      }),
    );
    const seen: { key: string; version: string | null }[] = [];
    const recording = new LocalBatchEngine({
      s3,
      handler: async (event, context) => {
        for (const t of event.tasks) seen.push({ key: t.s3Key, version: t.s3VersionId });
        return headHandler(event, context);
      },
    });
    // Act
    const { jobId } = await recording.create(
      aCreateJobRequest({
        manifest: {
          format: 'S3InventoryReport_CSV_20161130',
          bucket: manifests,
          key: `${source}/inv/2026-01-01T00-00Z/manifest.json`,
          etag: put.ETag ?? '',
        },
        report: { bucket: reports, prefix: 'r', scope: 'AllTasks' },
      }),
    );
    const job = await recording.waitFor(jobId);
    const { files } = await readReport(reports, 'r', jobId);
    // Assess
    expect(job).toMatchObject({ status: 'Complete', progress: { totalTasks: 3, succeeded: 3, failed: 0 } });
    expect(seen.sort((a, b) => a.key.localeCompare(b.key))).toEqual(
      keys
        .map((k, i) => ({ key: encodeKey(k), version: versions[i] || 'null' }))
        .sort((a, b) => a.key.localeCompare(b.key)),
    );
    const rows = files.flatMap((f) => f.rows).map((r) => [r[1], r[2], r[3]]);
    expect(rows.sort()).toEqual(
      keys.map((k, i) => [encodeKey(k), versions[i] || 'null', 'succeeded']).sort(),
    );
  });
});
