import { createHash } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectSnapshot } from '../types.js';
import type { DonePart } from './upload-request.js';

/** Progress of one multipart copy, saved between invocations. ListParts stays the source of truth. */
export interface Checkpoint {
  readonly version: 1;
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  /** The source ETag every part was copied under; a different one means the source changed. */
  readonly sourceEtag: string;
  readonly size: number;
  readonly uploadId: string;
  readonly partSize: number;
  readonly partsTotal: number;
  readonly parts: readonly DonePart[];
  /** Invocations that worked on this upload, this one included. */
  readonly invocations: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type LoadedCheckpoint =
  | { readonly kind: 'none' }
  | { readonly kind: 'found'; readonly checkpoint: Checkpoint }
  /** Unreadable; the upload id is kept when it could be recovered, so the upload can still be aborted. */
  | { readonly kind: 'corrupt'; readonly uploadId?: string; readonly problem: string };

export interface CheckpointStore {
  load(object: ObjectRef): Promise<LoadedCheckpoint>;
  save(checkpoint: Checkpoint): Promise<void>;
  remove(object: ObjectRef): Promise<void>;
}

export type ObjectRef = Pick<ObjectSnapshot, 'bucket' | 'key'>;

/**
 * One checkpoint per object key, not per version or ETag: a changed source (a new ETag, or a new
 * current version in a versioned bucket) must find the old checkpoint, or its upload would be
 * orphaned. Only the current version is ever copied in place, so the key alone is unambiguous; the
 * version and ETag copied are checked inside. Hashed because keys may be 1,024 bytes long already.
 */
export function checkpointKey(prefix: string, o: ObjectRef): string {
  const digest = createHash('sha256').update(`${o.bucket}\u0000${o.key}`).digest('hex');
  return `${prefix}${o.bucket}/${digest}.json`;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;

function validDonePart(x: unknown): x is DonePart {
  if (!isObject(x) || !isCount(x.partNumber) || typeof x.etag !== 'string') return false;
  if (x.checksum === undefined) return true;
  return (
    isObject(x.checksum) && typeof x.checksum.algorithm === 'string' && typeof x.checksum.value === 'string'
  );
}

/** Parses a stored checkpoint; names the first problem instead of trusting a partial document. */
export function parseCheckpoint(text: string): LoadedCheckpoint {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch {
    return { kind: 'corrupt', problem: 'not JSON' };
  }
  if (!isObject(x) || Array.isArray(x)) return { kind: 'corrupt', problem: 'not a JSON object' };
  const uploadId = typeof x.uploadId === 'string' && x.uploadId !== '' ? x.uploadId : undefined;
  const corrupt = (problem: string): LoadedCheckpoint =>
    uploadId ? { kind: 'corrupt', uploadId, problem } : { kind: 'corrupt', problem };
  if (x.version !== 1) return corrupt(`unknown version ${String(x.version)}`);
  if (!uploadId) return corrupt('no uploadId');
  for (const f of ['bucket', 'key', 'sourceEtag', 'createdAt', 'updatedAt'] as const)
    if (typeof x[f] !== 'string') return corrupt(`${f} is not a string`);
  if (x.versionId !== undefined && typeof x.versionId !== 'string')
    return corrupt('versionId is not a string');
  for (const f of ['size', 'partSize', 'partsTotal', 'invocations'] as const)
    if (!isCount(x[f])) return corrupt(`${f} is not a non-negative integer`);
  if (!Array.isArray(x.parts) || !x.parts.every(validDonePart)) return corrupt('parts is malformed');
  return { kind: 'found', checkpoint: x as unknown as Checkpoint };
}

const isMissing = (e: unknown): boolean =>
  isObject(e) && (e.name === 'NoSuchKey' || (isObject(e.$metadata) && e.$metadata.httpStatusCode === 404));

/** Checkpoints as small JSON objects in S3 under a prefix (the work bucket in the stack). */
export function makeS3CheckpointStore(
  s3: S3Client,
  location: { bucket: string; prefix: string },
): CheckpointStore {
  const keyOf = (o: ObjectRef) => checkpointKey(location.prefix, o);
  return {
    async load(o) {
      try {
        const out = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: keyOf(o) }));
        return parseCheckpoint((await out.Body?.transformToString('utf-8')) ?? '');
      } catch (e) {
        if (isMissing(e)) return { kind: 'none' };
        throw e;
      }
    },
    async save(c) {
      await s3.send(
        new PutObjectCommand({
          Bucket: location.bucket,
          Key: keyOf(c),
          Body: JSON.stringify(c),
          ContentType: 'application/json',
        }),
      );
    },
    async remove(o) {
      await s3.send(new DeleteObjectCommand({ Bucket: location.bucket, Key: keyOf(o) }));
    },
  };
}
