import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { encodeKey } from '../batch/keys.js';
import { encodeHintedKey, type TaskHints } from '../batch/task-hints.js';
import { ARCHIVE_ACCESS_TIERS, type InventoryField } from '../inventory/fields.js';
import type { Decision } from '../inventory/filter.js';
import type { InventoryRow } from '../inventory/types.js';
import { manifestRow } from './csv-row.js';
import { S3StreamWriter, type S3StreamWriterOptions, type WrittenObject } from './s3-writer.js';

/**
 * The outputs of one trigger run:
 * - `lambda-hinted`: Lambda job manifest whose key fields carry task hints (job argument hints=1);
 * - `lambda-plain`: Lambda job manifest of the rows whose hints would not fit the 1,024-character field;
 * - `update`: rows for a native S3UpdateObjectEncryption job (only when that strategy is on);
 * - `blocked`: a list for people (bucket, key, version, reason), never given to Batch.
 */
export const OutputKinds = {
  lambdaHinted: 'lambda-hinted',
  lambdaPlain: 'lambda-plain',
  update: 'update',
  blocked: 'blocked',
} as const;
export type OutputKind = (typeof OutputKinds)[keyof typeof OutputKinds];

export const OUTPUT_FILE_NAMES: Readonly<Record<OutputKind, string>> = {
  'lambda-hinted': 'tasks-hinted.csv',
  'lambda-plain': 'tasks-plain.csv',
  update: 'tasks-update.csv',
  blocked: 'blocked.csv',
};

export interface WrittenManifest extends WrittenObject {
  readonly kind: OutputKind;
  readonly rows: number;
  /** Manifest columns for CreateJob (`Spec.Fields`); every row has a version id or none (aws-facts §2.2). */
  readonly fields: readonly ('Bucket' | 'Key' | 'VersionId')[];
}

export interface ManifestSetOptions {
  readonly bucket: string;
  /** Folder for the outputs, without trailing slash. */
  readonly prefix: string;
  /** Inventory lists versions: every row carries a version id (`null` for the null version). */
  readonly withVersions: boolean;
  /** Send update-route rows to a native S3UpdateObjectEncryption job instead of the Lambda. */
  readonly nativeUpdate: boolean;
  /** The inventory's columns: which optional facts a hint can vouch for (see `HintColumns`). */
  readonly columns?: readonly (InventoryField | null)[];
  readonly writer?: S3StreamWriterOptions;
}

/**
 * Optional inventory fields a hint can only state when the inventory lists them: without the column an
 * absent value means "not known", not "none" (the per-object Lambda then looks with a HEAD).
 */
export interface HintColumns {
  /** ObjectLockMode, ObjectLockRetainUntilDate and ObjectLockLegalHoldStatus are all listed. */
  readonly objectLock: boolean;
  readonly checksum: boolean;
}

const NO_COLUMNS: HintColumns = { objectLock: false, checksum: false };

export function hintColumns(columns: readonly (InventoryField | null)[] | undefined): HintColumns {
  if (!columns) return NO_COLUMNS;
  const has = new Set(columns);
  return {
    objectLock:
      has.has('ObjectLockMode') &&
      has.has('ObjectLockRetainUntilDate') &&
      has.has('ObjectLockLegalHoldStatus'),
    checksum: has.has('ChecksumAlgorithm'),
  };
}

export function taskHints(row: InventoryRow, locked: boolean, columns: HintColumns = NO_COLUMNS): TaskHints {
  // An expired retention still has a mode and date, which a copy would have to carry: "not known" then.
  const lockFree =
    columns.objectLock &&
    row.objectLockMode === undefined &&
    row.objectLockRetainUntil === undefined &&
    row.legalHold !== true;
  return {
    key: row.key,
    ...(row.encryption ? { encryption: row.encryption } : {}),
    ...(row.size !== undefined ? { size: row.size } : {}),
    ...(row.storageClass ? { storageClass: row.storageClass } : {}),
    ...(row.etag ? { etag: row.etag } : {}),
    ...(row.bucketKey ? { bucketKey: row.bucketKey } : {}),
    isLatest: row.isLatest,
    ...(row.accessTier && ARCHIVE_ACCESS_TIERS.has(row.accessTier) ? { archiveTier: row.accessTier } : {}),
    ...(locked ? { locked: true } : lockFree ? { locked: false } : {}),
    ...(columns.checksum ? { checksumAlgorithm: row.checksumAlgorithm ?? '' } : {}),
  };
}

/** Streams classified rows into the per-kind outputs; objects appear only on `finish()`. */
export class ManifestSet {
  private readonly writers = new Map<OutputKind, { w: S3StreamWriter; rows: number }>();
  private readonly columns: HintColumns;

  constructor(
    private readonly s3: S3Client,
    private readonly o: ManifestSetOptions,
  ) {
    this.columns = hintColumns(o.columns);
  }

  keyFor(kind: OutputKind): string {
    return `${this.o.prefix}/${OUTPUT_FILE_NAMES[kind]}`;
  }

  private writer(kind: OutputKind) {
    let entry = this.writers.get(kind);
    if (!entry) {
      entry = { w: new S3StreamWriter(this.s3, this.o.bucket, this.keyFor(kind), this.o.writer), rows: 0 };
      this.writers.set(kind, entry);
    }
    return entry;
  }

  async add(row: InventoryRow, d: Decision): Promise<void> {
    const version = this.o.withVersions ? (row.versionId ?? 'null') : undefined;
    if (d.kind === 'work') {
      if (this.o.nativeUpdate && d.route === 'update') {
        const e = this.writer('update');
        e.rows += 1;
        await e.w.write(manifestRow(row.bucket, { key: row.key }, version));
        return;
      }
      const hinted = encodeHintedKey(taskHints(row, d.locked, this.columns));
      const e = this.writer(hinted ? 'lambda-hinted' : 'lambda-plain');
      e.rows += 1;
      await e.w.write(manifestRow(row.bucket, hinted ? { encoded: hinted } : { key: row.key }, version));
    } else if (d.kind === 'blocked') {
      const e = this.writer('blocked');
      e.rows += 1;
      await e.w.write(`${row.bucket},${encodeKey(row.key)},${version ?? ''},${d.reason}\n`);
    }
  }

  /** Completes every output; if one fails, the ones already written are deleted again. */
  async finish(): Promise<WrittenManifest[]> {
    const out: WrittenManifest[] = [];
    const fields: WrittenManifest['fields'] = this.o.withVersions
      ? ['Bucket', 'Key', 'VersionId']
      : ['Bucket', 'Key'];
    try {
      for (const [kind, { w, rows }] of this.writers) out.push({ ...(await w.finish()), kind, rows, fields });
    } catch (e) {
      await this.abort(e as Error);
      await Promise.allSettled(
        out.map((m) => this.s3.send(new DeleteObjectCommand({ Bucket: m.bucket, Key: m.key }))),
      );
      throw e;
    }
    return out;
  }

  async abort(reason?: Error): Promise<void> {
    await Promise.allSettled([...this.writers.values()].map(({ w }) => w.abort(reason)));
  }
}
