import {
  GetBucketOwnershipControlsCommand,
  type HeadObjectCommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { parseResultString, type TaskResult } from '../../../../src/batch/result-string.js';
import type { BatchResponse } from '../../../../src/batch/types.js';
import { RecordingMetrics } from '../../../../src/observability/metrics.js';
import {
  makeReencryptHandler,
  type ReencryptDeps,
  type ReencryptOptions,
} from '../../../../src/reencrypt/handler.js';
import { SINGLE_COPY_LIMIT_BYTES } from '../../../../src/reencrypt/types.js';
import { OTHER_KEY_ARN, TARGET_KEY_ARN } from './events.js';

/** One mock for every S3Client instance in the file (reset it in beforeEach). */
export const s3mock = mockClient(S3Client);
export const s3 = new S3Client({
  region: 'us-east-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});

export const NOW = Date.parse('2026-06-01T00:00:00Z');

export const options = (over: Partial<ReencryptOptions> = {}): ReencryptOptions => ({
  target: { keyArn: TARGET_KEY_ARN, bucketKey: true },
  bucketKey: true,
  strategy: 'auto',
  multipartThresholdBytes: SINGLE_COPY_LIMIT_BYTES,
  deletePriorVersion: false,
  updateRoute: 'enabled',
  ...over,
});

/** A handler over the mocked client, recording its metrics. */
export function handlerUnderTest(over: Partial<ReencryptOptions> = {}, deps: Partial<ReencryptDeps> = {}) {
  const metrics = new RecordingMetrics();
  const handler = makeReencryptHandler({ s3, metrics, now: () => NOW, ...deps }, options(over));
  return { handler, metrics };
}

/** HEAD answers for the usual source encryptions. */
export const heads = {
  sseS3: { ETag: '"e-sse-s3"', ContentLength: 10, ServerSideEncryption: 'AES256' },
  none: { ETag: '"e-none"', ContentLength: 11 },
  kmsOther: {
    ETag: '"e-kms"',
    ContentLength: 12,
    ServerSideEncryption: 'aws:kms',
    SSEKMSKeyId: OTHER_KEY_ARN,
  },
  compliant: {
    ETag: '"e-ok"',
    ContentLength: 13,
    ServerSideEncryption: 'aws:kms',
    SSEKMSKeyId: TARGET_KEY_ARN,
    BucketKeyEnabled: true,
  },
} satisfies Record<string, Partial<HeadObjectCommandOutput>>;

/** Buckets in these tests have ACLs disabled unless a test says otherwise. */
export function aclsDisabled(): void {
  s3mock
    .on(GetBucketOwnershipControlsCommand)
    .resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
}

export const results = (r: BatchResponse): { code: string; result: TaskResult }[] =>
  r.results.map((x) => ({ code: x.resultCode, result: parseResultString(x.resultString) }));

export const only = (r: BatchResponse): { code: string; result: TaskResult } => {
  const all = results(r);
  if (all.length !== 1) throw new Error(`expected one result, got ${all.length}`);
  return all[0]!;
};
