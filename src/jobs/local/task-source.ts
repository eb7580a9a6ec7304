import type { S3Client } from '@aws-sdk/client-s3';
import type { JobManifestSpec } from '../port.js';

/** One task as the manifest lists it; `keyField` is passed to the function exactly as written there. */
export interface ManifestTask {
  readonly bucket: string;
  /** The key column as it appears in the manifest (URL-encoded, possibly a task-hints document). */
  readonly keyField: string;
  /** `null` when the manifest has no version column. */
  readonly versionId: string | null;
  /** 1-based position in the manifest, for error messages. */
  readonly line: number;
}

/**
 * Streams a job's tasks. Each call of `tasks()` starts from the beginning: the engine reads the
 * manifest once to validate and count it (Batch's Preparing step) and once more to run it, so no
 * task list is ever held in memory. A source throws ManifestError for anything Batch would refuse.
 */
export interface TaskSource {
  tasks(signal?: AbortSignal): AsyncIterable<ManifestTask>;
}

export type InventoryManifestSpec = Extract<JobManifestSpec, { format: 'S3InventoryReport_CSV_20161130' }>;
export type CsvManifestSpec = Extract<JobManifestSpec, { format: 'S3BatchOperations_CSV_20180820' }>;

/** Builds the task source for an inventory manifest.json; injected so the inventory reader can plug in. */
export type InventoryTaskSourceFactory = (spec: InventoryManifestSpec, s3: S3Client) => TaskSource;
