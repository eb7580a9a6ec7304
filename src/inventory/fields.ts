/**
 * Inventory field names (aws-facts §4.2–4.4). CSV manifests name columns in PascalCase in
 * `fileSchema`; Parquet files use snake_case column names. Both map to the same canonical names.
 */
export const InventoryFields = {
  Bucket: 'Bucket',
  Key: 'Key',
  VersionId: 'VersionId',
  IsLatest: 'IsLatest',
  IsDeleteMarker: 'IsDeleteMarker',
  Size: 'Size',
  LastModifiedDate: 'LastModifiedDate',
  ETag: 'ETag',
  StorageClass: 'StorageClass',
  IsMultipartUploaded: 'IsMultipartUploaded',
  ReplicationStatus: 'ReplicationStatus',
  EncryptionStatus: 'EncryptionStatus',
  ObjectLockRetainUntilDate: 'ObjectLockRetainUntilDate',
  ObjectLockMode: 'ObjectLockMode',
  ObjectLockLegalHoldStatus: 'ObjectLockLegalHoldStatus',
  IntelligentTieringAccessTier: 'IntelligentTieringAccessTier',
  BucketKeyStatus: 'BucketKeyStatus',
  ChecksumAlgorithm: 'ChecksumAlgorithm',
  ObjectAccessControlList: 'ObjectAccessControlList',
  ObjectOwner: 'ObjectOwner',
  LifecycleExpirationDate: 'LifecycleExpirationDate',
} as const;
export type InventoryField = (typeof InventoryFields)[keyof typeof InventoryFields];

const knownFields = new Set<string>(Object.values(InventoryFields));
export const isInventoryField = (name: string): name is InventoryField => knownFields.has(name);

/** `ObjectLockRetainUntilDate` → `object_lock_retain_until_date`; `ETag` → `e_tag` as in AWS's Parquet schema. */
export const parquetColumnName = (field: InventoryField): string =>
  field === 'ETag' ? 'e_tag' : field.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

const byParquetName = new Map<string, InventoryField>(
  Object.values(InventoryFields).map((f) => [parquetColumnName(f), f]),
);
export const fieldFromParquetColumn = (column: string): InventoryField | undefined =>
  byParquetName.get(column.toLowerCase());

export const EncryptionStatuses = {
  SSE_S3: 'SSE-S3',
  SSE_KMS: 'SSE-KMS',
  DSSE_KMS: 'DSSE-KMS',
  SSE_C: 'SSE-C',
  NOT_SSE: 'NOT-SSE',
} as const;
export type EncryptionStatus = (typeof EncryptionStatuses)[keyof typeof EncryptionStatuses];
const encryptionValues = new Set<string>(Object.values(EncryptionStatuses));
export const isEncryptionStatus = (v: string): v is EncryptionStatus => encryptionValues.has(v);

export const BucketKeyStatuses = { ENABLED: 'ENABLED', DISABLED: 'DISABLED' } as const;
export type BucketKeyStatus = (typeof BucketKeyStatuses)[keyof typeof BucketKeyStatuses];

/** Storage classes whose objects must be restored before a copy can read them (aws-facts §5.5). */
export const ARCHIVE_STORAGE_CLASSES: ReadonlySet<string> = new Set(['GLACIER', 'DEEP_ARCHIVE']);
/** Intelligent-Tiering access tiers that are archived (restore needed to read). */
export const ARCHIVE_ACCESS_TIERS: ReadonlySet<string> = new Set(['ARCHIVE', 'DEEP_ARCHIVE']);

/** The fields the filter cannot work without; anything else is optional and narrows what it can tell. */
export const REQUIRED_FIELDS: readonly InventoryField[] = ['Bucket', 'Key', 'EncryptionStatus'];
