import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

interface Stored {
  readonly body: Buffer;
  readonly etag: string;
  readonly sse?: string;
}

const s3Error = (name: string, status: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

/**
 * An in-memory S3 for unit tests of code that only reads and writes whole objects (no network).
 * It models what the local engine relies on: ETags, If-Match on GET, HeadBucket, SSE on HEAD.
 * Integration tests use moto instead.
 */
export function memoryS3(buckets: readonly string[] = []) {
  const objects = new Map<string, Stored>();
  const known = new Set(buckets);
  const client = new S3Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const mock = mockClient(client);
  const at = (bucket?: string, key?: string) => `${bucket}/${key}`;

  const put = (bucket: string, key: string, body: string | Buffer, sse?: string): string => {
    known.add(bucket);
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
    const etag = createHash('md5').update(buf).digest('hex');
    objects.set(at(bucket, key), { body: buf, etag, ...(sse ? { sse } : {}) });
    return etag;
  };

  mock.on(HeadBucketCommand).callsFake(async (input) => {
    if (!known.has(input.Bucket ?? '')) throw s3Error('NotFound', 404);
    return {};
  });
  mock.on(PutObjectCommand).callsFake(async (input) => {
    if (!known.has(input.Bucket ?? '')) throw s3Error('NoSuchBucket', 404);
    const etag = put(
      input.Bucket ?? '',
      input.Key ?? '',
      input.Body as string | Buffer,
      input.ServerSideEncryption,
    );
    return { ETag: `"${etag}"` };
  });
  mock.on(HeadObjectCommand).callsFake(async (input) => {
    const o = objects.get(at(input.Bucket, input.Key));
    if (!o) throw s3Error('NotFound', 404);
    return {
      ETag: `"${o.etag}"`,
      ContentLength: o.body.length,
      ...(o.sse ? { ServerSideEncryption: o.sse } : {}),
    };
  });
  mock.on(GetObjectCommand).callsFake(async (input) => {
    const o = objects.get(at(input.Bucket, input.Key));
    if (!o) throw s3Error('NoSuchKey', 404);
    if (input.IfMatch !== undefined && input.IfMatch !== `"${o.etag}"`)
      throw s3Error('PreconditionFailed', 412);
    // A Readable with the SDK's transform helpers: enough for streaming readers and whole-object reads.
    const Body = Object.assign(Readable.from([o.body]), {
      transformToByteArray: async () => new Uint8Array(o.body),
      transformToString: async (encoding: BufferEncoding = 'utf8') => o.body.toString(encoding),
    });
    return { ETag: `"${o.etag}"`, Body: Body as never };
  });

  return {
    client,
    mock,
    put,
    addBucket: (bucket: string) => known.add(bucket),
    text: (bucket: string, key: string): string | undefined =>
      objects.get(at(bucket, key))?.body.toString('utf8'),
    sse: (bucket: string, key: string): string | undefined => objects.get(at(bucket, key))?.sse,
    keys: (bucket: string, prefix = ''): string[] =>
      [...objects.keys()]
        .filter((k) => k.startsWith(`${bucket}/${prefix}`))
        .map((k) => k.slice(bucket.length + 1))
        .sort(),
  };
}

export type MemoryS3 = ReturnType<typeof memoryS3>;
