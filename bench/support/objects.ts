// Seeded objects with the attributes users care about, and a field-by-field check of what survived a
// re-encryption, so a benchmark can say "with full attribute fidelity" (or name what was lost).
import { createHash } from 'node:crypto';
import {
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { mapLimit } from './world.js';

/** How an object starts out; `kms-target` is already compliant (SSE-KMS under the target key, Bucket Key on). */
export const Starts = { sseS3: 'SSE-S3', none: 'NOT-SSE', kmsTarget: 'kms-target' } as const;
export type Start = (typeof Starts)[keyof typeof Starts];

export interface ObjectSpec {
  readonly key: string;
  readonly start: Start;
  readonly put: Omit<PutObjectCommandInput, 'Bucket' | 'Key'>;
}

const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';

/** Attribute shapes, cycled: plain, metadata and tags, Standard-IA, SHA-256 checksum, website redirect. */
const shapes: readonly Omit<PutObjectCommandInput, 'Bucket' | 'Key' | 'Body'>[] = [
  { ContentType: 'text/plain' },
  {
    ContentType: 'application/json',
    CacheControl: 'max-age=60',
    ContentDisposition: 'inline',
    Metadata: { owner: 'team-a', reviewed: '2026-10-01' },
    Tagging: 'classification=internal&team=a',
  },
  { StorageClass: 'STANDARD_IA', Tagging: 'tier=ia' },
  { ChecksumAlgorithm: 'SHA256', ContentLanguage: 'fr' },
  { WebsiteRedirectLocation: '/moved.html', ContentType: 'text/html' },
];

/** Per ten objects, a bucket part-way through a migration: five SSE-S3, two unencrypted, three compliant. */
export const MIGRATION_MIX: readonly Start[] = [
  'SSE-S3',
  'SSE-S3',
  'SSE-S3',
  'SSE-S3',
  'SSE-S3',
  'NOT-SSE',
  'NOT-SSE',
  'kms-target',
  'kms-target',
  'kms-target',
];

/**
 * `count` small objects whose starting encryption cycles through `mix` (default MIGRATION_MIX) and whose
 * attributes cycle through the shapes above in blocks of ten. `grants` adds a READ grant to every object
 * (for buckets that still use ACLs).
 */
export function mixedObjects(
  count: number,
  o: {
    readonly keyArn: string;
    readonly grants?: boolean;
    readonly bytes?: number;
    readonly mix?: readonly Start[];
  },
): ObjectSpec[] {
  const mix = o.mix ?? MIGRATION_MIX;
  return Array.from({ length: count }, (_, i) => {
    const start = mix[i % mix.length]!;
    const encryption =
      start === 'SSE-S3'
        ? { ServerSideEncryption: 'AES256' as const }
        : start === 'kms-target'
          ? { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: o.keyArn, BucketKeyEnabled: true }
          : {};
    return {
      key: `data/${i % 16}/object ${i}+é.txt`,
      start,
      put: {
        Body: `object ${i} `.repeat(Math.ceil((o.bytes ?? 1024) / 12)).slice(0, o.bytes ?? 1024),
        ...shapes[Math.floor(i / 10) % shapes.length],
        ...encryption,
        ...(o.grants ? { GrantRead: `uri="${AUTHENTICATED_USERS}"` } : {}),
      },
    };
  });
}

export async function putObjects(
  s3: S3Client,
  bucket: string,
  specs: readonly ObjectSpec[],
  concurrency = 16,
): Promise<void> {
  await mapLimit(specs, concurrency, (s) =>
    s3.send(new PutObjectCommand({ Bucket: bucket, Key: s.key, ...s.put })),
  );
}

/** What a re-encryption must keep, field by field, besides the encryption itself. */
export interface Kept {
  readonly bytesSha256: string;
  readonly storageClass: string;
  readonly contentType?: string;
  readonly cacheControl?: string;
  readonly contentDisposition?: string;
  readonly contentLanguage?: string;
  readonly metadata: string;
  readonly websiteRedirectLocation?: string;
  readonly checksumSha256?: string;
  readonly tags: string;
  readonly grants?: string;
}

export interface ObjectState {
  readonly encryption: string;
  readonly kmsKeyId?: string;
  readonly bucketKey: boolean;
  readonly kept: Kept;
}

const sortedJson = (o: Record<string, string> | undefined) =>
  JSON.stringify(Object.entries(o ?? {}).sort(([a], [b]) => a.localeCompare(b)));

/** Each object's state, read straight from moto (never through the counting proxy). */
export async function statesOf(
  s3: S3Client,
  bucket: string,
  keys: readonly string[],
  withGrants: boolean,
): Promise<Map<string, ObjectState>> {
  const states = await mapLimit(keys, 16, async (Key): Promise<ObjectState> => {
    const [h, body, tagging, acl] = await Promise.all([
      s3.send(new HeadObjectCommand({ Bucket: bucket, Key, ChecksumMode: 'ENABLED' })),
      s3.send(new GetObjectCommand({ Bucket: bucket, Key })).then((o) => o.Body?.transformToByteArray()),
      s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key })),
      withGrants ? s3.send(new GetObjectAclCommand({ Bucket: bucket, Key })) : Promise.resolve(undefined),
    ]);
    const tags = Object.fromEntries((tagging.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
    const grants = acl?.Grants?.map((g) => `${g.Grantee?.URI ?? g.Grantee?.ID}:${g.Permission}`).sort();
    return {
      encryption: h.ServerSideEncryption ?? 'NONE',
      ...(h.SSEKMSKeyId ? { kmsKeyId: h.SSEKMSKeyId } : {}),
      bucketKey: h.BucketKeyEnabled === true,
      kept: {
        bytesSha256: createHash('sha256')
          .update(body ?? new Uint8Array())
          .digest('hex'),
        storageClass: h.StorageClass ?? 'STANDARD',
        ...(h.ContentType ? { contentType: h.ContentType } : {}),
        ...(h.CacheControl ? { cacheControl: h.CacheControl } : {}),
        ...(h.ContentDisposition ? { contentDisposition: h.ContentDisposition } : {}),
        ...(h.ContentLanguage ? { contentLanguage: h.ContentLanguage } : {}),
        metadata: sortedJson(h.Metadata),
        ...(h.WebsiteRedirectLocation ? { websiteRedirectLocation: h.WebsiteRedirectLocation } : {}),
        ...(h.ChecksumSHA256 ? { checksumSha256: h.ChecksumSHA256 } : {}),
        tags: sortedJson(tags),
        ...(grants ? { grants: grants.join(' ') } : {}),
      },
    };
  });
  return new Map(keys.map((k, i) => [k, states[i]!]));
}

export interface Fidelity {
  readonly objects: number;
  /** SSE-KMS under the target key afterwards. */
  readonly underTargetKey: number;
  readonly bucketKeyOn: number;
  /** Objects with at least one attribute changed (bytes included). */
  readonly objectsWithLoss: number;
  /** Attribute name → objects that lost or changed it. */
  readonly lost: Readonly<Record<string, number>>;
}

/** Compares each object before and after; encryption must change, everything in `Kept` must not. */
export function fidelityOf(
  before: ReadonlyMap<string, ObjectState>,
  after: ReadonlyMap<string, ObjectState>,
  keyArn: string,
): Fidelity {
  const lost: Record<string, number> = {};
  let underTargetKey = 0;
  let bucketKeyOn = 0;
  let objectsWithLoss = 0;
  for (const [key, was] of before) {
    const now = after.get(key);
    if (!now) throw new Error(`object ${key} is missing after the run`);
    if (now.encryption === 'aws:kms' && now.kmsKeyId === keyArn) underTargetKey += 1;
    if (now.bucketKey) bucketKeyOn += 1;
    const fields = new Set([...Object.keys(was.kept), ...Object.keys(now.kept)]) as Set<keyof Kept>;
    let changed = false;
    for (const f of fields) {
      if (was.kept[f] === now.kept[f]) continue;
      lost[f] = (lost[f] ?? 0) + 1;
      changed = true;
    }
    if (changed) objectsWithLoss += 1;
  }
  return { objects: before.size, underTargetKey, bucketKeyOn, objectsWithLoss, lost };
}
