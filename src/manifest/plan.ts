import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { InventoryStatsJson } from '../inventory/stats.js';
import { PlanDocumentError } from './errors.js';
import type { OutputKind } from './manifest-set.js';
import type { CostEstimate, CostInputs } from './plan-estimate.js';

export const PLAN_SCHEMA = 's3-reencrypt/plan@1';
export const PLAN_FILE_NAME = 'plan.json';

export interface PlanJob {
  readonly kind: 'lambda-hinted' | 'lambda-plain' | 'update';
  readonly jobId: string;
  readonly clientRequestToken: string;
  readonly manifestKey: string;
  readonly tasks: number;
}

/** plan.json: what one inventory delivery says about a bucket and what the trigger did about it. */
export interface PlanDocument {
  readonly schema: typeof PLAN_SCHEMA;
  readonly createdAt: string;
  readonly inventory: {
    readonly bucket: string;
    readonly key: string;
    /** ETag of manifest.json: with the key, identifies the delivery (and derives job tokens). */
    readonly etag: string;
    readonly sourceBucket: string;
    readonly fileFormat: string;
    readonly dataFiles: number;
    readonly dataBytes: number;
    readonly allVersions: boolean;
    readonly checksumVerified: boolean;
    readonly creationTimestamp: string;
  };
  readonly target: { readonly keyArn: string; readonly bucketKey: boolean };
  readonly selection: Readonly<Record<string, unknown>>;
  /** Nothing needs work and nothing is blocked. */
  readonly compliant: boolean;
  readonly stats: InventoryStatsJson;
  readonly costInputs: CostInputs;
  readonly costEstimate: CostEstimate;
  readonly outputs: readonly {
    readonly kind: OutputKind;
    readonly bucket: string;
    readonly key: string;
    readonly etag: string;
    readonly versionId?: string;
    readonly rows: number;
    readonly bytes: number;
  }[];
  readonly jobs: readonly PlanJob[];
  readonly warnings: readonly string[];
}

export async function readPlan(s3: S3Client, bucket: string, key: string): Promise<PlanDocument | undefined> {
  let text: string;
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    text = (await out.Body?.transformToString('utf-8')) ?? '';
  } catch (e) {
    const x = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (x.name === 'NoSuchKey' || x.$metadata?.httpStatusCode === 404) return undefined;
    throw e;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new PlanDocumentError(`s3://${bucket}/${key} is not JSON`, { bucket, key }, { cause });
  }
  if (typeof doc !== 'object' || doc === null || (doc as { schema?: unknown }).schema !== PLAN_SCHEMA)
    throw new PlanDocumentError(`s3://${bucket}/${key} is not a ${PLAN_SCHEMA} document`, { bucket, key });
  return doc as PlanDocument;
}

export async function writePlan(
  s3: S3Client,
  bucket: string,
  key: string,
  plan: PlanDocument,
): Promise<string> {
  const out = await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: `${JSON.stringify(plan, null, 2)}\n`,
      ContentType: 'application/json',
    }),
  );
  return (out.ETag ?? '').replace(/"/g, '');
}
