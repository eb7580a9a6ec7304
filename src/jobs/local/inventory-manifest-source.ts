import type { S3Client } from '@aws-sdk/client-s3';
import { encodeKey } from '../../batch/keys.js';
import { InventoryDataFileError, InventoryError, InventoryRowError } from '../../inventory/errors.js';
import { dataFileRows, readInventoryManifest } from '../../inventory/s3-read.js';
import type { InventoryManifest, InventoryRow } from '../../inventory/types.js';
import { ManifestError } from '../errors.js';
import { bareEtag } from '../validate.js';
import { manifestUri, readError } from './csv-manifest-source.js';
import type { InventoryManifestSpec, InventoryTaskSourceFactory, ManifestTask } from './task-source.js';

function toManifestError(e: unknown, uri: string): ManifestError {
  if (e instanceof ManifestError) return e;
  if (e instanceof InventoryError) {
    const code = e instanceof InventoryDataFileError ? 'ManifestReadFailed' : 'ManifestInvalid';
    const line = e instanceof InventoryRowError && e.row !== undefined ? { line: e.row } : {};
    return new ManifestError(code, e.message, line, { cause: e });
  }
  return readError(e, uri);
}

async function load(spec: InventoryManifestSpec, s3: S3Client, uri: string): Promise<InventoryManifest> {
  let manifest: InventoryManifest;
  try {
    manifest = await readInventoryManifest(s3, {
      bucket: spec.bucket,
      key: spec.key,
      ...(spec.versionId ? { versionId: spec.versionId } : {}),
    });
  } catch (e) {
    throw toManifestError(e, uri);
  }
  if (bareEtag(manifest.etag) !== bareEtag(spec.etag))
    throw new ManifestError(
      'ManifestETagMismatch',
      `manifest ${uri} changed since the job was created (its ETag no longer matches)`,
    );
  // Only the two CSV manifest formats exist for CreateJob (aws-facts §2.2): Batch refuses Parquet/ORC inventories.
  if (manifest.fileFormat !== 'CSV')
    throw new ManifestError(
      'ManifestInvalid',
      `${uri} is a ${manifest.fileFormat} inventory; Batch Operations accepts only CSV inventory reports as manifests`,
    );
  return manifest;
}

/**
 * Tasks of an S3InventoryReport_CSV_20161130 manifest: manifest.json, then each CSV.gz data file
 * streamed row by row in fileSchema's column order (read by src/inventory). Keys are decoded once
 * by the inventory reader and re-encoded here, so the function decodes them to the same key.
 * All-versions inventories give the null version as "null", which Batch accepts (aws-facts §2.2).
 */
export const inventoryManifestSource: InventoryTaskSourceFactory = (spec, s3) => {
  const uri = manifestUri(spec);
  return {
    async *tasks(): AsyncGenerator<ManifestTask> {
      const manifest = await load(spec, s3, uri);
      let line = 0;
      for (const file of manifest.files) {
        const rows = dataFileRows(s3, manifest, file);
        try {
          while (true) {
            let next: IteratorResult<InventoryRow>;
            try {
              next = await rows.next();
            } catch (e) {
              throw toManifestError(e, uri);
            }
            if (next.done) break;
            line++;
            yield {
              bucket: next.value.bucket,
              keyField: encodeKey(next.value.key),
              versionId: manifest.allVersions ? (next.value.versionId ?? 'null') : null,
              line,
            };
          }
        } finally {
          // Closes the data file's stream when the engine stops reading early (cancel, threshold).
          await rows.return(undefined);
        }
      }
    },
  };
};
