/**
 * SDK errors do not say which call failed or where it went. This middleware records both on the error
 * (non-enumerable), so the one-line message can name the IAM action and resource to fix.
 */
export interface AwsCallContext {
  readonly service: string;
  readonly command: string;
  readonly endpoint: string | undefined;
  readonly bucket?: string;
  readonly key?: string;
  readonly kmsKeyId?: string;
}

const CONTEXT = Symbol.for('s3-reencrypt.awsCallContext');

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: { input: unknown }) => Promise<unknown>,
        context: { clientName?: string; commandName?: string },
      ) => (args: { input: unknown }) => Promise<unknown>,
      options: { step: 'initialize'; name: string; override?: boolean },
    ): void;
  };
}

export function withErrorContext<C>(client: C, endpoint: string | undefined): C {
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (e) {
        if (typeof e === 'object' && e !== null && !(CONTEXT in e)) {
          const input = (args.input ?? {}) as { Bucket?: unknown; Key?: unknown; KeyId?: unknown };
          const call: AwsCallContext = {
            service: (context.clientName ?? 'Client').replace(/Client$/, ''),
            command: (context.commandName ?? 'Command').replace(/Command$/, ''),
            endpoint,
            ...(typeof input.Bucket === 'string' ? { bucket: input.Bucket } : {}),
            ...(typeof input.Key === 'string' ? { key: input.Key } : {}),
            ...(typeof input.KeyId === 'string' ? { kmsKeyId: input.KeyId } : {}),
          };
          Object.defineProperty(e, CONTEXT, { value: call, enumerable: false });
        }
        throw e;
      }
    },
    { step: 'initialize', name: 's3ReencryptErrorContext', override: true },
  );
  return client;
}

export const callContextOf = (e: unknown): AwsCallContext | undefined =>
  typeof e === 'object' && e !== null ? (e as Record<symbol, AwsCallContext>)[CONTEXT] : undefined;

// API names that differ from their IAM action (the S3 authorization reference).
const S3_ACTIONS: Readonly<Record<string, string>> = {
  HeadObject: 's3:GetObject',
  ListObjectsV2: 's3:ListBucket',
  ListObjectVersions: 's3:ListBucketVersions',
  HeadBucket: 's3:ListBucket',
  GetBucketEncryption: 's3:GetEncryptionConfiguration',
  PutBucketEncryption: 's3:PutEncryptionConfiguration',
  GetBucketLifecycleConfiguration: 's3:GetLifecycleConfiguration',
  PutBucketLifecycleConfiguration: 's3:PutLifecycleConfiguration',
  CopyObject: 's3:PutObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPartCopy: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
};

/** The IAM action a call needs, e.g. `s3:GetBucketPolicy`, `kms:DescribeKey`. */
export function iamActionOf(call: AwsCallContext): string {
  const prefix = call.service === 'KMS' ? 'kms' : call.service === 'SNS' ? 'sns' : 's3';
  return (prefix === 's3' ? S3_ACTIONS[call.command] : undefined) ?? `${prefix}:${call.command}`;
}

export function resourceOf(call: AwsCallContext): string | undefined {
  if (call.bucket && call.key !== undefined) return `s3://${call.bucket}/${call.key}`;
  if (call.bucket) return `bucket ${call.bucket}`;
  if (call.kmsKeyId) return `key ${call.kmsKeyId}`;
  return undefined;
}
