import type { ServerSideEncryptionConfiguration } from '@aws-sdk/client-s3';
import type { TargetEncryption } from '../reencrypt/types.js';

/** A bucket's default encryption as the first rule states it (S3 allows one rule). */
export interface DefaultEncryption {
  readonly algorithm: string;
  readonly kmsKeyId?: string;
  readonly bucketKey: boolean;
}

export function defaultEncryptionOf(
  config: ServerSideEncryptionConfiguration | undefined,
): DefaultEncryption | undefined {
  const rule = config?.Rules?.[0];
  const apply = rule?.ApplyServerSideEncryptionByDefault;
  if (!apply?.SSEAlgorithm) return undefined;
  return {
    algorithm: apply.SSEAlgorithm,
    ...(apply.KMSMasterKeyID ? { kmsKeyId: apply.KMSMasterKeyID } : {}),
    bucketKey: rule?.BucketKeyEnabled === true,
  };
}

export const wantedDefaultEncryption = (target: TargetEncryption): DefaultEncryption => ({
  algorithm: 'aws:kms',
  kmsKeyId: target.keyArn,
  bucketKey: target.bucketKey,
});

export const sameDefaultEncryption = (a: DefaultEncryption | undefined, b: DefaultEncryption): boolean =>
  a !== undefined && a.algorithm === b.algorithm && a.kmsKeyId === b.kmsKeyId && a.bucketKey === b.bucketKey;

export const toEncryptionConfiguration = (e: DefaultEncryption): ServerSideEncryptionConfiguration => ({
  Rules: [
    {
      ApplyServerSideEncryptionByDefault: {
        SSEAlgorithm: e.algorithm as 'aws:kms',
        ...(e.kmsKeyId ? { KMSMasterKeyID: e.kmsKeyId } : {}),
      },
      BucketKeyEnabled: e.bucketKey,
    },
  ],
});
