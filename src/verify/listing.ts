import { ListObjectsV2Command, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { InventoryEncryption } from './inventory-source.js';

/** One object version to audit, as the listing shows it. */
export interface ListedObject {
  readonly key: string;
  /** Set only when listing versions; "null" for objects written before versioning was enabled. */
  readonly versionId?: string;
  readonly isLatest: boolean;
  readonly size: number;
  readonly storageClass: string;
  /** Encryption as an S3 Inventory row states it (inventory audits only). */
  readonly inventory?: InventoryEncryption;
}

export interface ListingObserver {
  /** Called once per page with the number of entries it added (objects, then delete markers skipped). */
  page(objects: number, deleteMarkers: number): void;
  /** The listing reached its last page. */
  end(): void;
}

/** Current objects (ListObjectsV2), page by page; memory stays at one page. */
export async function* listCurrentObjects(
  s3: S3Client,
  bucket: string,
  prefix: string | undefined,
  observer?: ListingObserver,
): AsyncGenerator<ListedObject> {
  let token: string | undefined;
  do {
    const out = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        ...(prefix ? { Prefix: prefix } : {}),
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    const contents = out.Contents ?? [];
    observer?.page(contents.length, 0);
    for (const o of contents) {
      if (o.Key === undefined) continue;
      yield { key: o.Key, isLatest: true, size: o.Size ?? 0, storageClass: o.StorageClass ?? 'STANDARD' };
    }
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
  observer?.end();
}

/** Every version (ListObjectVersions); delete markers hold no data and are only counted. */
export async function* listAllVersions(
  s3: S3Client,
  bucket: string,
  prefix: string | undefined,
  observer?: ListingObserver,
): AsyncGenerator<ListedObject> {
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const out = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        ...(prefix ? { Prefix: prefix } : {}),
        ...(keyMarker ? { KeyMarker: keyMarker } : {}),
        ...(versionMarker ? { VersionIdMarker: versionMarker } : {}),
      }),
    );
    const versions = out.Versions ?? [];
    observer?.page(versions.length, out.DeleteMarkers?.length ?? 0);
    for (const v of versions) {
      if (v.Key === undefined) continue;
      yield {
        key: v.Key,
        versionId: v.VersionId ?? 'null',
        isLatest: v.IsLatest === true,
        size: v.Size ?? 0,
        storageClass: v.StorageClass ?? 'STANDARD',
      };
    }
    keyMarker = out.IsTruncated ? out.NextKeyMarker : undefined;
    versionMarker = out.IsTruncated ? out.NextVersionIdMarker : undefined;
  } while (keyMarker);
  observer?.end();
}
