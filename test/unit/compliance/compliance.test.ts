import { describe, expect, it } from 'vitest';
import {
  assessCompliance,
  isTargetKey,
  type ObservedEncryption,
  observedEncryptionFromHead,
} from '../../../src/compliance/compliance.js';

const TARGET = 'arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER = 'arn:aws:kms:eu-west-2:111122223333:key/99999999-12ab-34cd-56ef-1234567890ab';

describe('assessCompliance', () => {
  it.each<[string, ObservedEncryption, boolean, string | undefined]>([
    [
      'SSE-KMS under the target with Bucket Key',
      { algorithm: 'aws:kms', kmsKeyArn: TARGET, bucketKeyEnabled: true },
      true,
      undefined,
    ],
    [
      'SSE-KMS under the target without Bucket Key',
      { algorithm: 'aws:kms', kmsKeyArn: TARGET, bucketKeyEnabled: false },
      true,
      'bucket-key-mismatch',
    ],
    [
      'SSE-KMS under another key',
      { algorithm: 'aws:kms', kmsKeyArn: OTHER, bucketKeyEnabled: true },
      true,
      'other-kms-key',
    ],
    [
      'SSE-KMS with no key id reported',
      { algorithm: 'aws:kms', bucketKeyEnabled: true },
      true,
      'other-kms-key',
    ],
    ['SSE-S3', { algorithm: 'AES256', bucketKeyEnabled: false }, true, 'sse-s3'],
    ['unencrypted', { algorithm: 'NONE', bucketKeyEnabled: false }, true, 'unencrypted'],
    [
      'DSSE-KMS under the target key',
      { algorithm: 'aws:kms:dsse', kmsKeyArn: TARGET, bucketKeyEnabled: false },
      true,
      'dsse-kms',
    ],
    ['SSE-C', { algorithm: 'SSE-C', bucketKeyEnabled: false }, true, 'sse-c'],
    ['a service-managed type', { algorithm: 'OTHER', bucketKeyEnabled: false }, true, 'other-encryption'],
    [
      'SSE-KMS under the target without Bucket Key when none is wanted',
      { algorithm: 'aws:kms', kmsKeyArn: TARGET, bucketKeyEnabled: false },
      false,
      undefined,
    ],
    [
      'SSE-KMS under the target with Bucket Key when none is wanted',
      { algorithm: 'aws:kms', kmsKeyArn: TARGET, bucketKeyEnabled: true },
      false,
      'bucket-key-mismatch',
    ],
  ])('classifies %s', (_name, observed, bucketKey, reason) => {
    // Act
    const verdict = assessCompliance(observed, { keyArn: TARGET, bucketKey });
    // Assess
    expect(verdict).toEqual(reason === undefined ? { compliant: true } : { compliant: false, reason });
  });
});

describe('isTargetKey', () => {
  it.each([
    [TARGET, true],
    ['1234abcd-12ab-34cd-56ef-1234567890ab', true],
    [OTHER, false],
    ['99999999-12ab-34cd-56ef-1234567890ab', false],
    ['alias/aws/s3', false],
    ['', false],
    [undefined, false],
  ])('accepts %s as the target: %s', (reported, expected) => {
    expect(isTargetKey(reported, TARGET)).toBe(expected);
  });
});

describe('observedEncryptionFromHead', () => {
  it.each([
    [
      { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: TARGET, BucketKeyEnabled: true },
      { algorithm: 'aws:kms', kmsKeyArn: TARGET, bucketKeyEnabled: true },
    ],
    [{ ServerSideEncryption: 'AES256' }, { algorithm: 'AES256', bucketKeyEnabled: false }],
    [{}, { algorithm: 'NONE', bucketKeyEnabled: false }],
    [
      { ServerSideEncryption: 'aws:kms:dsse', SSEKMSKeyId: TARGET },
      { algorithm: 'aws:kms:dsse', kmsKeyArn: TARGET, bucketKeyEnabled: false },
    ],
    [{ SSECustomerAlgorithm: 'AES256' }, { algorithm: 'SSE-C', bucketKeyEnabled: false }],
    [{ ServerSideEncryption: 'aws:fsx' }, { algorithm: 'OTHER', bucketKeyEnabled: false }],
  ])('maps %o', (head, expected) => {
    expect(observedEncryptionFromHead(head)).toEqual(expected);
  });
});
