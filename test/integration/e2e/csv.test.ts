import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { encodeKey } from '../../../src/batch/keys.js';
import {
  type LocalPipelineOptions,
  PipelineInputError,
  runLocalPipeline,
} from '../../../src/pipeline/index.js';
import { motoClients, newBucket, newKmsKey } from '../../support/aws.js';
import { keysUnder, stateOf } from './support.js';

const { s3, kms } = motoClients();

async function buckets() {
  const [data, work, target] = await Promise.all([
    newBucket(s3, { versioned: true, prefix: 'csv-data' }),
    newBucket(s3, { prefix: 'csv-work' }),
    newKmsKey(kms),
  ]);
  const options = (uri: string): LocalPipelineOptions => ({
    source: { kind: 'csv', uri },
    targetKey: target,
    region: 'us-east-1',
    updateRoute: 'disabled',
    reports: { bucket: work },
  });
  return { data, work, target, options };
}

describe('the local pipeline over a Batch CSV manifest', () => {
  it('runs a manifest with version ids given as an s3:// URI', async () => {
    // Prepare
    const { data, work, target, options } = await buckets();
    const keys = ['a b+c.txt', 'dir/ü.txt'];
    const versions = await Promise.all(
      keys.map(
        async (Key) => (await s3.send(new PutObjectCommand({ Bucket: data, Key, Body: Key }))).VersionId,
      ),
    );
    const csv = keys.map((k, i) => `${data},${encodeKey(k)},${versions[i]}\n`).join('');
    await s3.send(new PutObjectCommand({ Bucket: work, Key: 'in/tasks.csv', Body: csv }));
    // Act
    const result = await runLocalPipeline({ s3, kms }, options(`s3://${work}/in/tasks.csv`));
    // Assess
    expect(result).toMatchObject({ status: 'completed', totals: { tasks: 2, succeeded: 2, failed: 0 } });
    expect(result.totals.routes.copy.objects).toBe(2);
    expect(result.totals.blockedBeforeJob).toBe(0);
    for (const Key of keys)
      expect(await stateOf(s3, data, Key)).toMatchObject({ algorithm: 'aws:kms', kmsKeyId: target });
    expect(result.jobs[0]?.summary?.summary?.tasks.withVersionId).toBe(2);
  });

  it('cancels the job when its signal aborts and still summarises the tasks that ran', async () => {
    // Prepare
    const { data, work, options } = await buckets();
    const keys = Array.from({ length: 40 }, (_, i) => `many/${i}.txt`);
    await Promise.all(keys.map((Key) => s3.send(new PutObjectCommand({ Bucket: data, Key, Body: Key }))));
    await s3.send(
      new PutObjectCommand({
        Bucket: work,
        Key: 'in/many.csv',
        Body: keys.map((k) => `${data},${encodeKey(k)}\n`).join(''),
      }),
    );
    const interrupt = new AbortController();
    // Act
    const result = await runLocalPipeline(
      { s3, kms },
      {
        ...options(`s3://${work}/in/many.csv`),
        concurrency: 1,
        signal: interrupt.signal,
        onProgress: (e) => {
          if (e.type === 'task') interrupt.abort();
        },
      },
    );
    // Assess
    expect(result.status).toBe('cancelled');
    expect(result.jobs[0]?.description?.status).toBe('Cancelled');
    expect(result.jobs[0]?.reportOutcome).toBe('summarised');
    expect(result.totals.tasks).toBeGreaterThan(0);
    expect(result.totals.tasks).toBeLessThan(keys.length);
    expect(result.totals.routes.copy.objects).toBe(result.totals.tasks);
  });

  it.each([
    { case: 'four columns', body: 'bucket-name,key,version,extra\n', message: /has 4 columns/ },
    { case: 'an empty object', body: '', message: /is empty/ },
  ])('refuses a manifest with $case and creates nothing', async ({ body, message }) => {
    // Prepare
    const { work, options } = await buckets();
    await s3.send(new PutObjectCommand({ Bucket: work, Key: 'in/bad.csv', Body: body }));
    // Act
    const run = runLocalPipeline({ s3, kms }, options(`s3://${work}/in/bad.csv`));
    // Assess
    await expect(run).rejects.toBeInstanceOf(PipelineInputError);
    await expect(run).rejects.toThrow(message);
    expect(await keysUnder(s3, work, 'reports/')).toEqual([]);
  });

  it('names an inventory URI that is not a manifest.json', async () => {
    // Prepare
    const { work, options } = await buckets();
    // Act
    const run = runLocalPipeline(
      { s3, kms },
      { ...options('unused'), source: { kind: 'inventory', uri: `s3://${work}/inventory/data.csv.gz` } },
    );
    // Assess
    await expect(run).rejects.toThrow(/is not an S3 Inventory manifest\.json/);
  });
});
