import type { Command } from 'commander';
import { UsageError } from './errors.js';
import { type InputFile, inputFile, kmsKeyArn, s3Location } from './options.js';
import { addSelectionOptions, type SelectionCliOptions } from './selection.js';

/** The options `run` and `submit` share: the same input gives the same job either way. */
export interface JobInputOptions extends SelectionCliOptions {
  readonly manifest: InputFile;
  readonly targetKey: string;
  readonly report: { readonly bucket: string; readonly prefix: string };
  readonly manifests?: { readonly bucket: string; readonly prefix: string };
}

export function addJobInputOptions(cmd: Command): void {
  cmd
    .requiredOption(
      '--manifest <s3-uri|path>',
      'an S3 Inventory manifest.json (s3://…) or a Batch CSV manifest (s3://… or a local file: Bucket,Key[,VersionId])',
      inputFile,
    )
    .requiredOption('--target-key <arn>', 'full ARN of the KMS key objects end up under', kmsKeyArn)
    .requiredOption(
      '--report <s3-uri>',
      'where completion reports go: s3://bucket/prefix (Batch writes them with SSE-S3: not a bucket you enforce)',
      s3Location,
    )
    .option(
      '--manifests <s3-uri>',
      'where Batch manifests, plan.json and uploaded CSV files go (default: the report bucket, prefix manifests)',
      s3Location,
    );
  addSelectionOptions(cmd);
}

export type JobSource =
  | { readonly kind: 'inventory'; readonly uri: string }
  | { readonly kind: 'csv'; readonly uri: string }
  | { readonly kind: 'csv-file'; readonly path: string };

/** An inventory when the S3 key is a manifest.json, otherwise a Batch CSV manifest. */
export function jobSource(input: InputFile): JobSource {
  if (input.kind === 's3')
    return input.key.endsWith('manifest.json')
      ? { kind: 'inventory', uri: input.uri }
      : { kind: 'csv', uri: input.uri };
  if (input.path.endsWith('.json'))
    throw new UsageError(
      `${input.path}: jobs read inventories from S3 (as Batch Operations does); give the s3:// URI of manifest.json, or use \`s3-reencrypt plan --inventory\` on the local copy`,
    );
  return { kind: 'csv-file', path: input.path };
}
