// A moto server and SDK clients for the benchmarks that need an S3 API. Benches start their own moto
// (one per bench process) so one benchmark's objects never slow another down.
import { Agent } from 'node:http';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, type ObjectOwnership, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsSettings } from '../../src/aws/clients.js';
import { type MotoServer, startMoto } from '../../test/support/moto-server.js';

// Node 20 is what this machine runs; the SDK's notice about Node 22 would only clutter the bench output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const REGION = 'us-east-1';
export const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' } as const;

export interface Clients {
  readonly settings: AwsSettings;
  readonly s3: S3Client;
  readonly kms: KMSClient;
}

/**
 * S3 and KMS clients on one endpoint (moto, or the counting proxy in front of it), built as
 * src/aws/clients.ts builds them (keep-alive sockets, path-style S3) except for a connection timeout of
 * 30 s instead of 5 s: on a busy two-core machine moto's accept loop can stall longer than that.
 */
export function clientsFor(endpoint: string, maxSockets = 64): Clients {
  const settings: AwsSettings = Object.freeze({
    region: REGION,
    endpoints: Object.freeze({ s3: endpoint, kms: endpoint }),
    maxAttempts: 3,
    retryMode: 'standard' as const,
    maxSockets,
    credentials: CREDENTIALS,
  });
  const common = () => ({
    region: REGION,
    endpoint,
    credentials: CREDENTIALS,
    maxAttempts: settings.maxAttempts,
    retryMode: settings.retryMode,
    requestHandler: new NodeHttpHandler({
      httpAgent: new Agent({ keepAlive: true, maxSockets }),
      connectionTimeout: 30_000,
      requestTimeout: 120_000,
    }),
  });
  return { settings, s3: new S3Client({ ...common(), forcePathStyle: true }), kms: new KMSClient(common()) };
}

/** Runs `fn` with a fresh moto server and stops it afterwards, whatever happens. */
export async function withMoto<T>(fn: (moto: MotoServer) => Promise<T>): Promise<T> {
  const moto = await startMoto();
  try {
    return await fn(moto);
  } finally {
    await moto.stop();
  }
}

let buckets = 0;
/**
 * A new bucket. `BucketOwnerEnforced` (ACLs disabled) is what S3 gives every new bucket since April 2023;
 * `ObjectWriter` is an older bucket that still uses ACLs, where a copy must carry the grants.
 */
export async function newBucket(
  s3: S3Client,
  prefix: string,
  ownership: ObjectOwnership = 'BucketOwnerEnforced',
): Promise<string> {
  const Bucket = `${prefix}-${process.pid}-${++buckets}`.toLowerCase();
  await s3.send(new CreateBucketCommand({ Bucket, ObjectOwnership: ownership }));
  return Bucket;
}

export async function newKey(kms: KMSClient): Promise<string> {
  const arn = (await kms.send(new CreateKeyCommand({ Description: 'bench target' }))).KeyMetadata?.Arn;
  if (!arn) throw new Error('moto returned no key ARN');
  return arn;
}

export { mapLimit } from '../../src/concurrency/map-limit.js';

export const seconds = (fromMs: number) => (performance.now() - fromMs) / 1000;
