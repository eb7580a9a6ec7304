import { createHash } from 'node:crypto';
import { CreateKeyCommand, DisableKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  InventoryChecksumError,
  InventoryDataFileError,
  InventoryManifestError,
  InventoryRowError,
  UnsupportedInventoryFormatError,
} from '../../../src/inventory/errors.js';
import type { BatchJobs, CreateJobRequest } from '../../../src/jobs/port.js';
import { TargetKeyRegionError, TargetKeyStateError, TargetKeyTypeError } from '../../../src/kms/errors.js';
import { silentLogger } from '../../../src/observability/logger.js';
import { noopMetrics } from '../../../src/observability/metrics.js';
import { runTrigger } from '../../../src/trigger/run.js';
import { csvGz, gzipLines, manifestDocument, triggerSettings } from '../../helpers/inventory.js';
import { motoClients, motoSettings, newBucket, newKmsKey } from '../../support/aws.js';

/** Records CreateJob requests; every case below must end with none. */
class RecordingBatchJobs implements BatchJobs {
  readonly created: CreateJobRequest[] = [];
  async create(request: CreateJobRequest) {
    this.created.push(request);
    return { jobId: 'job-1' };
  }
  describe(): never {
    throw new Error('not used');
  }
  list(): never {
    throw new Error('not used');
  }
  cancel(): never {
    throw new Error('not used');
  }
  confirm(): never {
    throw new Error('not used');
  }
}

const COLS = ['Bucket', 'Key', 'Size', 'EncryptionStatus'] as const;
const rows = (n: number, encryption = 'NOT-SSE') =>
  Array.from({ length: n }, (_, i) => ({
    Bucket: 'data-bucket',
    Key: `k/${i}`,
    Size: i,
    EncryptionStatus: encryption,
  }));
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

interface Delivery {
  /** manifest.json text, or a document that is given valid `files` for the data files. */
  readonly manifest: string | Record<string, unknown>;
  readonly dataFiles?: readonly {
    readonly bytes: Buffer;
    readonly upload?: boolean;
    readonly listedSize?: number;
  }[];
  readonly checksum?: string;
}

describe('malformed input stops the trigger with a clear error and nothing created', () => {
  const { s3, kms } = motoClients();
  let inventoryBucket: string;
  let keyArn: string;
  let delivery = 0;

  beforeAll(async () => {
    [inventoryBucket, keyArn] = await Promise.all([newBucket(s3, { prefix: 'inv' }), newKmsKey(kms)]);
  });

  /** Writes a delivery in the AWS layout and runs the trigger on its S3 event. */
  async function deliverAndRun(d: Delivery, targetKey = keyArn) {
    delivery += 1;
    const base = `inventory/data-bucket/case${delivery}/2024-05-06T00-00Z`;
    const files = await Promise.all(
      (d.dataFiles ?? []).map(async (f, i) => {
        const key = `inventory/data-bucket/case${delivery}/data/${i}.csv.gz`;
        if (f.upload ?? true)
          await s3.send(new PutObjectCommand({ Bucket: inventoryBucket, Key: key, Body: f.bytes }));
        return { key, size: f.listedSize ?? f.bytes.length, MD5checksum: md5(f.bytes) };
      }),
    );
    const text =
      typeof d.manifest === 'string'
        ? d.manifest
        : JSON.stringify({
            ...d.manifest,
            destinationBucket: `arn:aws:s3:::${inventoryBucket}`,
            ...(d.dataFiles ? { files } : {}),
          });
    await s3.send(
      new PutObjectCommand({ Bucket: inventoryBucket, Key: `${base}/manifest.json`, Body: text }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: inventoryBucket,
        Key: `${base}/manifest.checksum`,
        Body: `${d.checksum ?? md5(text)}\n`,
      }),
    );
    const manifestsBucket = await newBucket(s3, { prefix: 'out' });
    const jobs = new RecordingBatchJobs();
    const event = {
      Records: [
        {
          eventSource: 'aws:s3',
          eventName: 'ObjectCreated:Put',
          awsRegion: 'us-east-1',
          s3: {
            bucket: { name: inventoryBucket },
            object: { key: `${base}/manifest.json`, size: text.length },
          },
        },
      ],
    };
    const result = runTrigger(
      { s3, kms, jobs, logger: silentLogger, metrics: noopMetrics },
      triggerSettings({ targetKey, manifests: { bucket: manifestsBucket, prefix: 'plans' } }),
      event,
    );
    return { result, jobs, manifestsBucket };
  }

  async function expectNothingCreated(jobs: RecordingBatchJobs, manifestsBucket: string) {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: manifestsBucket }));
    expect(listed.Contents ?? []).toEqual([]);
    expect(jobs.created).toEqual([]);
  }

  const good = () => ({ bytes: csvGz(rows(3), COLS) });
  const csvManifest = (overrides: Record<string, unknown> = {}) =>
    manifestDocument({ fileSchema: COLS.join(', '), ...overrides });

  it.each<[string, () => Delivery, new (...a: never[]) => Error, RegExp]>([
    [
      'bad JSON',
      () => ({ manifest: '{"sourceBucket": "data-bucket",' }),
      InventoryManifestError,
      /not valid JSON/,
    ],
    [
      'a missing field',
      () => ({ manifest: csvManifest({ fileFormat: undefined }), dataFiles: [good()] }),
      InventoryManifestError,
      /"fileFormat" is missing/,
    ],
    [
      'an unknown fileFormat',
      () => ({ manifest: csvManifest({ fileFormat: 'Avro' }), dataFiles: [good()] }),
      UnsupportedInventoryFormatError,
      /expected CSV or Parquet/,
    ],
    [
      'an ORC inventory',
      () => ({
        manifest: csvManifest({ fileFormat: 'ORC', fileSchema: 'struct<bucket:string,key:string>' }),
        dataFiles: [good()],
      }),
      UnsupportedInventoryFormatError,
      /configuration's output format to CSV .* or Apache Parquet/,
    ],
    [
      'a checksum mismatch',
      () => ({ manifest: csvManifest(), dataFiles: [good()], checksum: md5('something else') }),
      InventoryChecksumError,
      /MD5 of manifest\.json/,
    ],
    [
      'a missing data file',
      () => ({
        manifest: csvManifest(),
        dataFiles: [good(), { bytes: csvGz(rows(2), COLS), upload: false }],
      }),
      InventoryDataFileError,
      /data file listed in manifest\.json is missing/,
    ],
    [
      'a truncated gzip data file after a good one',
      () => {
        const whole = csvGz(rows(5000), COLS);
        return {
          manifest: csvManifest(),
          dataFiles: [good(), { bytes: whole.subarray(0, whole.length - 64) }],
        };
      },
      InventoryDataFileError,
      /not a complete gzip stream/,
    ],
    [
      'a row with the wrong column count',
      () => ({
        manifest: csvManifest(),
        dataFiles: [{ bytes: gzipLines(['"data-bucket","a","1","NOT-SSE"\n', '"data-bucket","b","1"\n']) }],
      }),
      InventoryRowError,
      /row 2 of s3:\/\/.*\/0\.csv\.gz has 3 columns but fileSchema lists 4/,
    ],
    [
      'an unknown encryption status',
      () => ({
        manifest: csvManifest(),
        dataFiles: [good(), { bytes: csvGz([...rows(10), ...rows(1, 'SSE-XYZ')], COLS) }],
      }),
      InventoryRowError,
      /EncryptionStatus is "SSE-XYZ".* in row 11 of/,
    ],
    [
      'a data file replaced since the manifest was written',
      () => ({ manifest: csvManifest(), dataFiles: [{ bytes: csvGz(rows(3), COLS), listedSize: 7 }] }),
      InventoryDataFileError,
      /bytes but manifest\.json lists 7: it was replaced or is incomplete/,
    ],
  ])('%s', async (_name, make, type, message) => {
    // Act
    const { result, jobs, manifestsBucket } = await deliverAndRun(make());
    // Assess
    const error = await result.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
    await expectNothingCreated(jobs, manifestsBucket);
  });

  it('refuses a disabled key', async () => {
    // Prepare
    const disabled = await newKmsKey(kms, 'disabled');
    // moto's DisableKey takes the key id, not the ARN.
    await kms.send(new DisableKeyCommand({ KeyId: disabled.split('/').pop() }));
    // Act
    const { result, jobs, manifestsBucket } = await deliverAndRun(
      { manifest: csvManifest(), dataFiles: [good()] },
      disabled,
    );
    // Assess
    await expect(result).rejects.toThrow(TargetKeyStateError);
    await expectNothingCreated(jobs, manifestsBucket);
  });

  it('refuses an asymmetric key', async () => {
    // Prepare
    const rsa = await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }));
    // Act
    const { result, jobs, manifestsBucket } = await deliverAndRun(
      { manifest: csvManifest(), dataFiles: [good()] },
      rsa.KeyMetadata!.Arn!,
    );
    // Assess
    await expect(result).rejects.toThrow(TargetKeyTypeError);
    await expectNothingCreated(jobs, manifestsBucket);
  });

  it('refuses a key in another Region than the bucket', async () => {
    // Prepare
    const west = new KMSClient({
      ...motoSettings(),
      endpoint: motoSettings().endpoints.kms,
      region: 'eu-west-1',
      credentials: motoSettings().credentials!,
    });
    const foreign = await newKmsKey(west, 'eu key');
    // Act
    const { result, jobs, manifestsBucket } = await deliverAndRun(
      { manifest: csvManifest(), dataFiles: [good()] },
      foreign,
    );
    // Assess
    await expect(result).rejects.toThrow(TargetKeyRegionError);
    await expectNothingCreated(jobs, manifestsBucket);
  });
});
