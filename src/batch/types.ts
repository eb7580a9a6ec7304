/**
 * S3 Batch Operations LambdaInvoke wire shapes (aws-facts §1.2–1.6). @types/aws-lambda models only
 * schema 1.0, so both versions are declared here.
 */
export const ResultCodes = {
  Succeeded: 'Succeeded',
  TemporaryFailure: 'TemporaryFailure',
  PermanentFailure: 'PermanentFailure',
} as const;
export type ResultCode = (typeof ResultCodes)[keyof typeof ResultCodes];

export const SchemaVersions = { V1: '1.0', V2: '2.0' } as const;
export type SchemaVersion = (typeof SchemaVersions)[keyof typeof SchemaVersions];

export interface BatchTaskV1 {
  readonly taskId: string;
  readonly s3Key: string;
  readonly s3VersionId: string | null;
  readonly s3BucketArn: string;
}

export interface BatchTaskV2 {
  readonly taskId: string;
  readonly s3Key: string;
  readonly s3VersionId: string | null;
  readonly s3Bucket: string;
}

export interface BatchEventV1 {
  readonly invocationSchemaVersion: '1.0';
  readonly invocationId: string;
  readonly job: { readonly id: string };
  readonly tasks: readonly BatchTaskV1[];
}

export interface BatchEventV2 {
  readonly invocationSchemaVersion: '2.0';
  readonly invocationId: string;
  readonly job: { readonly id: string; readonly userArguments?: Readonly<Record<string, string>> };
  readonly tasks: readonly BatchTaskV2[];
}

export type BatchEvent = BatchEventV1 | BatchEventV2;

export interface BatchTaskResult {
  readonly taskId: string;
  readonly resultCode: ResultCode;
  readonly resultString: string;
}

export interface BatchResponse {
  readonly invocationSchemaVersion: string;
  readonly treatMissingKeysAs: ResultCode;
  readonly invocationId: string;
  readonly results: readonly BatchTaskResult[];
}

/** The slice of the Lambda context the pipeline uses; the local engine supplies the same. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
  readonly awsRequestId?: string;
  readonly functionName?: string;
}

/** What the Batch service (or the local engine) calls. */
export type BatchHandler = (event: BatchEvent, context: InvocationContext) => Promise<BatchResponse>;
