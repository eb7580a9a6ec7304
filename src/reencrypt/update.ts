import {
  type S3Client,
  UpdateObjectEncryptionCommand,
  type UpdateObjectEncryptionCommandInput,
} from '@aws-sdk/client-s3';
import type { ObjectSnapshot, TargetEncryption } from './types.js';

type VersionRef = Pick<ObjectSnapshot, 'bucket' | 'key' | 'versionId'>;

/** UpdateObjectEncryption re-encrypts the exact version where it stands: no bytes move (aws-facts §5.7). */
export const updateEncryptionInput = (
  ref: VersionRef,
  target: TargetEncryption,
): UpdateObjectEncryptionCommandInput => ({
  Bucket: ref.bucket,
  Key: ref.key,
  ...(ref.versionId ? { VersionId: ref.versionId } : {}),
  ObjectEncryption: { SSEKMS: { KMSKeyArn: target.keyArn, BucketKeyEnabled: target.bucketKey } },
});

export async function updateEncryption(
  s3: S3Client,
  ref: VersionRef,
  target: TargetEncryption,
): Promise<void> {
  await s3.send(new UpdateObjectEncryptionCommand(updateEncryptionInput(ref, target)));
}
