import { createHash } from 'node:crypto';
import type { InventoryLocation } from '../inventory/layout.js';
import type { InventoryManifest } from '../inventory/types.js';
import type { CreateJobRequest } from '../jobs/port.js';
import type { WrittenManifest } from '../manifest/manifest-set.js';
import type { PlanJob } from '../manifest/plan.js';
import type { TriggerSettings } from './types.js';

export type JobKind = PlanJob['kind'];

/**
 * CreateJob's idempotency token (1–64 characters): the same inventory delivery (manifest key + ETag)
 * and job kind always give the same token, so a redelivered event cannot start a second job.
 */
export function clientRequestToken(manifest: InventoryManifest, kind: JobKind): string {
  return createHash('sha256')
    .update(`${manifest.ref.bucket}/${manifest.ref.key}\n${manifest.etag}\n${kind}`)
    .digest('hex');
}

const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** The CreateJob request for one written manifest (aws-facts §2.1). */
export function jobRequest(
  settings: TriggerSettings,
  manifest: InventoryManifest,
  location: InventoryLocation,
  output: WrittenManifest & { kind: JobKind },
  targetKeyArn: string,
): CreateJobRequest {
  const operation: CreateJobRequest['operation'] =
    output.kind === 'update'
      ? { kind: 'S3UpdateObjectEncryption', kmsKeyArn: targetKeyArn, bucketKeyEnabled: settings.bucketKey }
      : {
          kind: 'LambdaInvoke',
          functionArn: settings.functionArn,
          invocationSchemaVersion: '2.0',
          userArguments: {
            targetKeyArn,
            bucketKey: String(settings.bucketKey),
            strategy: settings.strategy,
            multipartThresholdBytes: String(settings.multipartThresholdBytes),
            deletePriorVersion: String(settings.deletePriorVersion),
            ...(output.kind === 'lambda-hinted' ? { hints: '1' } : {}),
            // Only hinted tasks can act on inventory facts; the argument is left out at its default.
            ...(output.kind === 'lambda-hinted' && settings.preflight === 'inventory'
              ? { preflight: 'inventory' }
              : {}),
          },
        };
  return {
    accountId: settings.accountId,
    clientRequestToken: clientRequestToken(manifest, output.kind),
    operation,
    manifest: {
      format: 'S3BatchOperations_CSV_20180820',
      bucket: output.bucket,
      key: output.key,
      etag: output.etag,
      fields: output.fields,
      ...(output.versionId ? { versionId: output.versionId } : {}),
    },
    report: {
      bucket: settings.reports.bucket,
      prefix: settings.reports.prefix,
      scope: settings.reports.scope,
    },
    priority: settings.priority,
    roleArn: settings.roleArn,
    confirmationRequired: settings.confirmationRequired,
    description: clip(
      `s3-reencrypt ${manifest.sourceBucket} inventory ${location.timestamp} (${output.kind})`,
      256,
    ),
    tags: [
      { key: 's3-reencrypt:source-bucket', value: clip(manifest.sourceBucket, 256) },
      { key: 's3-reencrypt:inventory', value: clip(`${location.configId}/${location.timestamp}`, 256) },
      { key: 's3-reencrypt:job-kind', value: output.kind },
    ],
  };
}
