/**
 * Malformed jobs for the local Batch engine: CreateJob requests S3 Control would refuse (refused at
 * create(), no job exists), and manifests Batch would fail in Preparing (the job ends Failed with the
 * reason, before any task runs, and writes no report) — aws-facts §2.1–2.2.
 */

import type { CreateJobRequest } from '../../../src/jobs/port.js';
import { MANIFEST_ETAG } from '../jobs.js';
import type { BadInputCase } from './types.js';

export type CsvManifestSpec = Extract<
  CreateJobRequest['manifest'],
  { format: 'S3BatchOperations_CSV_20180820' }
>;

export type EngineJobInput =
  /** create() throws InvalidJobRequestError naming the field; no job is made. */
  | { readonly kind: 'request'; readonly edit: (valid: CreateJobRequest) => CreateJobRequest }
  /** The job is made and fails in Preparing with `code`; no task runs. */
  | {
      readonly kind: 'manifest';
      readonly code: string;
      /** The manifest's bytes, from the valid rows (`bucket,key` lines). */
      readonly body?: (rows: readonly string[]) => string | Buffer;
      /** The spec given to CreateJob, from the valid one. */
      readonly spec?: (valid: CsvManifestSpec) => CreateJobRequest['manifest'];
      readonly reportBucket?: string;
    };

const request = (
  name: string,
  edit: (r: CreateJobRequest) => CreateJobRequest,
  names: RegExp,
): BadInputCase<EngineJobInput> => ({ name, input: { kind: 'request', edit }, names });

const lambdaOp = (r: CreateJobRequest) =>
  r.operation as Extract<CreateJobRequest['operation'], { kind: 'LambdaInvoke' }>;

export const ENGINE_JOB_CASES: readonly BadInputCase<EngineJobInput>[] = [
  request(
    'a role that is not an IAM role ARN',
    (r) => ({ ...r, roleArn: 'my-batch-role' }),
    /roleArn: "my-batch-role" is not an IAM role ARN/,
  ),
  request(
    'an account id that is not 12 digits',
    (r) => ({ ...r, accountId: '1234' }),
    /accountId: must be a 12-digit AWS account id, got "1234"/,
  ),
  request(
    'a negative priority',
    (r) => ({ ...r, priority: -1 }),
    /priority: must be a whole number 0–2147483647, got -1/,
  ),
  request(
    'a function that is not a Lambda ARN',
    (r) => ({ ...r, operation: { ...lambdaOp(r), functionArn: 'reencrypt' } }),
    /operation\.functionArn: "reencrypt" is not a Lambda function ARN/,
  ),
  request(
    'eleven user arguments',
    (r) => ({
      ...r,
      operation: {
        ...lambdaOp(r),
        userArguments: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`arg${i}`, 'v'])),
      },
    }),
    /operation\.userArguments: at most 10 entries, got 11/,
  ),
  request(
    'user arguments with schema 1.0',
    (r) => ({ ...r, operation: { ...lambdaOp(r), invocationSchemaVersion: '1.0' } }),
    /operation\.userArguments: need invocationSchemaVersion "2\.0"/,
  ),
  request(
    'a manifest ETag that is not an ETag',
    (r) => ({ ...r, manifest: { ...r.manifest, etag: 'latest' } }),
    /manifest\.etag: "latest" is not an S3 ETag/,
  ),
  request(
    'manifest fields without Bucket',
    (r) => ({ ...r, manifest: { ...(r.manifest as CsvManifestSpec), fields: ['Key'] } }),
    /manifest\.fields: need exactly one Bucket and one Key column, got \[Key\]/,
  ),
  request(
    'a report bucket name with capitals',
    (r) => ({ ...r, report: { ...r.report, bucket: 'Reports_Bucket' } }),
    /report\.bucket: "Reports_Bucket" is not a valid S3 bucket name/,
  ),
  {
    name: 'a manifest with a byte order mark',
    input: { kind: 'manifest', code: 'ManifestInvalid', body: (rows) => `\uFEFF${rows.join('')}` },
    names: /s3:\/\/[^ ]+\/plan\/manifest\.csv starts with a UTF-8 byte order mark; save it without BOM/,
  },
  {
    name: 'a manifest row with a version column the Fields do not have',
    input: {
      kind: 'manifest',
      code: 'ManifestInvalid',
      body: (rows) => `${rows[0]}${rows[1]!.trimEnd()},3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY\n`,
    },
    names:
      /line 2 of s3:\/\/[^ ]+\/plan\/manifest\.csv has 3 columns but Fields \[Bucket,Key\] has 2 \(a version id column appears/,
  },
  {
    name: 'a manifest with an empty line',
    input: { kind: 'manifest', code: 'ManifestInvalid', body: (rows) => `${rows[0]}\n${rows[1]}` },
    names: /line 2 of s3:\/\/[^ ]+\/plan\/manifest\.csv is empty; a Batch CSV manifest allows no empty lines/,
  },
  {
    name: 'a manifest row whose bucket is not a bucket name',
    input: { kind: 'manifest', code: 'ManifestInvalid', body: (rows) => `Data_Bucket,key\n${rows.join('')}` },
    names: /line 1 of s3:\/\/[^ ]+\/plan\/manifest\.csv: "Data_Bucket" is not a bucket name/,
  },
  {
    name: 'a manifest with an unterminated quote',
    input: { kind: 'manifest', code: 'ManifestInvalid', body: (rows) => `${rows.join('')}"data,"key\n` },
    names: /s3:\/\/[^ ]+\/plan\/manifest\.csv is not valid CSV/,
  },
  {
    name: 'a manifest whose ETag is not the one given to CreateJob',
    input: { kind: 'manifest', code: 'ManifestETagMismatch', spec: (s) => ({ ...s, etag: MANIFEST_ETAG }) },
    names: new RegExp(
      `the ETag of manifest s3://[^ ]+/plan/manifest\\.csv is "[0-9a-f]{32}", not "${MANIFEST_ETAG}"`,
    ),
  },
  {
    name: 'a manifest that does not exist',
    input: { kind: 'manifest', code: 'ManifestNotFound', spec: (s) => ({ ...s, key: 'plan/gone.csv' }) },
    names: /manifest s3:\/\/[^ ]+\/plan\/gone\.csv does not exist/,
  },
  {
    name: 'a report bucket that does not exist',
    input: { kind: 'manifest', code: 'ReportBucketNotFound', reportBucket: 'no-such-reports-bucket' },
    names: /report bucket no-such-reports-bucket does not exist/,
  },
];
