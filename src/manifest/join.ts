import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { encodeKey } from '../batch/keys.js';
import { ManifestJoinError } from './errors.js';
import type { WrittenObject } from './s3-writer.js';

/** S3 multipart limits (aws-facts §5.4): every part but the last is 5 MiB–5 GiB; at most 10,000 parts. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const MAX_PART_BYTES = 5 * 1024 ** 3;
export const MAX_PARTS = 10_000;

/** Bytes [start, end) of source number `source`. */
export interface Piece {
  readonly source: number;
  readonly start: number;
  readonly end: number;
}

export type PartPlan =
  /** Server-side UploadPartCopy of a range of one source (no bytes pass through the function). */
  | { readonly kind: 'copy'; readonly piece: Piece }
  /** Small pieces read and uploaded together, so every part but the last reaches the 5 MiB minimum. */
  | { readonly kind: 'upload'; readonly pieces: readonly Piece[] };

export type JoinPlan =
  | { readonly kind: 'empty' }
  | { readonly kind: 'put'; readonly pieces: readonly Piece[] }
  | { readonly kind: 'multipart'; readonly parts: readonly PartPlan[] };

export interface JoinLimits {
  readonly minPart: number;
  readonly maxPart: number;
  readonly maxParts: number;
}
const LIMITS: JoinLimits = { minPart: MIN_PART_BYTES, maxPart: MAX_PART_BYTES, maxParts: MAX_PARTS };

/**
 * Plans the concatenation of objects of the given sizes, in order, with as little data as possible
 * passing through the caller: ranges of at least `minPart` bytes are copied server-side; shorter
 * runs are gathered (at most `minPart` bytes in memory) and uploaded as one part. A short run before
 * a large source borrows the large source's first bytes to reach the minimum.
 */
export function planJoin(sizes: readonly number[], limits: JoinLimits = LIMITS): JoinPlan {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total === 0) return { kind: 'empty' };
  const all: Piece[] = sizes.flatMap((n, source) => (n > 0 ? [{ source, start: 0, end: n }] : []));
  if (total < limits.minPart) return { kind: 'put', pieces: all };

  const parts: PartPlan[] = [];
  let pending: Piece[] = [];
  let pendingBytes = 0;
  sizes.forEach((n, source) => {
    let offset = 0;
    while (offset < n) {
      const remaining = n - offset;
      if (pendingBytes > 0) {
        const take = Math.min(limits.minPart - pendingBytes, remaining);
        pending.push({ source, start: offset, end: offset + take });
        pendingBytes += take;
        offset += take;
        if (pendingBytes >= limits.minPart) {
          parts.push({ kind: 'upload', pieces: pending });
          pending = [];
          pendingBytes = 0;
        }
      } else if (remaining >= limits.minPart) {
        // Leave a tail of either nothing or at least minPart, so the tail can be copied too.
        let take = Math.min(remaining, limits.maxPart);
        const tail = remaining - take;
        if (tail > 0 && tail < limits.minPart) take = remaining - limits.minPart;
        parts.push({ kind: 'copy', piece: { source, start: offset, end: offset + take } });
        offset += take;
      } else {
        pending.push({ source, start: offset, end: n });
        pendingBytes += remaining;
        offset = n;
      }
    }
  });
  if (pending.length > 0) parts.push({ kind: 'upload', pieces: pending });
  if (parts.length > limits.maxParts)
    throw new ManifestJoinError(
      `joining ${sizes.length} objects (${total} bytes) needs ${parts.length} parts; S3 allows ${limits.maxParts}`,
    );
  return { kind: 'multipart', parts };
}

export interface JoinSource {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly versionId?: string;
}

async function readPieces(
  s3: S3Client,
  sources: readonly JoinSource[],
  pieces: readonly Piece[],
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for (const p of pieces) {
    const s = sources[p.source]!;
    const out = await s3.send(
      new GetObjectCommand({
        Bucket: s.bucket,
        Key: s.key,
        ...(s.versionId ? { VersionId: s.versionId } : {}),
        Range: `bytes=${p.start}-${p.end - 1}`,
      }),
    );
    chunks.push((await out.Body?.transformToByteArray()) ?? new Uint8Array());
  }
  return Buffer.concat(chunks);
}

const copySource = (s: JoinSource): string =>
  `${s.bucket}/${encodeKey(s.key)}${s.versionId ? `?versionId=${encodeURIComponent(s.versionId)}` : ''}`;

/**
 * Concatenates `sources` into `target` (S3 multipart copy joins parts server-side). Returns
 * undefined when every source is empty (no object is written). A failure aborts the upload.
 */
export async function joinObjects(
  s3: S3Client,
  sources: readonly JoinSource[],
  target: { readonly bucket: string; readonly key: string; readonly contentType?: string },
  limits: JoinLimits = LIMITS,
): Promise<WrittenObject | undefined> {
  const plan = planJoin(
    sources.map((s) => s.size),
    limits,
  );
  const common = {
    Bucket: target.bucket,
    Key: target.key,
    ContentType: target.contentType ?? 'text/csv; charset=utf-8',
    ServerSideEncryption: 'AES256' as const,
  };
  const bytes = sources.reduce((a, s) => a + s.size, 0);
  if (plan.kind === 'empty') return undefined;
  if (plan.kind === 'put') {
    const out = await s3.send(
      new PutObjectCommand({ ...common, Body: await readPieces(s3, sources, plan.pieces) }),
    );
    return written(target, out, bytes);
  }
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand(common));
  if (!UploadId) throw new ManifestJoinError('CreateMultipartUpload returned no UploadId', target);
  try {
    const etags: { PartNumber: number; ETag: string }[] = [];
    // Sequential on purpose: a join is a handful of parts and must keep memory at one part.
    for (const [i, part] of plan.parts.entries()) {
      const PartNumber = i + 1;
      if (part.kind === 'copy') {
        const s = sources[part.piece.source]!;
        const out = await s3.send(
          new UploadPartCopyCommand({
            Bucket: target.bucket,
            Key: target.key,
            UploadId,
            PartNumber,
            CopySource: copySource(s),
            CopySourceRange: `bytes=${part.piece.start}-${part.piece.end - 1}`,
          }),
        );
        etags.push({ PartNumber, ETag: out.CopyPartResult?.ETag ?? '' });
      } else {
        const body = await readPieces(s3, sources, part.pieces);
        const out = await s3.send(
          new UploadPartCommand({ Bucket: target.bucket, Key: target.key, UploadId, PartNumber, Body: body }),
        );
        etags.push({ PartNumber, ETag: out.ETag ?? '' });
      }
    }
    const out = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: target.bucket,
        Key: target.key,
        UploadId,
        MultipartUpload: { Parts: etags },
      }),
    );
    return written(target, out, bytes);
  } catch (e) {
    await s3
      .send(new AbortMultipartUploadCommand({ Bucket: target.bucket, Key: target.key, UploadId }))
      .catch(() => {});
    throw new ManifestJoinError(
      `joining into s3://${target.bucket}/${target.key} failed: ${(e as Error).message}`,
      target,
      {
        cause: e,
      },
    );
  }
}

function written(
  target: { bucket: string; key: string },
  out: { ETag?: string; VersionId?: string },
  bytes: number,
): WrittenObject {
  return {
    bucket: target.bucket,
    key: target.key,
    etag: (out.ETag ?? '').replace(/"/g, ''),
    ...(out.VersionId ? { versionId: out.VersionId } : {}),
    bytes,
  };
}
