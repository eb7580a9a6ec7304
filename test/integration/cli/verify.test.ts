import { DeleteObjectCommand, PutObjectCommand, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { generateInventory } from '../../../src/inventory/generate.js';
import { motoClients, newBucket, newKmsKey } from '../../support/aws.js';
import { buildCli, runCli } from '../../support/cli.js';

const { s3, kms } = motoClients();
const endpoint = inject('motoEndpoint');
let target: string;
let other: string;

beforeAll(async () => {
  [target, other] = await Promise.all([
    newKmsKey(kms, 'verify target'),
    newKmsKey(kms, 'verify other'),
    buildCli(),
  ]);
});

const put = (Bucket: string, Key: string, extra: Partial<PutObjectCommandInput> = {}) =>
  s3.send(new PutObjectCommand({ Bucket, Key, Body: `body of ${Key}`, ...extra }));
const underTarget = (bucketKey = true): Partial<PutObjectCommandInput> => ({
  ServerSideEncryption: 'aws:kms',
  SSEKMSKeyId: target,
  BucketKeyEnabled: bucketKey,
});
const verify = (bucket: string, ...args: string[]) =>
  runCli(['verify', '--bucket', bucket, '--target-key', target, '--endpoint-url', endpoint, ...args]);

describe('s3-reencrypt verify (built CLI against moto)', () => {
  it('exits 1 and lists every object that is not compliant, by reason', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    await Promise.all([
      put(bucket, 'ok/compliant.txt', underTarget()),
      put(bucket, 'sse-s3.txt', { ServerSideEncryption: 'AES256' }),
      put(bucket, 'plain.txt'),
      put(bucket, 'other key.txt', {
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: other,
        BucketKeyEnabled: true,
      }),
      put(bucket, 'no-bucket-key+ü.txt', underTarget(false)),
    ]);
    // Act
    const run = await verify(bucket, '--json');
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({
      command: 'verify',
      bucket,
      allCompliant: false,
      checked: 5,
      compliant: 1,
      nonCompliant: 4,
      byReason: { 'sse-s3': 1, unencrypted: 1, 'other-kms-key': 1, 'bucket-key-mismatch': 1 },
      target: { keyArn: target, bucketKey: true },
    });
    expect(
      Object.fromEntries(out.findings.map((f: { key: string; reason: string }) => [f.key, f.reason])),
    ).toEqual({
      'sse-s3.txt': 'sse-s3',
      'plain.txt': 'unencrypted',
      'other key.txt': 'other-kms-key',
      'no-bucket-key+ü.txt': 'bucket-key-mismatch',
    });
    expect(out.findings.find((f: { key: string }) => f.key === 'other key.txt').encryption).toEqual({
      algorithm: 'aws:kms',
      kmsKeyArn: other,
      bucketKeyEnabled: true,
    });
  });

  it('exits 0 when every object is compliant, and says so in text', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    await Promise.all([put(bucket, 'a', underTarget()), put(bucket, 'b/c', underTarget())]);
    // Act
    const run = await verify(bucket);
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `s3://${bucket}/: 2 objects checked, 2 compliant, 0 not compliant\ntarget: ${target}, Bucket Key on\n`,
    );
  });

  it('honours --bucket-key false and --prefix', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    await Promise.all([
      put(bucket, 'in/a', underTarget(false)),
      put(bucket, 'out/b', { ServerSideEncryption: 'AES256' }),
    ]);
    // Act
    const run = await verify(bucket, '--bucket-key', 'false', '--prefix', 'in/', '--json');
    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ prefix: 'in/', checked: 1, compliant: 1, findings: [] });
  });

  it('audits noncurrent versions with --all-versions, skipping delete markers', async () => {
    // Prepare
    const bucket = await newBucket(s3, { versioned: true });
    await put(bucket, 'doc', { ServerSideEncryption: 'AES256' });
    await put(bucket, 'doc', underTarget());
    await put(bucket, 'deleted', underTarget());
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'deleted' }));
    // Act
    const current = await verify(bucket, '--json');
    const all = await verify(bucket, '--all-versions', '--json');
    // Assess
    expect(current.code).toBe(0);
    expect(all.code).toBe(1);
    const out = JSON.parse(all.stdout);
    expect(out).toMatchObject({ allVersions: true, checked: 3, compliant: 2, deleteMarkersSkipped: 1 });
    expect(out.findings).toEqual([
      expect.objectContaining({
        key: 'doc',
        isLatest: false,
        reason: 'sse-s3',
        versionId: expect.any(String),
      }),
    ]);
  });

  it('truncates the text table and points to --json for the full list', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    await Promise.all(Array.from({ length: 23 }, (_, i) => put(bucket, `k${String(i).padStart(2, '0')}`)));
    // Act
    const run = await verify(bucket, '--concurrency', '4');
    // Assess
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`s3://${bucket}/: 23 objects checked, 0 compliant, 23 not compliant`);
    expect(lines).toContain('KEY  REASON       FOUND');
    expect(lines.filter((l) => /^k\d\d +unencrypted +NONE$/.test(l))).toHaveLength(20);
    expect(lines.at(-1)).toBe('... and 3 more (use --json for the full list)');
  });

  it('audits from an S3 Inventory, sending HEADs only for the SSE-KMS objects', async () => {
    // Prepare
    const [bucket, inventoryBucket] = await Promise.all([newBucket(s3), newBucket(s3, { prefix: 'inv' })]);
    await Promise.all([
      put(bucket, 'compliant', underTarget()),
      put(bucket, 'other-key', {
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: other,
        BucketKeyEnabled: true,
      }),
      put(bucket, 'sse-s3', { ServerSideEncryption: 'AES256' }),
      put(bucket, 'plain'),
      put(bucket, 'no-bucket-key', underTarget(false)),
    ]);
    const inventory = await generateInventory(s3, {
      sourceBucket: bucket,
      destinationBucket: inventoryBucket,
    });
    const uri = `s3://${inventoryBucket}/${inventory.ref.key}`;
    // Act
    const run = await verify(bucket, '--inventory', uri, '--json');
    // Assess
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ checked: 5, compliant: 1, headRequests: 2, inventory: { manifest: uri } });
    expect(
      out.findings.map((f: { key: string; reason: string; source: string }) => [f.key, f.reason, f.source]),
    ).toEqual([
      ['no-bucket-key', 'bucket-key-mismatch', 'inventory'],
      ['other-key', 'other-kms-key', 'head'],
      ['plain', 'unencrypted', 'inventory'],
      ['sse-s3', 'sse-s3', 'inventory'],
    ]);
  });

  it('exits 2 when the inventory is of another bucket', async () => {
    // Prepare
    const [bucket, elsewhere, inventoryBucket] = await Promise.all([
      newBucket(s3),
      newBucket(s3),
      newBucket(s3),
    ]);
    const inventory = await generateInventory(s3, {
      sourceBucket: elsewhere,
      destinationBucket: inventoryBucket,
    });
    // Act
    const run = await verify(bucket, '--inventory', `s3://${inventoryBucket}/${inventory.ref.key}`);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(`^error: the inventory at .* lists bucket ${elsewhere}, not ${bucket}\n$`),
    );
  });

  it('exits 2 when the bucket does not exist', async () => {
    // Act
    const run = await verify('no-such-bucket-for-verify');
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'error: bucket no-such-bucket-for-verify does not exist: check --bucket (and --endpoint-url)\n',
    );
  });
});
