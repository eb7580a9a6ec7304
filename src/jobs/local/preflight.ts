import { HeadBucketCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { JobPreparationError, ManifestError } from '../errors.js';
import type { JobManifestSpec } from '../port.js';
import { bareEtag } from '../validate.js';
import { manifestUri, readError } from './csv-manifest-source.js';

/**
 * What Batch checks in Preparing before any task runs (aws-facts §2.2): the manifest object exists,
 * still has the ETag given at creation, and a hand-written CSV manifest is not SSE-KMS encrypted.
 */
export async function checkManifestObject(s3: S3Client, spec: JobManifestSpec): Promise<void> {
  const uri = manifestUri(spec);
  let head: { ETag?: string | undefined; ServerSideEncryption?: string | undefined };
  try {
    head = await s3.send(
      new HeadObjectCommand({
        Bucket: spec.bucket,
        Key: spec.key,
        ...(spec.versionId ? { VersionId: spec.versionId } : {}),
      }),
    );
  } catch (cause) {
    throw readError(cause, uri);
  }
  const actual = bareEtag(head.ETag ?? '');
  const expected = bareEtag(spec.etag);
  if (actual !== expected)
    throw new ManifestError(
      'ManifestETagMismatch',
      `the ETag of manifest ${uri} is "${actual}", not "${expected}" as given when the job was created`,
    );
  if (spec.format === 'S3BatchOperations_CSV_20180820' && head.ServerSideEncryption?.startsWith('aws:kms'))
    throw new ManifestError(
      'ManifestEncryptionUnsupported',
      `manifest ${uri} is SSE-KMS encrypted; Batch reads CSV manifests only under SSE-S3 or no encryption`,
    );
}

/** The report bucket must be reachable before work starts, or the results of every task would be lost. */
export async function checkReportBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (cause) {
    const e = cause as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    if (status === 404 || e.name === 'NotFound' || e.name === 'NoSuchBucket')
      throw new JobPreparationError('ReportBucketNotFound', `report bucket ${bucket} does not exist`, {
        cause,
      });
    if (status === 403)
      throw new JobPreparationError('ReportBucketAccessDenied', `report bucket ${bucket} is not accessible`, {
        cause,
      });
    throw new JobPreparationError(
      'ReportBucketCheckFailed',
      `checking report bucket ${bucket} failed: ${e.message ?? String(cause)}`,
      { cause },
    );
  }
}
