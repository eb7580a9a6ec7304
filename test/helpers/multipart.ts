import { createHash, randomBytes } from 'node:crypto';
import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectSnapshot, SourceAlgorithm } from '../../src/reencrypt/types.js';

export const MiB = 1024 ** 2;
export const TARGET = {
  keyArn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  bucketKey: true,
} as const;

/** A snapshot of an ordinary unversioned SSE-S3 object; override what a case needs. */
export const aSnapshot = (overrides: Partial<ObjectSnapshot> = {}): ObjectSnapshot => ({
  bucket: 'data-bucket',
  key: 'big/object.bin',
  isLatest: true,
  etag: '"0123456789abcdef0123456789abcdef"',
  size: 12 * MiB + 123,
  encryption: { algorithm: 'AES256', bucketKeyEnabled: false },
  storageClass: 'STANDARD',
  metadata: {},
  tags: [],
  ...overrides,
});

/** `remainingMs` that says "plenty" until `launches()` reaches `budget`, then "almost out". */
export const deadlineAfter = (launches: () => number, budget: number, lowMs = 20_000) => {
  const start = launches();
  return () => (launches() - start >= budget ? lowMs : 600_000);
};

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

export const randomBody = (bytes: number): Buffer => randomBytes(bytes);

export async function readBytes(
  s3: S3Client,
  bucket: string,
  key: string,
  versionId?: string,
): Promise<Uint8Array> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  if (!out.Body) throw new Error(`no body for ${bucket}/${key}`);
  return out.Body.transformToByteArray();
}

export async function openUploads(s3: S3Client, bucket: string): Promise<number> {
  const out = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  return out.Uploads?.length ?? 0;
}

const algorithmOf = (sse: string | undefined): SourceAlgorithm =>
  sse === 'AES256' || sse === 'aws:kms' || sse === 'aws:kms:dsse' ? sse : 'NONE';

/** HEAD + tagging, as the copy route reads an object before deciding (test stand-in for its reader). */
export async function snapshotOf(
  s3: S3Client,
  bucket: string,
  key: string,
  versionId?: string,
): Promise<ObjectSnapshot> {
  const head = await s3.send(
    new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId, ChecksumMode: 'ENABLED' }),
  );
  const tagging = await s3.send(
    new GetObjectTaggingCommand({ Bucket: bucket, Key: key, VersionId: versionId }),
  );
  const checksumAlgorithm = head.ChecksumSHA256
    ? 'SHA256'
    : head.ChecksumCRC32C
      ? 'CRC32C'
      : head.ChecksumCRC32
        ? 'CRC32'
        : head.ChecksumSHA1
          ? 'SHA1'
          : undefined;
  const lock =
    head.ObjectLockMode || head.ObjectLockLegalHoldStatus
      ? {
          ...(head.ObjectLockMode ? { mode: head.ObjectLockMode } : {}),
          ...(head.ObjectLockRetainUntilDate ? { retainUntil: head.ObjectLockRetainUntilDate } : {}),
          ...(head.ObjectLockLegalHoldStatus ? { legalHold: head.ObjectLockLegalHoldStatus } : {}),
        }
      : undefined;
  return {
    bucket,
    key,
    ...(head.VersionId && head.VersionId !== 'null' ? { versionId: head.VersionId } : {}),
    isLatest: true,
    etag: head.ETag ?? '',
    size: head.ContentLength ?? 0,
    encryption: {
      algorithm: algorithmOf(head.ServerSideEncryption),
      ...(head.SSEKMSKeyId ? { kmsKeyArn: head.SSEKMSKeyId } : {}),
      bucketKeyEnabled: head.BucketKeyEnabled ?? false,
    },
    storageClass: head.StorageClass ?? 'STANDARD',
    ...(head.ContentType ? { contentType: head.ContentType } : {}),
    ...(head.ContentEncoding ? { contentEncoding: head.ContentEncoding } : {}),
    ...(head.ContentDisposition ? { contentDisposition: head.ContentDisposition } : {}),
    ...(head.ContentLanguage ? { contentLanguage: head.ContentLanguage } : {}),
    ...(head.CacheControl ? { cacheControl: head.CacheControl } : {}),
    ...(head.Expires ? { expires: head.Expires } : {}),
    metadata: head.Metadata ?? {},
    ...(head.WebsiteRedirectLocation ? { websiteRedirectLocation: head.WebsiteRedirectLocation } : {}),
    ...(checksumAlgorithm ? { checksumAlgorithm } : {}),
    ...(lock ? { objectLock: lock } : {}),
    tags: (tagging.TagSet ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })),
  };
}
