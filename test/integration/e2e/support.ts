import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import type { GeneratedInventory } from '../../../src/inventory/generate.js';
import { loadEvent } from '../../helpers/inventory.js';
import { AWKWARD_KEYS, bodyOf } from '../../helpers/objects.js';

export const MiB = 1024 ** 2;

/** What the pipeline must do to an object: make it compliant, leave it exactly as it is, or refuse it. */
export const Expectations = { reencrypt: 'reencrypt', untouched: 'untouched', blocked: 'blocked' } as const;
export type Expectation = (typeof Expectations)[keyof typeof Expectations];

export interface SeededCase {
  readonly key: string;
  readonly expect: Expectation;
  /** Above the lowered multipart threshold. */
  readonly large?: boolean;
  readonly put: Omit<PutObjectCommandInput, 'Bucket' | 'Key'>;
  /** Versions written before the current one (the inventory's noncurrent rows). */
  readonly olderVersions?: number;
}

export interface MixOptions {
  readonly target: string;
  readonly other: string;
  /** Size of the one object above the lowered threshold (0: none). */
  readonly largeBytes: number;
  /** Awkward keys to add (SSE-S3, so each needs work); default all of AWKWARD_KEYS. */
  readonly awkward?: number;
}

const kms = (keyId: string, bucketKey: boolean) =>
  ({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyId, BucketKeyEnabled: bucketKey }) as const;

/** The mix a real bucket holds: every encryption state, several storage classes, versions and awkward keys. */
export function mixedCases(o: MixOptions): SeededCase[] {
  const cases: SeededCase[] = [
    { key: 'plain/none.txt', expect: 'reencrypt', put: {} },
    { key: 'plain/sse-s3.txt', expect: 'reencrypt', put: { ServerSideEncryption: 'AES256' } },
    {
      key: 'meta/tagged.json',
      expect: 'reencrypt',
      put: {
        ServerSideEncryption: 'AES256',
        ContentType: 'application/json',
        CacheControl: 'no-cache',
        Metadata: { owner: 'team-a' },
        Tagging: 'a=1&b=two',
      },
    },
    { key: 'kms/other-key.bin', expect: 'reencrypt', put: kms(o.other, false) },
    { key: 'kms/target-no-bucket-key.bin', expect: 'reencrypt', put: kms(o.target, false) },
    { key: 'kms/target.bin', expect: 'untouched', put: kms(o.target, true) },
    { key: 'kms/target-too.bin', expect: 'untouched', put: kms(o.target, true) },
    {
      key: 'classes/ia.bin',
      expect: 'reencrypt',
      put: { StorageClass: 'STANDARD_IA', ServerSideEncryption: 'AES256' },
    },
    { key: 'classes/one-zone.bin', expect: 'reencrypt', put: { StorageClass: 'ONEZONE_IA' } },
    {
      key: 'classes/tiering.bin',
      expect: 'reencrypt',
      put: { StorageClass: 'INTELLIGENT_TIERING', ServerSideEncryption: 'AES256' },
    },
    { key: 'archive/glacier-none.bin', expect: 'blocked', put: { StorageClass: 'GLACIER' } },
    {
      key: 'archive/deep-sse-s3.bin',
      expect: 'blocked',
      put: { StorageClass: 'DEEP_ARCHIVE', ServerSideEncryption: 'AES256' },
    },
    {
      key: 'empty/zero-bytes',
      expect: 'reencrypt',
      put: { Body: Buffer.alloc(0), ServerSideEncryption: 'AES256' },
    },
    {
      key: 'versions/config.json',
      expect: 'reencrypt',
      put: { ServerSideEncryption: 'AES256' },
      olderVersions: 2,
    },
  ];
  if (o.largeBytes > 0)
    cases.push({
      key: 'large/video 01.mp4',
      expect: 'reencrypt',
      large: true,
      put: { Body: bodyOf(o.largeBytes, 99), ServerSideEncryption: 'AES256', ContentType: 'video/mp4' },
    });
  // As they are, unprefixed: the longest ones are already at S3's 1,024-byte limit.
  for (const { key } of AWKWARD_KEYS.slice(0, o.awkward ?? AWKWARD_KEYS.length))
    cases.push({ key, expect: 'reencrypt', put: { ServerSideEncryption: 'AES256' } });
  return cases;
}

/** Writes the cases (older versions first) with distinct bodies. */
export async function seed(s3: S3Client, bucket: string, cases: readonly SeededCase[]): Promise<void> {
  const limit = pLimit(8);
  await Promise.all(
    cases.map((c, i) =>
      limit(async () => {
        for (let v = 0; v < (c.olderVersions ?? 0); v++)
          await s3.send(new PutObjectCommand({ Bucket: bucket, Key: c.key, Body: `older ${v} of ${c.key}` }));
        await s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: c.key, Body: bodyOf(64 + i, i + 1), ...c.put }),
        );
      }),
    ),
  );
}

/** The facts about the current version the tests compare before and after a run. */
export interface ObjectState {
  readonly versionId?: string;
  readonly etag: string;
  readonly lastModified: string;
  readonly sha256: string;
  readonly algorithm: string;
  readonly kmsKeyId?: string;
  readonly bucketKey: boolean;
  readonly storageClass: string;
}

export async function stateOf(s3: S3Client, bucket: string, key: string): Promise<ObjectState> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  // Archived objects cannot be read before a restore; their ETag stands for the bytes.
  const archived = head.StorageClass === 'GLACIER' || head.StorageClass === 'DEEP_ARCHIVE';
  const body = archived
    ? Buffer.from(head.ETag ?? '')
    : await s3
        .send(new GetObjectCommand({ Bucket: bucket, Key: key }))
        .then((g) => g.Body!.transformToByteArray());
  return {
    ...(head.VersionId && head.VersionId !== 'null' ? { versionId: head.VersionId } : {}),
    etag: head.ETag ?? '',
    lastModified: head.LastModified?.toISOString() ?? '',
    sha256: createHash('sha256').update(body).digest('hex'),
    algorithm: head.ServerSideEncryption ?? 'NONE',
    ...(head.SSEKMSKeyId ? { kmsKeyId: head.SSEKMSKeyId } : {}),
    bucketKey: head.BucketKeyEnabled === true,
    storageClass: head.StorageClass ?? 'STANDARD',
  };
}

export async function statesOf(
  s3: S3Client,
  bucket: string,
  cases: readonly SeededCase[],
): Promise<Map<string, ObjectState>> {
  const limit = pLimit(8);
  const entries = await Promise.all(
    cases.map((c) => limit(async () => [c.key, await stateOf(s3, bucket, c.key)] as const)),
  );
  return new Map(entries);
}

/** Versions (not delete markers) per key, from one listing of the bucket. */
export async function versionCounts(s3: S3Client, bucket: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const out = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionMarker }),
    );
    for (const v of out.Versions ?? []) counts.set(v.Key!, (counts.get(v.Key!) ?? 0) + 1);
    keyMarker = out.IsTruncated ? out.NextKeyMarker : undefined;
    versionMarker = out.IsTruncated ? out.NextVersionIdMarker : undefined;
  } while (keyMarker);
  return counts;
}

export async function keysUnder(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const out = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    keys.push(...(out.Contents ?? []).map((c) => c.Key!));
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

export async function openUploads(s3: S3Client, bucket: string): Promise<number> {
  const out = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  return out.Uploads?.length ?? 0;
}

type S3Event = {
  Records: {
    awsRegion: string;
    s3: { bucket: { name: string }; object: { key: string; eTag: string; size: number; versionId?: string } };
  }[];
};

/** The notification S3 sends when the inventory's manifest.json lands (the sample in events/, retargeted). */
export const inventoryEvent = (inv: GeneratedInventory, size = 1024) =>
  loadEvent<S3Event>('s3/inventory-manifest-created.json', (e) => {
    const r = e.Records[0]!;
    r.s3.bucket.name = inv.ref.bucket;
    // Classic notifications URL-encode keys form-style; these generated keys need no escaping.
    r.s3.object.key = inv.ref.key;
    r.s3.object.eTag = inv.manifestEtag;
    r.s3.object.size = size;
    // The inventory bucket is not versioned; the sample's version id would name nothing.
    delete r.s3.object.versionId;
  });

type EventBridgeEvent = {
  region: string;
  detail: {
    bucket: { name: string };
    object: { key: string; size: number; etag: string; 'version-id'?: string };
  };
};

/** The EventBridge "Object Created" event for the inventory's manifest.json (the sample in events/, retargeted). */
export const inventoryEventBridgeEvent = (inv: GeneratedInventory, size = 1024) =>
  loadEvent<EventBridgeEvent>('eventbridge/inventory-manifest-created.json', (e) => {
    e.region = 'us-east-1';
    e.detail.bucket.name = inv.ref.bucket;
    e.detail.object.key = inv.ref.key;
    e.detail.object.etag = inv.manifestEtag;
    e.detail.object.size = size;
    delete e.detail.object['version-id'];
  });
