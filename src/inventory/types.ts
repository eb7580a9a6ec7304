import type { BucketKeyStatus, EncryptionStatus, InventoryField } from './fields.js';

export const InventoryFormats = { CSV: 'CSV', Parquet: 'Parquet' } as const;
export type InventoryFormat = (typeof InventoryFormats)[keyof typeof InventoryFormats];

export interface InventoryDataFile {
  readonly key: string;
  readonly size: number;
  /** MD5 of the data file as listed in manifest.json (hex, lower case). */
  readonly md5: string;
}

/** Where an inventory manifest.json lives and which delivery of it was seen. */
export interface InventoryManifestRef {
  readonly bucket: string;
  /** Decoded object key of manifest.json. */
  readonly key: string;
  /** ETag from the event (quotes stripped), when the event carried one. */
  readonly etag?: string;
  readonly versionId?: string;
  /** Region of the inventory bucket (= the source bucket's Region: inventory requires it). */
  readonly region?: string;
  /** Key as the event spelled it, when it differs from `key` (EventBridge key encoding is undocumented). */
  readonly rawKey?: string;
}

/** A validated manifest.json (aws-facts §4.2). */
export interface InventoryManifest {
  readonly ref: InventoryManifestRef;
  /** ETag of manifest.json as read (no quotes): with the key it identifies this delivery. */
  readonly etag: string;
  readonly sourceBucket: string;
  /** Destination bucket name (manifest.json carries its ARN). */
  readonly destinationBucket: string;
  readonly version: string;
  readonly creationTimestamp: Date;
  readonly fileFormat: InventoryFormat;
  /** Canonical field names in column order; null where a CSV column is not a known field. */
  readonly columns: readonly (InventoryField | null)[];
  readonly files: readonly InventoryDataFile[];
  /** manifest.checksum was present and matched. */
  readonly checksumVerified: boolean;
  /** Lists every version (VersionId, IsLatest, IsDeleteMarker columns present). */
  readonly allVersions: boolean;
}

/** One inventory row with values normalised (aws-facts §4.4) and the key decoded exactly once. */
export interface InventoryRow {
  readonly bucket: string;
  readonly key: string;
  /** Absent for current-version inventories; `null` for the null version of an all-versions inventory. */
  readonly versionId?: string;
  readonly isLatest: boolean;
  readonly isDeleteMarker: boolean;
  readonly size?: number;
  readonly lastModified?: string;
  /** ETag without quotes. */
  readonly etag?: string;
  readonly storageClass?: string;
  /** Absent only on delete markers. */
  readonly encryption?: EncryptionStatus;
  readonly bucketKey?: BucketKeyStatus;
  readonly objectLockMode?: string;
  readonly objectLockRetainUntil?: string;
  readonly legalHold?: boolean;
  readonly accessTier?: string;
  /** SHA256 / SHA1 / CRC32 / CRC32C / CRC64NVME (`SHA-256` normalised). */
  readonly checksumAlgorithm?: string;
  readonly isMultipartUploaded?: boolean;
}
