import { PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateJobCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { generateInventory } from '../../../src/inventory/generate.js';
import { readPlan } from '../../../src/manifest/plan.js';
import { loadEvent } from '../../helpers/inventory.js';
import { motoClients, newBucket, newKmsKey, TEST_CREDENTIALS } from '../../support/aws.js';

// moto has no S3 Control jobs: CreateJob is answered by a client mock; S3 and KMS are moto over HTTP.
const s3control = mockClient(S3ControlClient);

const context = {
  functionName: 'manifest-trigger',
  functionVersion: '1',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:manifest-trigger',
  memoryLimitInMB: '512',
  awsRequestId: 'req-1',
  logGroupName: '/aws/lambda/manifest-trigger',
  logStreamName: 'stream',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 600_000,
  done() {},
  fail() {},
  succeed() {},
} as Context;

describe('functions/manifest-trigger handler', () => {
  const { s3, kms } = motoClients();
  let handler: (
    event: unknown,
    context: Context,
  ) => Promise<{ outcomes: { status: string; planKey?: string }[] }>;
  let inventoryBucket: string;
  let manifestBucket: string;
  let manifestKey: string;
  let keyArn: string;

  beforeAll(async () => {
    const dataBucket = await newBucket(s3, { prefix: 'data' });
    [inventoryBucket, manifestBucket, keyArn] = await Promise.all([
      newBucket(s3, { prefix: 'inv' }),
      newBucket(s3, { prefix: 'out' }),
      newKmsKey(kms),
    ]);
    await s3.send(new PutObjectCommand({ Bucket: dataBucket, Key: 'a b.txt', Body: 'x' }));
    manifestKey = (
      await generateInventory(s3, { sourceBucket: dataBucket, destinationBucket: inventoryBucket })
    ).ref.key;
    for (const [k, v] of Object.entries({
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: inject('motoEndpoint'),
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      MANIFEST_BUCKET: manifestBucket,
      REPORT_BUCKET: 'reports-bucket',
      BATCH_ROLE_ARN: 'arn:aws:iam::123456789012:role/s3-reencrypt-batch',
      REENCRYPT_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:s3-reencrypt-object',
      TARGET_KEY_ARN: keyArn,
    }))
      vi.stubEnv(k, v);
    vi.resetModules();
    ({ handler } = await import('../../../functions/manifest-trigger.js'));
  });
  afterEach(() => s3control.reset());
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('creates the job through S3 Control for an S3 notification and records it in plan.json', async () => {
    // Prepare
    s3control.on(CreateJobCommand).resolves({ JobId: '6c1b2c3d-0000-4000-8000-000000000001' });
    const event = loadEvent<{
      Records: { s3: { bucket: { name: string }; object: Record<string, unknown> } }[];
    }>('s3/inventory-manifest-created.json', (e) => {
      e.Records[0]!.s3.bucket.name = inventoryBucket;
      e.Records[0]!.s3.object = { key: manifestKey, size: 500 };
    });
    // Act
    const { outcomes } = await handler(event, context);
    // Assess
    expect(outcomes.map((o) => o.status)).toEqual(['jobs-created']);
    expect(s3control).toHaveReceivedCommandTimes(CreateJobCommand, 1);
    expect(s3control).toHaveReceivedCommandWith(CreateJobCommand, {
      AccountId: '123456789012',
      Operation: {
        LambdaInvoke: expect.objectContaining({
          InvocationSchemaVersion: '2.0',
          UserArguments: expect.objectContaining({ targetKeyArn: keyArn, hints: '1' }),
        }),
      },
      Report: expect.objectContaining({ Bucket: 'arn:aws:s3:::reports-bucket', ReportScope: 'AllTasks' }),
    });
    const plan = await readPlan(s3, manifestBucket, outcomes[0]!.planKey!);
    expect(plan?.jobs.map((j) => j.jobId)).toEqual(['6c1b2c3d-0000-4000-8000-000000000001']);
  });

  it('ignores the s3:TestEvent without calling S3 Control', async () => {
    // Act
    const { outcomes } = await handler(loadEvent('s3/test-event.json'), context);
    // Assess
    expect(outcomes).toEqual([expect.objectContaining({ status: 'ignored' })]);
    expect(s3control).not.toHaveReceivedCommand(CreateJobCommand);
  });
});
