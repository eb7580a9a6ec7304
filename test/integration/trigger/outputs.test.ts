import { randomBytes } from 'node:crypto';
import {
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { joinObjects, MIN_PART_BYTES } from '../../../src/manifest/join.js';
import { S3StreamWriter } from '../../../src/manifest/s3-writer.js';
import { motoClients, newBucket } from '../../support/aws.js';

const MiB = 1024 * 1024;

describe('trigger outputs on moto', () => {
  const { s3 } = motoClients();
  let bucket: string;
  beforeAll(async () => {
    bucket = await newBucket(s3, { prefix: 'outputs' });
  });

  const read = async (key: string) =>
    Buffer.from(
      (await (
        await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      ).Body?.transformToByteArray()) ?? [],
    );

  it('streams a large output as a multipart upload and returns its ETag', async () => {
    // Prepare: ~12 MiB of rows, so lib-storage uses several parts
    const w = new S3StreamWriter(s3, bucket, 'big/tasks.csv');
    const line = `${bucket},${'k'.repeat(200)}\n`;
    const lines = Math.ceil((12 * MiB) / line.length);
    // Act
    for (let i = 0; i < lines; i++) await w.write(line);
    const written = await w.finish();
    // Assess
    expect(written.bytes).toBe(lines * line.length);
    expect(written.etag).toMatch(/^[0-9a-f]{32}-\d+$/);
    expect((await read('big/tasks.csv')).length).toBe(lines * line.length);
  });

  it('leaves no object and no open multipart upload when aborted after several parts', async () => {
    // Prepare
    const w = new S3StreamWriter(s3, bucket, 'aborted/tasks.csv');
    const chunk = `${'x'.repeat(1023)}\n`;
    for (let i = 0; i < 20 * 1024; i++) await w.write(chunk);
    // Act
    await w.abort(new Error('bad row found'));
    // Assess
    const objects = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'aborted/' }));
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'aborted/' }));
    expect(objects.Contents ?? []).toEqual([]);
    expect(uploads.Uploads ?? []).toEqual([]);
  });

  it('joins parts of mixed sizes into their exact concatenation', async () => {
    // Prepare: small, large, small, empty, large: exercises copy, gathered upload and the 5 MiB rule
    const sizes = [3 * MiB, 7 * MiB, 1 * MiB, 0, MIN_PART_BYTES + 10];
    const parts = sizes.map((n) => randomBytes(n));
    await Promise.all(
      parts.map((body, i) =>
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: `parts/${i}`, Body: body })),
      ),
    );
    // Act
    const joined = await joinObjects(
      s3,
      parts.map((p, i) => ({ bucket, key: `parts/${i}`, size: p.length })),
      { bucket, key: 'joined/tasks.csv' },
    );
    // Assess
    expect(joined?.bytes).toBe(sizes.reduce((a, b) => a + b, 0));
    expect((await read('joined/tasks.csv')).equals(Buffer.concat(parts))).toBe(true);
  });

  it('joins small parts with one PUT and writes nothing for empty ones', async () => {
    // Prepare
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'small/a', Body: 'a,1\n' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'small/b', Body: 'b,2\n' }));
    // Act
    const joined = await joinObjects(
      s3,
      [
        { bucket, key: 'small/a', size: 4 },
        { bucket, key: 'small/b', size: 4 },
      ],
      { bucket, key: 'small/joined' },
    );
    const none = await joinObjects(s3, [{ bucket, key: 'small/a', size: 0 }], { bucket, key: 'small/none' });
    // Assess
    expect(joined?.etag).toMatch(/^[0-9a-f]{32}$/);
    expect((await read('small/joined')).toString()).toBe('a,1\nb,2\n');
    expect(none).toBeUndefined();
  });
});
