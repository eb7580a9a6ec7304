import { DeleteObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { errorMessage } from './classify.js';
import { isCompliant, isLockInForce } from './route.js';
import { snapshotFromHead } from './snapshot.js';
import type { ObjectSnapshot, TargetEncryption } from './types.js';

export type PriorVersionOutcome =
  | { readonly deleted: true }
  | { readonly deleted: false; readonly reason?: string };

/**
 * deletePriorVersion: once the new version is verified (HEAD shows the target key), the version the copy
 * replaced is deleted. Locked versions are kept; a failed delete is reported, never thrown, because the
 * object itself is already re-encrypted.
 */
export async function deletePriorVersion(
  s3: S3Client,
  prior: ObjectSnapshot,
  newVersionId: string | undefined,
  target: TargetEncryption,
  now: Date,
): Promise<PriorVersionOutcome> {
  if (!prior.versionId || !newVersionId || newVersionId === prior.versionId || newVersionId === 'null')
    return { deleted: false };
  if (isLockInForce(prior, now))
    return { deleted: false, reason: 'prior version kept: Object Lock in force' };
  const ref = { bucket: prior.bucket, key: prior.key, versionId: newVersionId };
  try {
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: newVersionId }),
    );
    if (!isCompliant(snapshotFromHead(ref, head, true), target))
      return { deleted: false, reason: 'prior version kept: the new version does not show the target key' };
    await s3.send(
      new DeleteObjectCommand({ Bucket: prior.bucket, Key: prior.key, VersionId: prior.versionId }),
    );
    return { deleted: true };
  } catch (error) {
    return { deleted: false, reason: `prior version kept: ${errorMessage(error)}` };
  }
}
