/**
 * Typed fixture builders for S3 objects of every shape: put them (single or multipart, with every
 * attribute S3 keeps), fingerprint them (every attribute + SHA-256 of the bytes), and compare two
 * fingerprints field by field. Reused by the re-encrypt tests, the demo and the benchmarks.
 */
import { createHash } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  type Grant,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  PutObjectAclCommand,
  type PutObjectAclCommandInput,
  PutObjectCommand,
  type PutObjectCommandInput,
  RestoreObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { ObjectSnapshot } from '../../src/reencrypt/types.js';

/** Attributes a PutObject (or CreateMultipartUpload) can set; everything except where and what. */
export type PutAttributes = Omit<PutObjectCommandInput, 'Bucket' | 'Key' | 'Body'>;

/** Which kind of bucket a shape needs (the test creates one bucket per kind). */
export type BucketKind = 'plain' | 'versioned' | 'objectLock' | 'aclObjectWriter' | 'aclOwnerPreferred';

export interface ObjectShape {
  /** Corpus label, used as the test name. */
  readonly name: string;
  readonly bucket: BucketKind;
  readonly key: string;
  readonly body: Uint8Array;
  readonly attributes?: PutAttributes;
  /** Upload with CreateMultipartUpload + UploadPart in parts of this size (the last may be shorter). */
  readonly multipartPartBytes?: number;
  /** Object ACL applied after the upload (ACL-enabled buckets only). */
  readonly acl?: Omit<PutObjectAclCommandInput, 'Bucket' | 'Key'>;
  /** Older versions written first (versioned buckets): their bodies, oldest first. */
  readonly olderVersions?: readonly Uint8Array[];
  /** Ask for a restore after the upload (archive storage classes). */
  readonly restore?: boolean;
}

export interface PutResult {
  readonly versionId?: string;
  /** Version ids of the older versions, oldest first. */
  readonly olderVersionIds: readonly string[];
}

/** Deterministic bytes of any size (a cheap PRNG; the same seed gives the same body). */
export function bodyOf(size: number, seed = 1): Buffer {
  const b = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

async function putMultipart(s3: S3Client, bucket: string, shape: ObjectShape, partBytes: number) {
  const a = shape.attributes ?? {};
  const { ContentMD5: _md5, ...createAttributes } = a as PutAttributes & { ContentMD5?: string };
  const up = await s3.send(
    new CreateMultipartUploadCommand({ Bucket: bucket, Key: shape.key, ...createAttributes }),
  );
  const parts: { PartNumber: number; ETag?: string; [k: string]: unknown }[] = [];
  const body = Buffer.from(shape.body);
  for (let off = 0, n = 1; off < body.length || n === 1; off += partBytes, n++) {
    const out = await s3.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: shape.key,
        UploadId: up.UploadId,
        PartNumber: n,
        Body: body.subarray(off, off + partBytes),
        ...(a.ChecksumAlgorithm ? { ChecksumAlgorithm: a.ChecksumAlgorithm } : {}),
      }),
    );
    const { $metadata: _m, ServerSideEncryption: _s, SSEKMSKeyId: _k, BucketKeyEnabled: _b, ...rest } = out;
    parts.push({ PartNumber: n, ...rest });
    if (off + partBytes >= body.length) break;
  }
  const done = await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket,
      Key: shape.key,
      UploadId: up.UploadId,
      MultipartUpload: {
        Parts: parts.map((p) => ({
          PartNumber: p.PartNumber,
          ETag: p.ETag,
          ...Object.fromEntries(
            Object.entries(p).filter(([k]) => k.startsWith('Checksum') && k !== 'ChecksumType'),
          ),
        })),
      },
    }),
  );
  return done.VersionId;
}

/** Writes a shape (older versions first, then the object, then its ACL and restore request). */
export async function putShape(s3: S3Client, bucket: string, shape: ObjectShape): Promise<PutResult> {
  const olderVersionIds: string[] = [];
  for (const older of shape.olderVersions ?? []) {
    const out = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: shape.key, Body: older }));
    if (out.VersionId) olderVersionIds.push(out.VersionId);
  }
  const versionId = shape.multipartPartBytes
    ? await putMultipart(s3, bucket, shape, shape.multipartPartBytes)
    : (
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: shape.key,
            Body: shape.body,
            ...(shape.attributes ?? {}),
          }),
        )
      ).VersionId;
  if (shape.acl) await s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: shape.key, ...shape.acl }));
  if (shape.restore)
    await s3.send(new RestoreObjectCommand({ Bucket: bucket, Key: shape.key, RestoreRequest: { Days: 1 } }));
  // moto answers CompleteMultipartUpload with version id "null" in unversioned buckets; S3 sends none.
  return { ...(versionId && versionId !== 'null' ? { versionId } : {}), olderVersionIds };
}

/** Everything S3 keeps about one object version, plus the SHA-256 of its bytes. */
export interface ObjectFingerprint {
  readonly sha256: string;
  readonly size: number;
  readonly etag: string;
  readonly lastModified: string;
  readonly versionId?: string;
  readonly encryption: {
    readonly algorithm: string;
    readonly kmsKeyId?: string;
    readonly bucketKey: boolean;
  };
  readonly storageClass: string;
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly contentDisposition?: string;
  readonly contentLanguage?: string;
  readonly cacheControl?: string;
  readonly expires?: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly websiteRedirectLocation?: string;
  readonly checksum?: { readonly algorithm: string; readonly value: string };
  readonly objectLock?: {
    readonly mode?: string;
    readonly retainUntil?: string;
    readonly legalHold?: string;
  };
  readonly restore?: string;
  readonly tags: readonly { readonly Key: string; readonly Value: string }[];
  /** Sorted `permission grantee` strings; undefined when not asked for. */
  readonly grants?: readonly string[];
}

/** Fingerprint fields a re-encryption may change (S3 itself changes them on a copy). */
export const CHANGED_BY_COPY = ['encryption', 'etag', 'lastModified', 'versionId', 'restore'] as const;

const CHECKSUMS = [
  'ChecksumCRC32',
  'ChecksumCRC32C',
  'ChecksumCRC64NVME',
  'ChecksumSHA1',
  'ChecksumSHA256',
] as const;

function checksumOf(h: HeadObjectCommandOutput): ObjectFingerprint['checksum'] {
  const f = CHECKSUMS.find((c) => h[c] !== undefined);
  return f ? { algorithm: f.slice('Checksum'.length), value: h[f] as string } : undefined;
}

const grantText = (g: Grant): string => {
  const who = g.Grantee;
  const id = who?.ID ?? who?.URI ?? who?.EmailAddress ?? '?';
  return `${g.Permission} ${who?.Type}:${id}`;
};

/** Reads one object version completely: HEAD (with checksums), GET (hashed), tags and optionally ACL. */
export async function fingerprint(
  s3: S3Client,
  bucket: string,
  key: string,
  options: { versionId?: string; grants?: boolean; body?: boolean } = {},
): Promise<ObjectFingerprint> {
  const v = options.versionId ? { VersionId: options.versionId } : {};
  const [h, tags, acl, sha256] = await Promise.all([
    s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED', ...v })),
    s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key, ...v })),
    options.grants ? s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: key, ...v })) : undefined,
    options.body === false
      ? Promise.resolve('')
      : s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...v })).then(async (g) =>
          createHash('sha256')
            .update((await g.Body?.transformToByteArray()) ?? new Uint8Array())
            .digest('hex'),
        ),
  ]);
  const lock =
    h.ObjectLockMode || h.ObjectLockRetainUntilDate || h.ObjectLockLegalHoldStatus
      ? {
          ...(h.ObjectLockMode ? { mode: h.ObjectLockMode } : {}),
          ...(h.ObjectLockRetainUntilDate ? { retainUntil: h.ObjectLockRetainUntilDate.toISOString() } : {}),
          ...(h.ObjectLockLegalHoldStatus ? { legalHold: h.ObjectLockLegalHoldStatus } : {}),
        }
      : undefined;
  const checksum = checksumOf(h);
  return {
    sha256,
    size: h.ContentLength ?? 0,
    etag: h.ETag ?? '',
    lastModified: h.LastModified?.toISOString() ?? '',
    ...(h.VersionId ? { versionId: h.VersionId } : {}),
    encryption: {
      algorithm: h.ServerSideEncryption ?? 'NONE',
      ...(h.SSEKMSKeyId ? { kmsKeyId: h.SSEKMSKeyId } : {}),
      bucketKey: h.BucketKeyEnabled === true,
    },
    storageClass: h.StorageClass ?? 'STANDARD',
    ...(h.ContentType ? { contentType: h.ContentType } : {}),
    ...(h.ContentEncoding ? { contentEncoding: h.ContentEncoding } : {}),
    ...(h.ContentDisposition ? { contentDisposition: h.ContentDisposition } : {}),
    ...(h.ContentLanguage ? { contentLanguage: h.ContentLanguage } : {}),
    ...(h.CacheControl ? { cacheControl: h.CacheControl } : {}),
    ...(h.ExpiresString ? { expires: h.ExpiresString } : {}),
    metadata: h.Metadata ?? {},
    ...(h.WebsiteRedirectLocation ? { websiteRedirectLocation: h.WebsiteRedirectLocation } : {}),
    ...(checksum ? { checksum } : {}),
    ...(lock ? { objectLock: lock } : {}),
    ...(h.Restore ? { restore: h.Restore } : {}),
    tags: [...(tags.TagSet ?? [])]
      .map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }))
      .sort((x, y) => x.Key.localeCompare(y.Key)),
    ...(acl ? { grants: (acl.Grants ?? []).map(grantText).sort() } : {}),
  };
}

/** Field-by-field differences, ignoring the fields listed; empty when the two agree. */
export function diffFingerprints(
  before: ObjectFingerprint,
  after: ObjectFingerprint,
  ignore: readonly (keyof ObjectFingerprint)[] = CHANGED_BY_COPY,
): string[] {
  const fields = new Set([...Object.keys(before), ...Object.keys(after)] as (keyof ObjectFingerprint)[]);
  const diffs: string[] = [];
  for (const f of fields) {
    if (ignore.includes(f)) continue;
    const a = JSON.stringify(before[f]);
    const b = JSON.stringify(after[f]);
    if (a !== b) diffs.push(`${f}: ${a} -> ${b}`);
  }
  return diffs;
}

/** A snapshot as the re-encrypt routes see it, for unit tests (defaults: SSE-S3, STANDARD, current). */
export function objectSnapshot(overrides: Partial<ObjectSnapshot> = {}): ObjectSnapshot {
  return {
    bucket: 'bucket-a',
    key: 'some/key.txt',
    isLatest: true,
    etag: '"5d41402abc4b2a76b9719d911017c592"',
    size: 5,
    encryption: { algorithm: 'AES256', bucketKeyEnabled: false },
    storageClass: 'STANDARD',
    metadata: {},
    tags: [],
    ...overrides,
  };
}

/** Keys that break naive encoders, normalisers and path handling (S3 treats every one as distinct). */
export const AWKWARD_KEYS: readonly { readonly label: string; readonly key: string }[] = [
  { label: 'space', key: 'with space.txt' },
  { label: 'several spaces', key: 'a  b   c.txt' },
  { label: 'trailing space', key: 'trailing space ' },
  { label: 'leading space', key: ' leading.txt' },
  { label: 'plus', key: 'a+b.txt' },
  { label: 'plus and space', key: 'a+ b +c' },
  { label: 'percent', key: '100%.txt' },
  { label: 'percent-encoded lookalike', key: 'x%20y%2Bz' },
  { label: 'hash', key: 'issue#42' },
  { label: 'question mark', key: 'what?.txt' },
  { label: 'query lookalike', key: 'p?versionId=abc&x=1' },
  { label: 'ampersand equals semicolon', key: 'a&b=c;d' },
  { label: 'quotes and brackets', key: `q"uo'te[s]{b}(p)` },
  { label: 'reserved punctuation', key: "!$'()*,:@" },
  { label: 'backslash and pipe', key: 'back\\slash|pipe' },
  { label: 'caret backtick tilde', key: '^`~<>' },
  { label: 'leading slash', key: '/leading/slash' },
  { label: 'double slash', key: 'double//slash' },
  { label: 'trailing slash object', key: 'folder-like/' },
  { label: 'dot segment', key: './dot/segment' },
  { label: 'dot-dot segment', key: '../up/one' },
  { label: 'inner dot-dot', key: 'a/b/../c' },
  { label: 'only dots', key: '..' },
  { label: 'latin accents NFC', key: 'caf\u00e9/r\u00e9sum\u00e9.txt' },
  { label: 'latin accents NFD', key: 'cafe\u0301/re\u0301sume\u0301.txt' },
  { label: 'hangul NFC', key: '\ud55c\uad6d\uc5b4' },
  { label: 'hangul NFD', key: '\u1112\u1161\u11ab\u1100\u116e\u11a8\u110b\u1165' },
  { label: 'japanese', key: '日本語/ファイル名.txt' },
  { label: 'chinese', key: '中文 文件.txt' },
  { label: 'arabic (RTL)', key: 'ملف عربي.txt' },
  { label: 'hebrew with digits', key: 'קובץ 2024.txt' },
  { label: 'cyrillic', key: 'Привет мир' },
  { label: 'greek', key: 'Ελληνικά' },
  { label: 'devanagari', key: 'हिन्दी फ़ाइल' },
  { label: 'emoji', key: 'emoji 😀🎉' },
  { label: 'emoji ZWJ sequence', key: 'family 👨‍👩‍👧‍👦' },
  { label: 'flag emoji', key: 'flag 🇫🇷' },
  { label: 'zero-width and NBSP', key: 'zero\u200bwidth\u00a0nbsp' },
  { label: 'tab', key: 'tab\there' },
  { label: 'unicode plus lookalike', key: 'full\uff0bwidth' },
  { label: '1,024 bytes ASCII', key: `long/${'k'.repeat(1024 - 5)}` },
  { label: '1,024 bytes multibyte', key: `${'é'.repeat(511)}xx` },
];

/** What the fidelity corpus needs to know about keys; `target` makes the already-compliant shapes. */
export interface CorpusKeys {
  readonly target: string;
  readonly other: string;
  /** Canonical id of the bucket owner, for explicit grants; canned ACLs are used without it. */
  readonly ownerId?: string;
}

const tags10 = Array.from({ length: 10 }, (_, i) => `tag${i}=${encodeURIComponent(`value ${i}/ä+`)}`).join(
  '&',
);
// User metadata is limited to 2 KB (keys + values, UTF-8); this stays just under it.
const bigMetadata = Object.fromEntries(
  Array.from({ length: 10 }, (_, i) => [`meta-${i}`, `${i}`.repeat(192)]),
);

/**
 * At least one object of every shape a real bucket holds, for fidelity tests (every attribute must
 * survive a re-encryption). Archived unrestored objects are left out: they cannot be copied.
 */
export function fidelityCorpus(keys: CorpusKeys, retainUntil: Date): ObjectShape[] {
  const small = (seed: number) => bodyOf(1024 + seed, seed);
  const shapes: ObjectShape[] = [
    {
      name: 'user metadata near the 2 KB limit',
      bucket: 'plain',
      key: 'meta/near-limit',
      body: small(1),
      attributes: { Metadata: bigMetadata },
    },
    {
      name: 'every content header',
      bucket: 'plain',
      key: 'headers/all.json.gz',
      body: small(2),
      attributes: {
        ContentType: 'application/json; charset=utf-8',
        ContentEncoding: 'gzip',
        ContentDisposition: 'attachment; filename="all.json.gz"',
        ContentLanguage: 'en-GB, fr',
        CacheControl: 'public, max-age=86400, immutable',
        Expires: new Date('2031-02-03T04:05:06Z'),
      },
    },
    { name: '10 tags', bucket: 'plain', key: 'tags/ten', body: small(3), attributes: { Tagging: tags10 } },
    ...(
      [
        'STANDARD',
        'REDUCED_REDUNDANCY',
        'STANDARD_IA',
        'ONEZONE_IA',
        'INTELLIGENT_TIERING',
        'GLACIER_IR',
      ] as const
    ).map(
      (c, i): ObjectShape => ({
        name: `storage class ${c}`,
        bucket: 'plain',
        key: `class/${c}`,
        body: small(10 + i),
        attributes: { StorageClass: c },
      }),
    ),
    {
      name: 'storage class GLACIER, restored',
      bucket: 'plain',
      key: 'class/GLACIER-restored',
      body: small(20),
      attributes: { StorageClass: 'GLACIER' },
      restore: true,
    },
    ...(['CRC32', 'CRC32C', 'SHA1', 'SHA256', 'CRC64NVME'] as const).map(
      (a, i): ObjectShape => ({
        name: `checksum ${a}`,
        bucket: 'plain',
        key: `checksum/${a}`,
        body: small(30 + i),
        attributes: { ChecksumAlgorithm: a },
      }),
    ),
    {
      name: 'website redirect',
      bucket: 'plain',
      key: 'site/old.html',
      body: small(40),
      attributes: { WebsiteRedirectLocation: '/new.html', ContentType: 'text/html' },
    },
    { name: 'empty object', bucket: 'plain', key: 'empty', body: new Uint8Array() },
    {
      name: 'multipart-uploaded object',
      bucket: 'plain',
      key: 'multipart/two-parts.bin',
      body: bodyOf(5 * 1024 * 1024 + 4321, 41),
      multipartPartBytes: 5 * 1024 * 1024,
      // An explicit ACL: moto 5.2.5 answers GetObjectAcl with a 500 for a multipart object created without one.
      attributes: {
        ContentType: 'application/octet-stream',
        Metadata: { origin: 'mpu' },
        ChecksumAlgorithm: 'SHA256',
        ACL: 'private',
      },
    },
    { name: 'unencrypted', bucket: 'plain', key: 'enc/none', body: small(50) },
    {
      name: 'SSE-S3',
      bucket: 'plain',
      key: 'enc/sse-s3',
      body: small(51),
      attributes: { ServerSideEncryption: 'AES256' },
    },
    {
      name: 'SSE-KMS under another key',
      bucket: 'plain',
      key: 'enc/kms-other',
      body: small(52),
      attributes: { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keys.other, BucketKeyEnabled: true },
    },
    {
      name: 'SSE-KMS under the target key without Bucket Key',
      bucket: 'plain',
      key: 'enc/kms-target-no-bucket-key',
      body: small(53),
      attributes: { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keys.target, BucketKeyEnabled: false },
    },
    {
      name: 'already compliant',
      bucket: 'versioned',
      key: 'enc/compliant',
      body: small(54),
      attributes: {
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: keys.target,
        BucketKeyEnabled: true,
        Metadata: { k: 'v' },
      },
    },
    {
      name: 'versioned object with several versions',
      bucket: 'versioned',
      key: 'versions/doc.txt',
      body: small(60),
      olderVersions: [small(61), small(62)],
      attributes: { ContentType: 'text/plain', Tagging: 'v=3', ServerSideEncryption: 'AES256' },
    },
    {
      name: 'object lock governance retention and legal hold',
      bucket: 'objectLock',
      key: 'locked/governance',
      body: small(70),
      attributes: {
        ObjectLockMode: 'GOVERNANCE',
        ObjectLockRetainUntilDate: retainUntil,
        ObjectLockLegalHoldStatus: 'ON',
        ChecksumAlgorithm: 'SHA256',
      },
    },
    {
      name: 'object lock legal hold only',
      bucket: 'objectLock',
      key: 'locked/hold-only',
      body: small(71),
      attributes: { ObjectLockLegalHoldStatus: 'ON', ChecksumAlgorithm: 'CRC32' },
    },
    {
      name: 'ACL grants (ObjectWriter bucket)',
      bucket: 'aclObjectWriter',
      key: 'acl/public-read',
      body: small(80),
      acl: { ACL: 'public-read' },
    },
    {
      name: 'ACL grants to groups (BucketOwnerPreferred bucket)',
      bucket: 'aclOwnerPreferred',
      key: 'acl/grants',
      body: small(81),
      acl: keys.ownerId
        ? {
            GrantFullControl: `id="${keys.ownerId}"`,
            GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AuthenticatedUsers"',
            GrantReadACP: 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"',
          }
        : { ACL: 'authenticated-read' },
    },
  ];
  return shapes;
}
