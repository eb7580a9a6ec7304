import { CreateBucketCommand, GetBucketAclCommand, type S3Client } from '@aws-sdk/client-s3';
import { parseResultString, type TaskResult } from '../../../src/batch/result-string.js';
import type { BatchResponse } from '../../../src/batch/types.js';
import { RecordingMetrics } from '../../../src/observability/metrics.js';
import {
  makeReencryptHandler,
  type ReencryptDeps,
  type ReencryptOptions,
} from '../../../src/reencrypt/handler.js';
import { SINGLE_COPY_LIMIT_BYTES } from '../../../src/reencrypt/types.js';
import type { BucketKind } from '../../helpers/objects.js';
import { motoS3Client, newBucket, uniqueBucketName } from '../../support/aws.js';

/** A handler as the Lambda builds it, over a client pointed at moto (or the test proxy). */
export function motoHandler(
  s3: S3Client,
  targetKeyArn: string,
  over: Partial<ReencryptOptions> = {},
  deps: Partial<ReencryptDeps> = {},
) {
  const metrics = new RecordingMetrics();
  const handler = makeReencryptHandler(
    { s3, metrics, ...deps },
    {
      target: { keyArn: targetKeyArn, bucketKey: true },
      bucketKey: true,
      strategy: 'auto',
      multipartThresholdBytes: SINGLE_COPY_LIMIT_BYTES,
      deletePriorVersion: false,
      // What updateRouteFor() decides for a custom endpoint such as moto.
      updateRoute: 'disabled',
      taskConcurrency: 8,
      ...over,
    },
  );
  return { handler, metrics };
}

/** One bucket of each kind the fidelity corpus needs. */
export async function bucketsByKind(s3: S3Client): Promise<Record<BucketKind, string>> {
  const withOwnership = async (ownership: 'ObjectWriter' | 'BucketOwnerPreferred') => {
    const Bucket = uniqueBucketName('acl');
    await s3.send(new CreateBucketCommand({ Bucket, ObjectOwnership: ownership }));
    return Bucket;
  };
  const [plain, versioned, objectLock, aclObjectWriter, aclOwnerPreferred] = await Promise.all([
    newBucket(s3, { prefix: 'plain' }),
    newBucket(s3, { prefix: 'ver', versioned: true }),
    newBucket(s3, { prefix: 'lock', objectLock: true }),
    withOwnership('ObjectWriter'),
    withOwnership('BucketOwnerPreferred'),
  ]);
  return { plain, versioned, objectLock, aclObjectWriter, aclOwnerPreferred };
}

export async function ownerIdOf(s3: S3Client, bucket: string): Promise<string> {
  const acl = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
  const id = acl.Owner?.ID;
  if (!id) throw new Error('no bucket owner id');
  return id;
}

export const parsedResults = (r: BatchResponse): { taskId: string; code: string; result: TaskResult }[] =>
  r.results.map((x) => ({ taskId: x.taskId, code: x.resultCode, result: parseResultString(x.resultString) }));

/**
 * A client for reading objects back that does not validate response checksums: moto stores a CRC32 value
 * under CRC32C/CRC64NVME when it copies (moto-gaps.test.ts), and the SDK would refuse those bodies.
 * The tests hash the bytes themselves.
 */
export const readerClient = (): S3Client => motoS3Client({ responseChecksumValidation: 'WHEN_REQUIRED' });
