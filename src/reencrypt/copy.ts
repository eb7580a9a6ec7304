import { CopyObjectCommand, type CopyObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import { encodeKey } from '../batch/keys.js';
import { grantHeaders } from './acl.js';
import type { ObjectSnapshot, TargetEncryption } from './types.js';

/** `x-amz-copy-source`: URL-encoded, `/` kept, pinned to the version seen (aws-facts §5.1). */
export const copySource = (s: ObjectSnapshot): string =>
  `${s.bucket}/${encodeKey(s.key)}${s.versionId ? `?versionId=${encodeURIComponent(s.versionId)}` : ''}`;

/** CopyObject has no x-amz-grant-write: with a WRITE grant, every grant is applied after the copy. */
export const grantsLeftAfterCopy = (s: ObjectSnapshot): boolean =>
  s.grants?.some((g) => g.permission === 'WRITE') ?? false;

/**
 * The CopyObject request that rewrites an object onto itself under the target key while keeping every
 * attribute (architecture.md "Copy route rules", aws-facts §5.2): metadata, content headers and tags
 * travel with the COPY directives; what those directives drop is sent again. Grants ride in the same
 * request, so the new version is never private in between.
 */
export function copyInPlaceInput(s: ObjectSnapshot, target: TargetEncryption): CopyObjectCommandInput {
  const lock = s.objectLock;
  return {
    Bucket: s.bucket,
    Key: s.key,
    CopySource: copySource(s),
    // Conditional twice: stale bytes never replace a newer object (aws-facts §5.4).
    CopySourceIfMatch: s.etag,
    IfMatch: s.etag,
    MetadataDirective: 'COPY',
    TaggingDirective: 'COPY',
    ServerSideEncryption: 'aws:kms',
    SSEKMSKeyId: target.keyArn,
    BucketKeyEnabled: target.bucketKey,
    // Without it the copy lands in STANDARD.
    StorageClass: s.storageClass as CopyObjectCommandInput['StorageClass'],
    ...(s.websiteRedirectLocation ? { WebsiteRedirectLocation: s.websiteRedirectLocation } : {}),
    ...(s.checksumAlgorithm ? { ChecksumAlgorithm: s.checksumAlgorithm } : {}),
    ...(lock?.mode ? { ObjectLockMode: lock.mode } : {}),
    ...(lock?.retainUntil ? { ObjectLockRetainUntilDate: lock.retainUntil } : {}),
    ...(lock?.legalHold ? { ObjectLockLegalHoldStatus: lock.legalHold } : {}),
    ...(s.grants && !grantsLeftAfterCopy(s) ? grantHeaders(s.grants) : {}),
  };
}

/** MD5 of the empty request body. */
const EMPTY_BODY_MD5 = '1B2M2Y8AsgTpgAZUmh6Jdg==';

export interface CopyResult {
  readonly versionId?: string;
  readonly etag?: string;
}

/**
 * Runs the in-place copy; the caller handles precondition failures (a fresh look, then decide again)
 * and the grants the request could not carry (`grantsLeftAfterCopy`).
 */
export async function copyInPlace(
  s3: S3Client,
  s: ObjectSnapshot,
  target: TargetEncryption,
): Promise<CopyResult> {
  const input = copyInPlaceInput(s, target);
  const command = new CopyObjectCommand(input);
  if (input.ObjectLockMode || input.ObjectLockLegalHoldStatus) {
    // S3 wants an integrity header on writes that set Object Lock; moto enforces it on copies too.
    command.middlewareStack.add(
      (next) => (args) => {
        const req = args.request as { headers?: Record<string, string> };
        if (req.headers) req.headers['content-md5'] = EMPTY_BODY_MD5;
        return next(args);
      },
      { step: 'build', name: 'objectLockContentMd5' },
    );
  }
  const out = await s3.send(command);
  return {
    ...(out.VersionId ? { versionId: out.VersionId } : {}),
    ...(out.CopyObjectResult?.ETag ? { etag: out.CopyObjectResult.ETag } : {}),
  };
}
