import type { S3Client } from '@aws-sdk/client-s3';
import type { ObservedEncryption } from '../compliance/compliance.js';
import type { EncryptionStatus } from '../inventory/fields.js';
import { dataFileRows } from '../inventory/s3-read.js';
import type { InventoryManifest, InventoryRow } from '../inventory/types.js';
import type { ListedObject, ListingObserver } from './listing.js';

/**
 * What an inventory row says about an object's encryption. S3 Inventory has no KMS key column
 * (aws-facts §4.4), so an SSE-KMS row never settles compliance alone; its Bucket Key state is known
 * only when the BucketKeyStatus field was configured.
 */
export interface InventoryEncryption {
  readonly algorithm: ObservedEncryption['algorithm'];
  readonly bucketKeyEnabled?: boolean;
}

const ALGORITHM: Readonly<Record<EncryptionStatus, ObservedEncryption['algorithm']>> = {
  'SSE-S3': 'AES256',
  'SSE-KMS': 'aws:kms',
  'DSSE-KMS': 'aws:kms:dsse',
  'SSE-C': 'SSE-C',
  'NOT-SSE': 'NONE',
};

export function inventoryEncryption(row: InventoryRow): InventoryEncryption | undefined {
  if (!row.encryption) return undefined;
  return {
    algorithm: ALGORITHM[row.encryption],
    ...(row.bucketKey ? { bucketKeyEnabled: row.bucketKey === 'ENABLED' } : {}),
  };
}

/** The rows of every data file in turn, as audit items; one file's rows are streamed, never held. */
export async function* inventoryObjects(
  s3: S3Client,
  manifest: InventoryManifest,
  options: { readonly prefix?: string; readonly allVersions: boolean },
  observer?: ListingObserver,
): AsyncGenerator<ListedObject> {
  for (const file of manifest.files) {
    let objects = 0;
    let markers = 0;
    const batch: ListedObject[] = [];
    const flush = () => {
      observer?.page(objects, markers);
      objects = 0;
      markers = 0;
    };
    for await (const row of dataFileRows(s3, manifest, file)) {
      if (options.prefix && !row.key.startsWith(options.prefix)) continue;
      if (!options.allVersions && !row.isLatest) continue;
      if (row.isDeleteMarker) {
        markers += 1;
        continue;
      }
      objects += 1;
      const inventory = inventoryEncryption(row);
      batch.push({
        key: row.key,
        ...(options.allVersions && row.versionId !== undefined ? { versionId: row.versionId } : {}),
        isLatest: row.isLatest,
        size: row.size ?? 0,
        storageClass: row.storageClass ?? 'STANDARD',
        ...(inventory ? { inventory } : {}),
      });
      // Report progress in listing-sized steps so the total grows as the file is read.
      if (batch.length === 1000) {
        flush();
        yield* batch.splice(0);
      }
    }
    flush();
    yield* batch.splice(0);
  }
  observer?.end();
}
