import { randomUUID } from 'node:crypto';
import { CreateKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  type CreateBucketCommandInput,
  PutBucketVersioningCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { type AwsSettings, makeKmsClient, makeS3Client, makeS3ControlClient } from '../../src/aws/clients.js';

export const TEST_REGION = 'us-east-1';
export const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** Settings that point every client at the moto server started by the global set-up. */
export function motoSettings(endpoint: string = inject('motoEndpoint'), region = TEST_REGION): AwsSettings {
  return Object.freeze({
    region,
    endpoints: Object.freeze({ s3: endpoint, kms: endpoint, s3control: endpoint, sns: endpoint }),
    maxAttempts: 3,
    retryMode: 'standard' as const,
    maxSockets: 64,
    credentials: TEST_CREDENTIALS,
  });
}

export interface MotoClients {
  readonly settings: AwsSettings;
  readonly s3: S3Client;
  readonly kms: KMSClient;
}

export function motoClients(endpoint?: string): MotoClients {
  const settings = motoSettings(endpoint);
  return { settings, s3: makeS3Client(settings), kms: makeKmsClient(settings), ...{} };
}

/** A plain S3 client straight to moto with the given checksum behaviour (for seeding and reading back). */
export function motoS3Client(
  checksums: Pick<S3ClientConfig, 'requestChecksumCalculation' | 'responseChecksumValidation'>,
): S3Client {
  const s = motoSettings();
  return new S3Client({
    region: s.region,
    endpoint: s.endpoints.s3,
    forcePathStyle: true,
    ...(s.credentials ? { credentials: s.credentials } : {}),
    ...checksums,
  });
}

export const makeMotoS3Control = (endpoint?: string) => makeS3ControlClient(motoSettings(endpoint));

let counter = 0;
/** A bucket name unique to this test process (tests share one moto server and run in parallel). */
export const uniqueBucketName = (prefix = 'b'): string =>
  `${prefix}-${process.pid}-${++counter}-${randomUUID().slice(0, 8)}`.toLowerCase().slice(0, 63);

export async function newBucket(
  s3: S3Client,
  options: {
    versioned?: boolean;
    objectLock?: boolean;
    prefix?: string;
    extra?: Partial<CreateBucketCommandInput>;
  } = {},
): Promise<string> {
  const Bucket = uniqueBucketName(options.prefix);
  await s3.send(
    new CreateBucketCommand({
      Bucket,
      ...(options.objectLock ? { ObjectLockEnabledForBucket: true } : {}),
      ...options.extra,
    }),
  );
  if (options.versioned && !options.objectLock) {
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  }
  return Bucket;
}

/** A fresh symmetric customer managed key; returns its full ARN. */
export async function newKmsKey(kms: KMSClient, description = 'test key'): Promise<string> {
  const out = await kms.send(new CreateKeyCommand({ Description: description }));
  const arn = out.KeyMetadata?.Arn;
  if (!arn) throw new Error('moto returned no key ARN');
  return arn;
}
