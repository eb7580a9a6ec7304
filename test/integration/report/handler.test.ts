/**
 * functions/completion-report.ts as Lambda runs it: configuration from the environment, clients built at
 * module load against moto, the sample S3 notification pointed at a report written in the AWS layout.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { makeSnsClient } from '../../../src/aws/clients.js';
import type { SummaryDocument } from '../../../src/report/document.js';
import {
  failedTask,
  loadReportEvent,
  reportLayout,
  succeededTask,
  writeReportToS3,
} from '../../helpers/report.js';
import { motoClients, motoSettings, newBucket, TEST_CREDENTIALS } from '../../support/aws.js';
import { snsTopicWithSink } from './sns-sink.js';

const { s3 } = motoClients();
const context = {
  functionName: 'completion-report',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 900_000,
} as unknown as Context;

describe('completion-report handler', () => {
  let sink: Awaited<ReturnType<typeof snsTopicWithSink>>;
  let bucket: string;
  beforeAll(async () => {
    sink = await snsTopicWithSink(makeSnsClient(motoSettings()), `handler-${process.pid}`);
    bucket = await newBucket(s3);
    vi.stubEnv('AWS_ENDPOINT_URL', inject('motoEndpoint'));
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', TEST_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', TEST_CREDENTIALS.secretAccessKey);
    vi.stubEnv('REPORT_BUCKET', bucket);
    vi.stubEnv('REPORT_PREFIX', 'reports');
    vi.stubEnv('TOPIC_ARN', sink.topicArn);
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await sink.close();
  });

  it('summarises the report an S3 event points at, ignores its own summary event, and notifies once', async () => {
    // Prepare
    const jobId = `h-${process.pid}-e849b567`;
    const layout = reportLayout({
      reportBucket: bucket,
      prefix: 'reports',
      jobId,
      tasks: [
        succeededTask('a', { route: 'copy', bytes: 5 }),
        failedTask('b', 'sse-c', { route: 'blocked' }),
      ],
    });
    await writeReportToS3(s3, layout, bucket);
    const event = await loadReportEvent('s3-manifest-created');
    const record = (event.Records as { s3: { bucket: { name: string }; object: { key: string } } }[])[0];
    if (!record) throw new Error('sample has no record');
    record.s3.bucket.name = bucket;
    record.s3.object.key = layout.manifestKey;
    const own = await loadReportEvent('eventbridge-summary-created');
    const { handler } = await import('../../../functions/completion-report.js');
    // Act
    const first = await handler(event, context);
    const second = await handler(event, context);
    const ignored = await handler(own, context);
    // Assess
    expect(first.outcomes).toEqual(['summarised']);
    expect(second.outcomes).toEqual(['unchanged']);
    expect(ignored.outcomes).toEqual([]);
    const doc = JSON.parse(
      (await (
        await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `reports/job-${jobId}/summary.json` }))
      ).Body?.transformToString()) ?? '',
    ) as SummaryDocument;
    expect(doc.summary?.tasks).toMatchObject({ total: 2, succeeded: 1, failed: 1 });
    const mine = sink.messages().filter((m) => m.Message.includes(jobId));
    expect(mine).toHaveLength(1);
  });
});
