import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { makeMultipartCopier } from '../../../src/reencrypt/multipart/index.js';
import type { MultipartCopier } from '../../../src/reencrypt/types.js';
import { MiB } from '../../helpers/multipart.js';
import { motoClients, newBucket, newKmsKey } from '../../support/aws.js';

export const CHECKPOINT_PREFIX = 'checkpoints/';

/** Fresh data + work buckets and target key; a client whose part copies are counted (and can be hooked). */
export async function multipartRig(options: { versioned?: boolean; objectLock?: boolean } = {}) {
  const { s3, kms } = motoClients();
  // A second client plays "someone else" writing to the bucket while the copy runs.
  const other = motoClients().s3;
  const bucket = await newBucket(s3, options);
  const workBucket = await newBucket(s3, { prefix: 'work' });
  const keyArn = await newKmsKey(kms);
  const counter = { partCopies: 0, afterPartCopy: undefined as undefined | ((n: number) => Promise<void>) };
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'UploadPartCopyCommand') return next(args);
      const n = ++counter.partCopies;
      const out = await next(args);
      await counter.afterPartCopy?.(n);
      return out;
    },
    { step: 'initialize', name: 'countPartCopies' },
  );
  /** A new copier each call: a redrive may land in another container, so state must live in S3. */
  const copier = (overrides: { concurrency?: number } = {}): MultipartCopier =>
    makeMultipartCopier({
      s3,
      checkpoints: { bucket: workBucket, prefix: CHECKPOINT_PREFIX },
      partSizeBytes: 5 * MiB,
      concurrency: overrides.concurrency ?? 4,
      safetyMarginMs: 30_000,
      partRetry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    });
  const checkpoints = async (): Promise<string[]> => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: workBucket, Prefix: CHECKPOINT_PREFIX }));
    return (out.Contents ?? []).map((o) => o.Key ?? '');
  };
  return { s3, other, bucket, workBucket, target: { keyArn, bucketKey: true }, counter, copier, checkpoints };
}

export type MultipartRig = Awaited<ReturnType<typeof multipartRig>>;

export const plenty = () => 600_000;

export async function countOf(s3: S3Client, bucket: string): Promise<number> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return out.KeyCount ?? 0;
}
