const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/** S3 multipart limits (aws-facts §5.4): every part but the last is 5 MiB–5 GiB, at most 10,000 parts. */
export const MultipartLimits = {
  minPartBytes: 5 * MiB,
  maxPartBytes: 5 * GiB,
  maxParts: 10_000,
  /** 10,000 × 5 GiB = 48.8 TiB, S3's largest object. */
  maxObjectBytes: 10_000 * 5 * GiB,
} as const;

/** Large enough that a 48.8 TiB object still needs few invocations, small enough to retry cheaply. */
export const DEFAULT_PART_SIZE_BYTES = 512 * MiB;

export interface PartRange {
  readonly partNumber: number;
  /** Zero-based, inclusive (the `x-amz-copy-source-range: bytes=first-last` form). */
  readonly first: number;
  readonly last: number;
}

export interface PartPlan {
  readonly partSize: number;
  readonly parts: readonly PartRange[];
}

/** Rejects a preferred part size outside S3's per-part bounds (a configuration error, named). */
export function validatePartSize(bytes: number): number {
  if (
    !Number.isSafeInteger(bytes) ||
    bytes < MultipartLimits.minPartBytes ||
    bytes > MultipartLimits.maxPartBytes
  )
    throw new RangeError(
      `partSizeBytes must be an integer between ${MultipartLimits.minPartBytes} (5 MiB) and ${MultipartLimits.maxPartBytes} (5 GiB), got ${bytes}`,
    );
  return bytes;
}

/**
 * The preferred part size, raised (to a whole MiB) only as far as needed to fit the object in
 * 10,000 parts. Throws RangeError for sizes S3 cannot hold (callers check `maxObjectBytes` first).
 */
export function choosePartSize(
  objectBytes: number,
  preferredBytes: number = DEFAULT_PART_SIZE_BYTES,
): number {
  validatePartSize(preferredBytes);
  if (!Number.isSafeInteger(objectBytes) || objectBytes < 0)
    throw new RangeError(`object size must be a non-negative integer, got ${objectBytes}`);
  if (objectBytes > MultipartLimits.maxObjectBytes)
    throw new RangeError(
      `object of ${objectBytes} bytes exceeds S3's largest object (10,000 parts of 5 GiB = ${MultipartLimits.maxObjectBytes} bytes)`,
    );
  const needed = Math.ceil(objectBytes / MultipartLimits.maxParts);
  if (needed <= preferredBytes) return preferredBytes;
  // Whole MiB keeps part boundaries readable; the cap holds because objectBytes <= maxObjectBytes.
  return Math.min(Math.ceil(needed / MiB) * MiB, MultipartLimits.maxPartBytes);
}

/**
 * Splits an object into part ranges. A 0-byte object is one part with no range (S3 accepts an
 * UploadPartCopy of a whole empty object, while `bytes=0--1` is not a range); callers normally
 * route such objects to the single copy anyway.
 */
export function planParts(objectBytes: number, preferredBytes?: number): PartPlan {
  const partSize = choosePartSize(objectBytes, preferredBytes);
  const count = Math.max(1, Math.ceil(objectBytes / partSize));
  const parts: PartRange[] = [];
  for (let i = 0; i < count; i++) {
    const first = i * partSize;
    parts.push({ partNumber: i + 1, first, last: Math.min(first + partSize, objectBytes) - 1 });
  }
  return { partSize, parts };
}

export const partLength = (p: PartRange): number => Math.max(0, p.last - p.first + 1);
