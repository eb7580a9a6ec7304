import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { errorCode, errorMessage, httpStatus } from './classify.js';
import { BlockedObjectError } from './errors.js';
import type { ChecksumAlgorithmName, ObjectSnapshot, SourceAlgorithm } from './types.js';

export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

const CHECKSUM_FIELDS = [
  ['ChecksumCRC64NVME', 'CRC64NVME'],
  ['ChecksumCRC32C', 'CRC32C'],
  ['ChecksumCRC32', 'CRC32'],
  ['ChecksumSHA1', 'SHA1'],
  ['ChecksumSHA256', 'SHA256'],
] as const satisfies readonly (readonly [keyof HeadObjectCommandOutput, ChecksumAlgorithmName])[];

function algorithmOf(h: HeadObjectCommandOutput, ref: ObjectRef): SourceAlgorithm {
  if (h.SSECustomerAlgorithm) return 'SSE-C';
  const sse = h.ServerSideEncryption;
  if (sse === undefined) return 'NONE';
  if (sse === 'AES256' || sse === 'aws:kms' || sse === 'aws:kms:dsse') return sse;
  throw new BlockedObjectError(`unsupported server-side encryption "${sse}"`, {
    failureCause: 'invalid-object-state',
    retryable: false,
    bucket: ref.bucket,
    key: ref.key,
  });
}

/** ObjectSnapshot from a HEAD answer; tags and grants are added later, only when the route needs them. */
export function snapshotFromHead(
  ref: ObjectRef,
  h: HeadObjectCommandOutput,
  isLatest: boolean,
): ObjectSnapshot {
  const checksum = CHECKSUM_FIELDS.find(([f]) => h[f] !== undefined)?.[1];
  const parts = /-(\d+)"?$/.exec(h.ETag ?? '')?.[1];
  const versionId = ref.versionId ?? h.VersionId;
  const lock =
    h.ObjectLockMode || h.ObjectLockRetainUntilDate || h.ObjectLockLegalHoldStatus
      ? {
          ...(h.ObjectLockMode ? { mode: h.ObjectLockMode } : {}),
          ...(h.ObjectLockRetainUntilDate ? { retainUntil: h.ObjectLockRetainUntilDate } : {}),
          ...(h.ObjectLockLegalHoldStatus ? { legalHold: h.ObjectLockLegalHoldStatus } : {}),
        }
      : undefined;
  const kmsKeyArn = h.SSEKMSKeyId;
  return {
    bucket: ref.bucket,
    key: ref.key,
    ...(versionId ? { versionId } : {}),
    isLatest,
    etag: h.ETag ?? '',
    size: h.ContentLength ?? 0,
    ...(h.LastModified ? { lastModified: h.LastModified } : {}),
    encryption: {
      algorithm: algorithmOf(h, ref),
      ...(kmsKeyArn ? { kmsKeyArn } : {}),
      bucketKeyEnabled: h.BucketKeyEnabled === true,
    },
    // HEAD omits the header for STANDARD (aws-facts §5.2).
    storageClass: h.StorageClass ?? 'STANDARD',
    ...(h.ArchiveStatus ? { archiveStatus: h.ArchiveStatus } : {}),
    ...(h.Restore ? { restore: h.Restore } : {}),
    ...(h.ContentType ? { contentType: h.ContentType } : {}),
    ...(h.ContentEncoding ? { contentEncoding: h.ContentEncoding } : {}),
    ...(h.ContentDisposition ? { contentDisposition: h.ContentDisposition } : {}),
    ...(h.ContentLanguage ? { contentLanguage: h.ContentLanguage } : {}),
    ...(h.CacheControl ? { cacheControl: h.CacheControl } : {}),
    ...(h.Expires instanceof Date && !Number.isNaN(h.Expires.getTime()) ? { expires: h.Expires } : {}),
    metadata: h.Metadata ?? {},
    ...(h.WebsiteRedirectLocation ? { websiteRedirectLocation: h.WebsiteRedirectLocation } : {}),
    ...(checksum ? { checksumAlgorithm: checksum } : {}),
    ...(lock ? { objectLock: lock } : {}),
    tags: [],
    ...(parts ? { partsCount: Number(parts) } : {}),
  };
}

const blockedBy = (ref: ObjectRef, cause: 'sse-c' | 'delete-marker', message: string, error: unknown) =>
  new BlockedObjectError(
    message,
    { failureCause: cause, retryable: false, bucket: ref.bucket, key: ref.key },
    { cause: error },
  );

/**
 * HEAD has no error body, so a 400 says nothing; SSE-C objects answer HEAD without the customer key
 * with 400. A one-byte ranged GET returns the XML error that names the reason.
 */
async function explainBadRequest(s3: S3Client, ref: ObjectRef, headError: unknown): Promise<never> {
  try {
    const got = await s3.send(
      new GetObjectCommand({
        Bucket: ref.bucket,
        Key: ref.key,
        Range: 'bytes=0-0',
        ...(ref.versionId ? { VersionId: ref.versionId } : {}),
      }),
    );
    await got.Body?.transformToByteArray();
  } catch (getError) {
    const msg = errorMessage(getError);
    if (errorCode(getError) === 'InvalidRequest' && /customer|server side encryption/i.test(msg))
      throw blockedBy(ref, 'sse-c', `SSE-C object (S3: ${msg})`, getError);
    throw getError;
  }
  throw headError;
}

async function head(s3: S3Client, ref: ObjectRef): Promise<HeadObjectCommandOutput> {
  try {
    return await s3.send(
      new HeadObjectCommand({
        Bucket: ref.bucket,
        Key: ref.key,
        ChecksumMode: 'ENABLED',
        ...(ref.versionId ? { VersionId: ref.versionId } : {}),
      }),
    );
  } catch (error) {
    const status = httpStatus(error);
    // HEAD of a delete-marker version answers 405 (aws-facts §5.4).
    if (status === 405 && ref.versionId)
      throw blockedBy(ref, 'delete-marker', 'the version is a delete marker: nothing to re-encrypt', error);
    if (status === 400) return explainBadRequest(s3, ref, error);
    throw error;
  }
}

/** The current version id, or null when the current version is a delete marker or the key is gone. */
async function currentVersionId(s3: S3Client, ref: ObjectRef): Promise<string | null> {
  try {
    const h = await s3.send(new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
    // Unversioned buckets answer without a version id: their one object is the "null" version.
    return h.VersionId ?? 'null';
  } catch (error) {
    if (httpStatus(error) === 404) return null;
    throw error;
  }
}

/**
 * Looks at the exact version a task names (or the current one). For a named version a second HEAD
 * finds out whether it is current: only the current version may be copied in place.
 */
export async function lookAt(s3: S3Client, ref: ObjectRef): Promise<ObjectSnapshot> {
  if (!ref.versionId) return snapshotFromHead(ref, await head(s3, ref), true);
  const [h, current] = await Promise.all([head(s3, ref), currentVersionId(s3, ref)]);
  return snapshotFromHead(ref, h, current === ref.versionId);
}

/** The object's tags (for routes that must send them; CopyObject carries them by itself). */
export async function readTags(s3: S3Client, s: ObjectSnapshot): Promise<ObjectSnapshot['tags']> {
  const out = await s3.send(
    new GetObjectTaggingCommand({
      Bucket: s.bucket,
      Key: s.key,
      ...(s.versionId ? { VersionId: s.versionId } : {}),
    }),
  );
  return (out.TagSet ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));
}
