import type {
  CompletedPart,
  CreateMultipartUploadCommandInput,
  UploadPartCopyCommandInput,
} from '@aws-sdk/client-s3';
import type { ObjectSnapshot, TargetEncryption } from '../types.js';
import type { PartRange } from './part-plan.js';

/** `x-amz-tagging` / `x-amz-copy-source` want URL-encoding; these four pass encodeURIComponent. */
const strictEncode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Tags as the URL-query string `x-amz-tagging` carries (aws-facts §5.2). */
export const encodeTagging = (tags: ObjectSnapshot['tags']): string =>
  tags.map((t) => `${strictEncode(t.Key)}=${strictEncode(t.Value)}`).join('&');

/** `bucket/key[?versionId=]`, key URL-encoded with `/` kept (aws-facts §5.1). */
export const encodeCopySource = (s: Pick<ObjectSnapshot, 'bucket' | 'key' | 'versionId'>): string =>
  `${s.bucket}/${strictEncode(s.key).replace(/%2F/g, '/')}${
    s.versionId ? `?versionId=${strictEncode(s.versionId)}` : ''
  }`;

/**
 * CreateMultipartUpload carries every attribute the finished object must keep: unlike CopyObject,
 * a multipart copy inherits nothing from its source (aws-facts §5.4). ACL grants are re-applied by
 * the caller after completion, as on the copy route.
 */
export function createUploadInput(
  snapshot: ObjectSnapshot,
  target: TargetEncryption,
  now: Date = new Date(),
): CreateMultipartUploadCommandInput {
  const s = snapshot;
  const input: CreateMultipartUploadCommandInput = {
    Bucket: s.bucket,
    Key: s.key,
    ServerSideEncryption: 'aws:kms',
    SSEKMSKeyId: target.keyArn,
    BucketKeyEnabled: target.bucketKey,
    // HEAD omits the header for STANDARD; without one S3 would write STANDARD anyway, but say it.
    StorageClass: s.storageClass as CreateMultipartUploadCommandInput['StorageClass'],
    Metadata: { ...s.metadata },
  };
  if (s.contentType !== undefined) input.ContentType = s.contentType;
  if (s.contentEncoding !== undefined) input.ContentEncoding = s.contentEncoding;
  if (s.contentDisposition !== undefined) input.ContentDisposition = s.contentDisposition;
  if (s.contentLanguage !== undefined) input.ContentLanguage = s.contentLanguage;
  if (s.cacheControl !== undefined) input.CacheControl = s.cacheControl;
  if (s.expires !== undefined) input.Expires = s.expires;
  if (s.websiteRedirectLocation !== undefined) input.WebsiteRedirectLocation = s.websiteRedirectLocation;
  if (s.tags.length > 0) input.Tagging = encodeTagging(s.tags);
  if (s.checksumAlgorithm !== undefined) {
    input.ChecksumAlgorithm = s.checksumAlgorithm;
    // CRC64NVME exists only as a full-object checksum; the others default to composite.
    if (s.checksumAlgorithm === 'CRC64NVME') input.ChecksumType = 'FULL_OBJECT';
  }
  const lock = s.objectLock;
  // A retention date already past protects nothing, and S3 refuses to set one in the past.
  if (lock?.mode && lock.retainUntil && lock.retainUntil.getTime() > now.getTime()) {
    input.ObjectLockMode = lock.mode;
    input.ObjectLockRetainUntilDate = lock.retainUntil;
  }
  if (lock?.legalHold) input.ObjectLockLegalHoldStatus = lock.legalHold;
  return input;
}

/**
 * One part: conditional on the source ETag so a part is never cut from a newer object. A one-part
 * plan sends no range: S3 accepts ranges only on sources larger than 5 MB (aws-facts §5.4).
 */
export function uploadPartCopyInput(
  snapshot: ObjectSnapshot,
  uploadId: string,
  part: PartRange,
  wholeObject: boolean,
): UploadPartCopyCommandInput {
  return {
    Bucket: snapshot.bucket,
    Key: snapshot.key,
    UploadId: uploadId,
    PartNumber: part.partNumber,
    CopySource: encodeCopySource(snapshot),
    CopySourceIfMatch: snapshot.etag,
    ...(wholeObject ? {} : { CopySourceRange: `bytes=${part.first}-${part.last}` }),
  };
}

/** What a finished part needs at CompleteMultipartUpload (its ETag and, if any, its checksum). */
export interface DonePart {
  readonly partNumber: number;
  readonly etag: string;
  readonly checksum?: { readonly algorithm: string; readonly value: string };
}

const checksumFields = [
  'ChecksumCRC32',
  'ChecksumCRC32C',
  'ChecksumSHA1',
  'ChecksumSHA256',
  'ChecksumCRC64NVME',
] as const;

/** The checksum S3 reported for a part (UploadPartCopy result or ListParts entry), if any. */
export function partChecksum(
  source: Partial<Record<(typeof checksumFields)[number], string>>,
): DonePart['checksum'] | undefined {
  for (const field of checksumFields) {
    const value = source[field];
    if (value) return { algorithm: field.slice('Checksum'.length), value };
  }
  return undefined;
}

/** Parts in order, each with the checksum an upload created with a checksum algorithm requires. */
export function completedParts(done: Iterable<DonePart>): CompletedPart[] {
  return [...done]
    .sort((a, b) => a.partNumber - b.partNumber)
    .map((p) => ({
      PartNumber: p.partNumber,
      ETag: p.etag,
      ...(p.checksum ? { [`Checksum${p.checksum.algorithm}`]: p.checksum.value } : {}),
    }));
}
