import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateJobCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/app.js';
import { commands } from '../../../src/cli/registry.js';
import { generateInventory } from '../../../src/inventory/generate.js';
import { readPlan } from '../../../src/manifest/plan.js';
import { motoClients, newBucket, newKmsKey, TEST_CREDENTIALS } from '../../support/aws.js';
import { fakeIo } from '../../unit/cli/fake-io.js';

// moto has no S3 Control jobs: CreateJob is answered by a client mock and the CLI runs in process;
// S3 and KMS are moto over HTTP (the inventory, the target key, the manifests and plan.json are real).
const s3control = mockClient(S3ControlClient);
const { s3, kms } = motoClients();
const endpoint = inject('motoEndpoint');
const ROLE = 'arn:aws:iam::123456789012:role/s3-reencrypt-batch';
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:s3-reencrypt-object:live';
const JOB = '6c1b2c3d-0000-4000-8000-000000000001';

let target: string;

beforeAll(async () => {
  target = await newKmsKey(kms, 'submit target');
  // The SDK reads credentials from the process environment, not from the CLI's io.env.
  vi.stubEnv('AWS_ACCESS_KEY_ID', TEST_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', TEST_CREDENTIALS.secretAccessKey);
});
afterEach(() => s3control.reset());
afterAll(() => vi.unstubAllEnvs());

async function submit(args: string[]) {
  const io = fakeIo({ AWS_ENDPOINT_URL: endpoint });
  const code = await runCli(
    ['submit', ...args, '--role-arn', ROLE, '--function-arn', FN],
    io,
    commands,
    '0.0.0',
  );
  return { code, stdout: io.stdout.text(), stderr: io.stderr.text() };
}

describe('s3-reencrypt submit (in process; S3 Control mocked, S3 and KMS on moto)', () => {
  it('runs the trigger for an inventory, writes plan.json and creates the job once', async () => {
    // Prepare
    const [data, work] = await Promise.all([
      newBucket(s3, { prefix: 'sub-data' }),
      newBucket(s3, { prefix: 'sub-work' }),
    ]);
    await s3.send(
      new PutObjectCommand({ Bucket: data, Key: 'a b.txt', Body: 'a', ServerSideEncryption: 'AES256' }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: data,
        Key: 'ok',
        Body: 'o',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: target,
        BucketKeyEnabled: true,
      }),
    );
    const inventory = await generateInventory(s3, { sourceBucket: data, destinationBucket: work });
    const uri = `s3://${work}/${inventory.ref.key}`;
    s3control.on(CreateJobCommand).resolves({ JobId: JOB });
    const args = [
      '--manifest',
      uri,
      '--target-key',
      target,
      '--report',
      `s3://${work}/reports/`,
      '--confirmation-required',
      '--priority',
      '42',
      '--json',
    ];
    // Act
    const first = await submit(args);
    const second = await submit(args);
    // Assess
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const out = JSON.parse(first.stdout);
    expect(out).toMatchObject({
      command: 'submit',
      accountId: '123456789012',
      region: 'us-east-1',
      source: { kind: 'inventory', uri },
      status: 'jobs-created',
      jobs: [
        {
          jobId: JOB,
          kind: 'lambda-hinted',
          tasks: 1,
          manifest: expect.stringMatching(new RegExp(`^s3://${work}/manifests/.*/tasks-hinted\\.csv$`)),
        },
      ],
      plan: expect.stringMatching(new RegExp(`^s3://${work}/manifests/${data}/.*/plan\\.json$`)),
      reports: `s3://${work}/reports`,
      stats: { byRoute: { copy: { objects: 1 }, skip: { objects: 1 } } },
    });
    expect(s3control).toHaveReceivedCommandTimes(CreateJobCommand, 1);
    expect(s3control).toHaveReceivedCommandWith(CreateJobCommand, {
      AccountId: '123456789012',
      ConfirmationRequired: true,
      Priority: 42,
      RoleArn: ROLE,
      Operation: {
        LambdaInvoke: expect.objectContaining({
          FunctionArn: FN,
          UserArguments: expect.objectContaining({ targetKeyArn: target, hints: '1', strategy: 'auto' }),
        }),
      },
      Report: expect.objectContaining({
        Bucket: `arn:aws:s3:::${work}`,
        Prefix: 'reports',
        ReportScope: 'AllTasks',
      }),
    });
    const planKey = (out.plan as string).slice(`s3://${work}/`.length);
    expect((await readPlan(s3, work, planKey))?.jobs.map((j) => j.jobId)).toEqual([JOB]);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ status: 'existing-jobs', jobs: [{ jobId: JOB }] });
  });

  it('uploads a local CSV manifest and creates one job over it with a stable token', async () => {
    // Prepare
    const work = await newBucket(s3, { prefix: 'sub-csv' });
    const csv = join(await mkdtemp(join(tmpdir(), 'submit-')), 'retry.csv');
    await writeFile(csv, `${work},a%20b.txt\n${work},c.txt\n`);
    s3control.on(CreateJobCommand).resolves({ JobId: JOB });
    const args = [
      '--manifest',
      csv,
      '--target-key',
      target,
      '--report',
      `s3://${work}/reports`,
      '--account-id',
      '210987654321',
    ];
    // Act
    const first = await submit(args);
    const second = await submit(args);
    // Assess
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(first.stdout).toContain(`created 1 job:\n  ${JOB}  csv  s3://${work}/manifests/uploads/`);
    expect(first.stdout).toContain(
      `follow: s3-reencrypt status ${JOB} --account-id 210987654321 --region us-east-1`,
    );
    const calls = s3control.commandCalls(CreateJobCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.ClientRequestToken).toBe(calls[1]?.ClientRequestToken);
    const spec = calls[0]?.Manifest?.Location;
    expect(calls[0]?.Manifest?.Spec).toEqual({
      Format: 'S3BatchOperations_CSV_20180820',
      Fields: ['Bucket', 'Key'],
    });
    const uploaded = (spec?.ObjectArn ?? '').replace(/^arn:aws:s3:::[^/]+\//, '');
    const head = await s3.send(new HeadObjectCommand({ Bucket: work, Key: uploaded }));
    expect(spec?.ETag).toBe(head.ETag?.replace(/"/g, ''));
    expect(calls[0]?.Operation?.LambdaInvoke?.UserArguments).not.toHaveProperty('hints');
  });

  it('creates no job for an inventory whose objects are all compliant', async () => {
    // Prepare
    const work = await newBucket(s3, { prefix: 'sub-ok' });
    await s3.send(
      new PutObjectCommand({
        Bucket: work,
        Key: 'k',
        Body: 'x',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: target,
        BucketKeyEnabled: true,
      }),
    );
    const inventory = await generateInventory(s3, { sourceBucket: work, destinationBucket: work });
    // Act
    const run = await submit([
      '--manifest',
      `s3://${work}/${inventory.ref.key}`,
      '--target-key',
      target,
      '--report',
      `s3://${work}/r`,
    ]);
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^nothing to re-encrypt: every selected object is already compliant; no job created\n/,
    );
    expect(s3control).not.toHaveReceivedCommand(CreateJobCommand);
  });
});
