import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { SNSClient } from '@aws-sdk/client-sns';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { type Env, int, oneOf, optionalString } from '../config/env.js';

/** Where and how to reach AWS (or an S3-compatible endpoint such as moto server). */
export interface AwsSettings {
  readonly region: string;
  readonly endpoints: Readonly<{ s3?: string; kms?: string; s3control?: string; sns?: string }>;
  readonly maxAttempts: number;
  readonly retryMode: 'standard' | 'adaptive';
  readonly maxSockets: number;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** Reads the SDK's own variables (AWS_REGION, AWS_ENDPOINT_URL[_S3|_KMS|_S3_CONTROL|_SNS]) once. */
export function awsSettingsFromEnv(
  env: Env,
  overrides: { region?: string; endpointUrl?: string } = {},
): AwsSettings {
  const global = overrides.endpointUrl ?? optionalString(env, 'AWS_ENDPOINT_URL');
  const pick = (name: string) =>
    overrides.endpointUrl ? overrides.endpointUrl : (optionalString(env, name) ?? global);
  const endpoints: { s3?: string; kms?: string; s3control?: string; sns?: string } = {};
  const s3 = pick('AWS_ENDPOINT_URL_S3');
  const kms = pick('AWS_ENDPOINT_URL_KMS');
  const s3control = pick('AWS_ENDPOINT_URL_S3_CONTROL');
  const sns = pick('AWS_ENDPOINT_URL_SNS');
  if (s3) endpoints.s3 = s3;
  if (kms) endpoints.kms = kms;
  if (s3control) endpoints.s3control = s3control;
  if (sns) endpoints.sns = sns;
  return Object.freeze({
    region:
      overrides.region ??
      optionalString(env, 'AWS_REGION') ??
      optionalString(env, 'AWS_DEFAULT_REGION') ??
      'us-east-1',
    endpoints: Object.freeze(endpoints),
    maxAttempts: int(env, 'AWS_MAX_ATTEMPTS', 3, { min: 1, max: 20 }),
    retryMode: oneOf(env, 'AWS_RETRY_MODE', ['standard', 'adaptive'] as const, 'standard'),
    maxSockets: int(env, 'S3_REENCRYPT_MAX_SOCKETS', 64, { min: 1, max: 1024 }),
  });
}

/** True when S3 is not AWS itself (moto, MinIO, ...): some APIs (UpdateObjectEncryption) may be missing. */
export const isCustomS3Endpoint = (s: AwsSettings): boolean => s.endpoints.s3 !== undefined;

function common(s: AwsSettings, endpoint: string | undefined) {
  return {
    region: s.region,
    maxAttempts: s.maxAttempts,
    retryMode: s.retryMode,
    ...(endpoint ? { endpoint } : {}),
    ...(s.credentials ? { credentials: s.credentials } : {}),
    // Keep-alive sockets: a Lambda container serves many tasks; reconnecting per request costs more than the call.
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: s.maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: s.maxSockets }),
      connectionTimeout: 5_000,
      requestTimeout: 120_000,
    }),
  };
}

export const makeS3Client = (s: AwsSettings): S3Client =>
  // Custom endpoints are usually IPs or single hosts: virtual-hosted addressing would not resolve.
  new S3Client({ ...common(s, s.endpoints.s3), forcePathStyle: s.endpoints.s3 !== undefined });

export const makeKmsClient = (s: AwsSettings): KMSClient => new KMSClient(common(s, s.endpoints.kms));

export const makeS3ControlClient = (s: AwsSettings): S3ControlClient =>
  new S3ControlClient(common(s, s.endpoints.s3control));

export const makeSnsClient = (s: AwsSettings): SNSClient => new SNSClient(common(s, s.endpoints.sns));
