import type { SourceAlgorithm, TargetEncryption } from '../reencrypt/types.js';

/**
 * The one definition of "compliant" (architecture.md "Per-object routing"): SSE-KMS, key ARN equal
 * to the target, Bucket Key state as wanted. Shared by `verify`, the re-encrypt router (skip route)
 * and drift counting, so an object the router skips is exactly an object `verify` accepts.
 */
export const NonComplianceReasons = {
  unencrypted: 'unencrypted',
  sseS3: 'sse-s3',
  otherKmsKey: 'other-kms-key',
  dsseKms: 'dsse-kms',
  sseC: 'sse-c',
  bucketKeyMismatch: 'bucket-key-mismatch',
  /** A service-managed type S3 reports but nothing can re-encrypt to SSE-KMS here (aws:fsx, aws:backup). */
  otherEncryption: 'other-encryption',
} as const;
export type NonComplianceReason = (typeof NonComplianceReasons)[keyof typeof NonComplianceReasons];

/** Encryption as S3 reports it for one object version (HEAD, or a snapshot's `encryption`). */
export interface ObservedEncryption {
  readonly algorithm: SourceAlgorithm | 'OTHER';
  readonly kmsKeyArn?: string | undefined;
  readonly bucketKeyEnabled: boolean;
}

export type ComplianceVerdict =
  | { readonly compliant: true }
  | { readonly compliant: false; readonly reason: NonComplianceReason };

const KEY_ID_OF_ARN = /:key\/([A-Za-z0-9-]+)$/;

/**
 * True when `reported` names the target key. AWS reports the full key ARN; S3-compatible stores may
 * echo the bare key id the writer sent. A key id is unique and SSE-KMS keys must live in the bucket's
 * Region and account, so an equal bare id names the same key.
 */
export function isTargetKey(reported: string | undefined, targetKeyArn: string): boolean {
  if (reported === undefined || reported === '') return false;
  if (reported === targetKeyArn) return true;
  return !reported.startsWith('arn:') && KEY_ID_OF_ARN.exec(targetKeyArn)?.[1] === reported;
}

export function assessCompliance(observed: ObservedEncryption, target: TargetEncryption): ComplianceVerdict {
  switch (observed.algorithm) {
    case 'NONE':
      return { compliant: false, reason: NonComplianceReasons.unencrypted };
    case 'AES256':
      return { compliant: false, reason: NonComplianceReasons.sseS3 };
    case 'aws:kms:dsse':
      return { compliant: false, reason: NonComplianceReasons.dsseKms };
    case 'SSE-C':
      return { compliant: false, reason: NonComplianceReasons.sseC };
    case 'OTHER':
      return { compliant: false, reason: NonComplianceReasons.otherEncryption };
    case 'aws:kms':
      if (!isTargetKey(observed.kmsKeyArn, target.keyArn))
        return { compliant: false, reason: NonComplianceReasons.otherKmsKey };
      if (observed.bucketKeyEnabled !== target.bucketKey)
        return { compliant: false, reason: NonComplianceReasons.bucketKeyMismatch };
      return { compliant: true };
  }
}

/** Maps HEAD/GET response headers to the observed encryption. */
export function observedEncryptionFromHead(head: {
  readonly ServerSideEncryption?: string | undefined;
  readonly SSEKMSKeyId?: string | undefined;
  readonly BucketKeyEnabled?: boolean | undefined;
  readonly SSECustomerAlgorithm?: string | undefined;
}): ObservedEncryption {
  const bucketKeyEnabled = head.BucketKeyEnabled === true;
  if (head.SSECustomerAlgorithm) return { algorithm: 'SSE-C', bucketKeyEnabled };
  switch (head.ServerSideEncryption) {
    case 'aws:kms':
      return { algorithm: 'aws:kms', kmsKeyArn: head.SSEKMSKeyId, bucketKeyEnabled };
    case 'aws:kms:dsse':
      return { algorithm: 'aws:kms:dsse', kmsKeyArn: head.SSEKMSKeyId, bucketKeyEnabled };
    case 'AES256':
      return { algorithm: 'AES256', bucketKeyEnabled };
    case undefined:
    case '':
      return { algorithm: 'NONE', bucketKeyEnabled };
    default:
      return { algorithm: 'OTHER', bucketKeyEnabled };
  }
}
