/**
 * S3's precondition rules for the requests moto does not check (testing.md): CopyObject's
 * `x-amz-copy-source-if-*` and destination `If-Match`/`If-None-Match`, the same source conditions on
 * UploadPartCopy, and `If-Match` on CompleteMultipartUpload. Pure functions over the headers and the
 * object facts the proxy read from moto under the key lock.
 */

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** What a HEAD at moto told about an object; `undefined` when it does not exist. */
export interface ObjectFacts {
  readonly etag: string;
  readonly lastModified?: Date;
}

export interface SourceConditions {
  readonly ifMatch?: string;
  readonly ifNoneMatch?: string;
  readonly ifModifiedSince?: Date;
  readonly ifUnmodifiedSince?: Date;
}

export interface DestinationConditions {
  readonly ifMatch?: string;
  readonly ifNoneMatch?: string;
}

const one = (headers: Headers, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

// An unparsable date makes HTTP ignore the condition (RFC 9110 §13.1.3); S3 does not document otherwise.
const date = (value: string | undefined): Date | undefined => {
  if (value === undefined) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
};

const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function readSourceConditions(headers: Headers): SourceConditions {
  return defined({
    ifMatch: one(headers, 'x-amz-copy-source-if-match'),
    ifNoneMatch: one(headers, 'x-amz-copy-source-if-none-match'),
    ifModifiedSince: date(one(headers, 'x-amz-copy-source-if-modified-since')),
    ifUnmodifiedSince: date(one(headers, 'x-amz-copy-source-if-unmodified-since')),
  });
}

export function readDestinationConditions(headers: Headers): DestinationConditions {
  return defined({ ifMatch: one(headers, 'if-match'), ifNoneMatch: one(headers, 'if-none-match') });
}

export const hasConditions = (c: SourceConditions | DestinationConditions): boolean =>
  Object.keys(c).length > 0;

const bare = (etag: string): string => etag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');

/** True when an `If-Match`-style header value names the ETag (quotes optional, `*`, comma lists). */
export function etagMatches(headerValue: string, etag: string): boolean {
  const wanted = bare(etag);
  return headerValue.split(',').some((v) => v.trim() === '*' || bare(v) === wanted);
}

// Last-Modified has one-second resolution on the wire; compare whole seconds like S3's HTTP dates.
const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

/**
 * Returns the name S3 puts in `<Condition>` for the first failed copy-source condition, or `undefined` when
 * the copy may proceed. Precedence as documented for CopyObject/UploadPartCopy (aws-facts §5.4): a true
 * `if-match` overrides a false `if-unmodified-since`; a false `if-none-match` fails even when
 * `if-modified-since` is true.
 */
export function failedSourceCondition(c: SourceConditions, source: ObjectFacts): string | undefined {
  if (c.ifMatch !== undefined) {
    if (!etagMatches(c.ifMatch, source.etag)) return 'x-amz-copy-source-If-Match';
  } else if (c.ifUnmodifiedSince && source.lastModified) {
    if (seconds(source.lastModified) > seconds(c.ifUnmodifiedSince))
      return 'x-amz-copy-source-If-Unmodified-Since';
  }
  if (c.ifNoneMatch !== undefined) {
    if (etagMatches(c.ifNoneMatch, source.etag)) return 'x-amz-copy-source-If-None-Match';
  } else if (c.ifModifiedSince && source.lastModified) {
    if (seconds(source.lastModified) <= seconds(c.ifModifiedSince))
      return 'x-amz-copy-source-If-Modified-Since';
  }
  return undefined;
}

export type DestinationVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly failed: 'If-Match' | 'If-None-Match'; readonly missing: boolean };

/**
 * Destination conditions of a write. `If-Match` on a key that does not exist fails as missing (S3 answers
 * `404 NoSuchKey`, as moto does for PutObject); `If-None-Match: *` fails when the key exists.
 */
export function destinationVerdict(
  c: DestinationConditions,
  current: ObjectFacts | undefined,
): DestinationVerdict {
  if (c.ifMatch !== undefined) {
    if (!current) return { ok: false, failed: 'If-Match', missing: true };
    if (!etagMatches(c.ifMatch, current.etag)) return { ok: false, failed: 'If-Match', missing: false };
  }
  if (c.ifNoneMatch !== undefined && current && etagMatches(c.ifNoneMatch, current.etag)) {
    return { ok: false, failed: 'If-None-Match', missing: false };
  }
  return { ok: true };
}

/** Bucket, key and version named by an `x-amz-copy-source` header (URL-encoded, optional leading slash). */
export interface CopySource {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  /** The encoded `bucket/key` path, to address the same object at moto. */
  readonly rawPath: string;
}

export function parseCopySource(value: string): CopySource | undefined {
  const trimmed = value.startsWith('/') ? value.slice(1) : value;
  const q = trimmed.indexOf('?');
  const encodedPath = q === -1 ? trimmed : trimmed.slice(0, q);
  const versionId =
    q === -1 ? undefined : (new URLSearchParams(trimmed.slice(q + 1)).get('versionId') ?? undefined);
  const slash = encodedPath.indexOf('/');
  if (slash <= 0 || slash === encodedPath.length - 1) return undefined;
  let bucket: string;
  let key: string;
  try {
    bucket = decodeURIComponent(encodedPath.slice(0, slash));
    key = decodeURIComponent(encodedPath.slice(slash + 1));
  } catch {
    return undefined;
  }
  return { bucket, key, rawPath: `/${encodedPath}`, ...(versionId !== undefined ? { versionId } : {}) };
}
