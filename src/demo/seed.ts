import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Route } from '../batch/result-string.js';

/** One object the demo seeds, with the route the pipeline is expected to take for it. */
export interface SeededObject {
  readonly key: string;
  readonly expectedRoute: Route;
  readonly bytes: number;
  readonly note: string;
}

export interface SeedOptions {
  readonly bucket: string;
  readonly targetKeyArn: string;
  readonly otherKeyArn: string;
  /** Size of the one object that goes the multipart route (above the demo's lowered threshold). */
  readonly largeObjectBytes: number;
  /** Extra small SSE-S3 objects, for a demo that shows throughput. */
  readonly bulkObjects?: number;
}

const body = (text: string, repeat = 1) => Buffer.from(text.repeat(repeat));

/**
 * Seeds a versioned bucket with the mix a real bucket holds: SSE-S3, unencrypted, SSE-KMS under
 * another key, already compliant, tags, metadata, several storage classes, a key with several
 * versions, awkward keys, an archived object and one object large enough for multipart copy.
 */
export async function seedDemoBucket(s3: S3Client, o: SeedOptions): Promise<SeededObject[]> {
  await s3.send(new CreateBucketCommand({ Bucket: o.bucket }));
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: o.bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  const sseS3 = { ServerSideEncryption: 'AES256' } as const;
  const otherKms = { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: o.otherKeyArn } as const;
  const objects: (Omit<PutObjectCommandInput, 'Bucket'> & { Key: string; route: Route; note: string })[] = [
    {
      Key: 'docs/handbook.txt',
      Body: body('Company handbook\n', 200),
      ContentType: 'text/plain; charset=utf-8',
      CacheControl: 'max-age=3600',
      Metadata: { owner: 'people-team', reviewed: '2026-10-01' },
      Tagging: 'classification=internal&team=people',
      ...sseS3,
      route: 'copy',
      note: 'SSE-S3 with metadata and tags',
    },
    {
      Key: 'logs/app-2026-11-01.log',
      Body: body('GET /health 200\n', 500),
      ContentType: 'text/plain',
      route: 'copy',
      note: 'unencrypted',
    },
    {
      Key: 'finance/q3 report (final).pdf',
      Body: body('%PDF-1.7 demo\n', 300),
      ContentType: 'application/pdf',
      ContentDisposition: 'attachment; filename="q3.pdf"',
      StorageClass: 'STANDARD_IA',
      Tagging: 'classification=confidential',
      ...otherKms,
      route: 'copy',
      note: 'SSE-KMS under another key, Standard-IA',
    },
    {
      Key: 'already/compliant.bin',
      Body: body('compliant\n', 10),
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: o.targetKeyArn,
      BucketKeyEnabled: true,
      route: 'skip',
      note: 'already under the target key with Bucket Key',
    },
    {
      Key: 'archive/2019-backup.tar',
      Body: body('old backup\n', 100),
      StorageClass: 'GLACIER',
      route: 'blocked',
      note: 'unencrypted in Glacier: restore first',
    },
    {
      Key: 'media/one-zone.jpg',
      Body: body('\xff\xd8 jpeg demo', 400),
      ContentType: 'image/jpeg',
      StorageClass: 'ONEZONE_IA',
      ...sseS3,
      route: 'copy',
      note: 'SSE-S3, One Zone-IA',
    },
    {
      Key: 'media/tiered.png',
      Body: body('\x89PNG demo', 400),
      ContentType: 'image/png',
      StorageClass: 'INTELLIGENT_TIERING',
      ...sseS3,
      route: 'copy',
      note: 'SSE-S3, Intelligent-Tiering',
    },
    {
      Key: 'site/old-page.html',
      Body: body('<html>moved</html>'),
      ContentType: 'text/html',
      WebsiteRedirectLocation: '/new-page.html',
      ...sseS3,
      route: 'copy',
      note: 'website redirect',
    },
    { Key: 'empty/marker', Body: Buffer.alloc(0), ...sseS3, route: 'copy', note: 'empty object' },
    {
      Key: 'odd/with space & plus+sign.txt',
      Body: body('awkward'),
      ...sseS3,
      route: 'copy',
      note: 'awkward key',
    },
    { Key: 'odd/日本語/ファイル.txt', Body: body('unicode'), ...sseS3, route: 'copy', note: 'unicode key' },
    { Key: 'odd/🚀 launch?#1%.md', Body: body('emoji'), route: 'copy', note: 'emoji, ?, #, % in the key' },
    {
      Key: 'large/video.mp4',
      Body: Buffer.alloc(o.largeObjectBytes, 7),
      ContentType: 'video/mp4',
      ...sseS3,
      route: 'multipart',
      note: 'above the lowered multipart threshold',
    },
  ];
  for (let i = 0; i < (o.bulkObjects ?? 0); i++) {
    objects.push({
      Key: `bulk/part-${String(i).padStart(5, '0')}.json`,
      Body: body(`{"n":${i}}`),
      ...sseS3,
      route: 'copy',
      note: 'bulk',
    });
  }
  // Several versions of one key: only the current one is re-encrypted by a latest-only inventory.
  for (const v of [1, 2, 3]) {
    await s3.send(
      new PutObjectCommand({
        Bucket: o.bucket,
        Key: 'history/config.json',
        Body: body(`{"v":${v}}`),
        ...sseS3,
      }),
    );
  }
  const seeded: SeededObject[] = [
    {
      key: 'history/config.json',
      expectedRoute: 'copy',
      bytes: 7,
      note: 'three versions, current one re-encrypted',
    },
  ];
  for (const { route, note, ...input } of objects) {
    await s3.send(new PutObjectCommand({ Bucket: o.bucket, ...input }));
    const size = Buffer.isBuffer(input.Body) ? input.Body.length : 0;
    seeded.push({ key: input.Key, expectedRoute: route, bytes: size, note });
  }
  return seeded;
}
