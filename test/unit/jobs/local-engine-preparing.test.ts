/**
 * What the local engine checks in Preparing, before any task runs: the manifest object, its ETag,
 * its CSV rules, and the report bucket. A failing check ends the job Failed with the reason, as
 * Batch does, and the function is never called.
 */
import { describe, expect, it } from 'vitest';
import { csvInventory, recordingHandler, succeeded } from '../../helpers/jobs.js';
import { MANIFESTS, REPORTS, rig } from './engine-rig.js';

const setup = () => {
  const recorded = recordingHandler(() => succeeded());
  return { ...rig(recorded.handler), invocations: recorded.events };
};

describe('LocalBatchEngine Preparing', () => {
  it.each([
    ['a UTF-8 byte order mark', '\ufeffsrc,a\n', ['Bucket', 'Key'], /byte order mark/],
    ['an empty line', 'src,a\n\nsrc,b\n', ['Bucket', 'Key'], /line 2 .* is empty/],
    ['a trailing empty line', 'src,a\nsrc,b\n\n', ['Bucket', 'Key'], /line 3 .* is empty/],
    [
      'a version id on some rows only',
      'src,a,v1\nsrc,b\n',
      ['Bucket', 'Key', 'VersionId'],
      /line 2 .* has 2 columns .* version id column is missing/,
    ],
    [
      'a version id column not declared in Fields',
      'src,a\nsrc,b,v2\n',
      ['Bucket', 'Key'],
      /line 2 .* has 3 columns .* every row must have a version id or none/,
    ],
    [
      'a row that is not a bucket name',
      'Not_A_Bucket,a\n',
      ['Bucket', 'Key'],
      /line 1 .* is not a bucket name/,
    ],
    ['an empty key', 'src,\n', ['Bucket', 'Key'], /line 1 .* key column is empty/],
    ['an unterminated quote', 'src,"a\n', ['Bucket', 'Key'], /is not valid CSV/],
  ] as const)('fails the job on %s without invoking the function', async (_case, text, fields, reason) => {
    // Prepare
    const { engine, s3, request, invocations } = setup();
    const etag = s3.put(MANIFESTS, 'm.csv', text);
    const spec = {
      format: 'S3BatchOperations_CSV_20180820',
      bucket: MANIFESTS,
      key: 'm.csv',
      etag,
      fields,
    } as const;
    // Act
    const { jobId } = await engine.create(request({ ...spec, fields: [...fields] }));
    const job = await engine.waitFor(jobId);
    // Assess
    expect(job.status).toBe('Failed');
    expect(job.failureReasons).toEqual([{ code: 'ManifestInvalid', reason: expect.stringMatching(reason) }]);
    expect(invocations).toHaveLength(0);
    expect(s3.keys(REPORTS)).toEqual([]);
  });

  it('fails the job when the manifest ETag differs from the one given at creation', async () => {
    // Prepare
    const { engine, s3, request, invocations } = setup();
    s3.put(MANIFESTS, 'm.csv', 'src,a\n');
    const spec = {
      format: 'S3BatchOperations_CSV_20180820',
      bucket: MANIFESTS,
      key: 'm.csv',
      etag: '00000000000000000000000000000000',
      fields: ['Bucket', 'Key'],
    } as const;
    // Act
    const { jobId } = await engine.create(request(spec));
    const job = await engine.waitFor(jobId);
    // Assess
    expect(job.status).toBe('Failed');
    expect(job.failureReasons).toEqual([
      {
        code: 'ManifestETagMismatch',
        reason: expect.stringContaining('not "00000000000000000000000000000000"'),
      },
    ]);
    expect(invocations).toHaveLength(0);
  });

  it('fails the job when the manifest does not exist', async () => {
    // Prepare
    const { engine, request, invocations } = setup();
    const spec = {
      format: 'S3BatchOperations_CSV_20180820',
      bucket: MANIFESTS,
      key: 'missing.csv',
      etag: '00000000000000000000000000000000',
      fields: ['Bucket', 'Key'],
    } as const;
    // Act
    const { jobId } = await engine.create(request(spec));
    const job = await engine.waitFor(jobId);
    // Assess
    expect(job.failureReasons).toEqual([
      { code: 'ManifestNotFound', reason: `manifest s3://${MANIFESTS}/missing.csv does not exist` },
    ]);
    expect(invocations).toHaveLength(0);
  });

  it('fails the job when a CSV manifest is SSE-KMS encrypted, which Batch cannot read', async () => {
    // Prepare
    const { engine, s3, request, invocations } = setup();
    const etag = s3.put(MANIFESTS, 'm.csv', 'src,a\n', 'aws:kms');
    const spec = {
      format: 'S3BatchOperations_CSV_20180820',
      bucket: MANIFESTS,
      key: 'm.csv',
      etag,
      fields: ['Bucket', 'Key'],
    } as const;
    // Act
    const { jobId } = await engine.create(request(spec));
    const job = await engine.waitFor(jobId);
    // Assess
    expect(job.failureReasons[0]?.code).toBe('ManifestEncryptionUnsupported');
    expect(invocations).toHaveLength(0);
  });

  it('fails the job when the report bucket does not exist', async () => {
    // Prepare
    const { engine, manifest, request, invocations } = setup();
    // Act
    const { jobId } = await engine.create({
      ...request(manifest([['src', 'a']])),
      report: { bucket: 'no-such-reports', prefix: 'r', scope: 'AllTasks' },
    });
    const job = await engine.waitFor(jobId);
    // Assess
    expect(job.failureReasons).toEqual([
      { code: 'ReportBucketNotFound', reason: 'report bucket no-such-reports does not exist' },
    ]);
    expect(invocations).toHaveLength(0);
  });

  it.each([
    [
      'a Parquet inventory',
      {
        fileFormat: 'Parquet',
        fileSchema:
          'message s3.inventory { required binary bucket; required binary key; optional binary encryption_status; }',
      },
      /accepts only CSV inventory reports/,
    ],
    [
      'an inventory without the EncryptionStatus column',
      { fileSchema: 'Bucket, Key, Size' },
      /no EncryptionStatus column/,
    ],
  ])(
    'fails an inventory-manifest job on %s without invoking the function',
    async (_case, overrides, reason) => {
      // Prepare
      const { engine, s3, request, invocations } = setup();
      const inventory = csvInventory({
        sourceBucket: 'src',
        destinationBucket: MANIFESTS,
        dataKey: 'inv/data/1.csv.gz',
        rows: [['src', 'a', '1', 'SSE-S3']],
        ...overrides,
      });
      s3.put(MANIFESTS, 'inv/data/1.csv.gz', inventory.data);
      const etag = s3.put(MANIFESTS, 'inv/manifest.json', inventory.manifestJson);
      // Act
      const { jobId } = await engine.create(
        request({
          format: 'S3InventoryReport_CSV_20161130',
          bucket: MANIFESTS,
          key: 'inv/manifest.json',
          etag,
        }),
      );
      const job = await engine.waitFor(jobId);
      // Assess
      expect(job.status).toBe('Failed');
      expect(job.failureReasons).toEqual([
        { code: 'ManifestInvalid', reason: expect.stringMatching(reason) },
      ]);
      expect(invocations).toHaveLength(0);
    },
  );

  it('fails an inventory-manifest job whose data file has a row of the wrong width, naming the row', async () => {
    // Prepare
    const { engine, s3, request, invocations } = setup();
    const inventory = csvInventory({
      sourceBucket: 'src',
      destinationBucket: MANIFESTS,
      dataKey: 'inv/data/1.csv.gz',
      rows: [
        ['src', 'a', '1', 'SSE-S3'],
        ['src', 'b', '1'],
      ],
    });
    s3.put(MANIFESTS, 'inv/data/1.csv.gz', inventory.data);
    const etag = s3.put(MANIFESTS, 'inv/manifest.json', inventory.manifestJson);
    // Act
    const { jobId } = await engine.create(
      request({
        format: 'S3InventoryReport_CSV_20161130',
        bucket: MANIFESTS,
        key: 'inv/manifest.json',
        etag,
      }),
    );
    const job = await engine.waitFor(jobId);
    // Assess
    expect(job.failureReasons).toEqual([
      { code: 'ManifestInvalid', reason: expect.stringContaining('row 2') },
    ]);
    expect(invocations).toHaveLength(0);
  });

  it('completes an empty manifest without a report', async () => {
    // Prepare
    const { engine, s3, request, invocations } = setup();
    const etag = s3.put(MANIFESTS, 'm.csv', '');
    const spec = {
      format: 'S3BatchOperations_CSV_20180820',
      bucket: MANIFESTS,
      key: 'm.csv',
      etag,
      fields: ['Bucket', 'Key'],
    } as const;
    // Act
    const { jobId } = await engine.create(request(spec));
    const job = await engine.waitFor(jobId);
    // Assess
    expect(job).toMatchObject({ status: 'Complete', progress: { totalTasks: 0 } });
    expect(invocations).toHaveLength(0);
    expect(s3.keys(REPORTS)).toEqual([]);
  });

  it('fails the job when the manifest is replaced after Preparing read it', async () => {
    // Prepare: the listener swaps the manifest as the job turns Ready, before the run reads it again.
    const recorded = recordingHandler(() => succeeded());
    const holder: { put?: (b: string, k: string, t: string) => string } = {};
    const { engine, s3, manifest, request } = rig(recorded.handler, {
      onEvent: (e) => {
        if (e.type === 'status' && e.status === 'Ready')
          holder.put?.(MANIFESTS, 'job/manifest.csv', 'src,other\n');
      },
    });
    holder.put = s3.put;
    // Act
    const { jobId } = await engine.create(request(manifest([['src', 'a']])));
    const job = await engine.waitFor(jobId);
    // Assess
    expect(job.status).toBe('Failed');
    expect(job.failureReasons).toEqual([
      { code: 'ManifestETagMismatch', reason: expect.stringContaining('changed since the job was created') },
    ]);
    expect(recorded.events).toHaveLength(0);
  });
});
