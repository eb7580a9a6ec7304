import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** Reads report objects. S3 in Lambda and the CLI; a folder tree (`<root>/<bucket>/<key>`) for local runs and the bench. */
export interface ReportSource {
  /** The object's text, or undefined when it does not exist. */
  readText(bucket: string, key: string): Promise<string | undefined>;
  /** The object's bytes as a stream, or undefined when it does not exist. */
  openStream(bucket: string, key: string): Promise<AsyncIterable<Uint8Array> | undefined>;
}

const isMissing = (e: unknown): boolean => {
  const x = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return x?.name === 'NoSuchKey' || x?.name === 'NotFound' || x?.$metadata?.httpStatusCode === 404;
};

export class S3ReportSource implements ReportSource {
  constructor(private readonly s3: S3Client) {}

  async readText(bucket: string, key: string): Promise<string | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return await out.Body?.transformToString('utf-8');
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }

  async openStream(bucket: string, key: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return out.Body as unknown as AsyncIterable<Uint8Array>;
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }
}

export class FileReportSource implements ReportSource {
  constructor(private readonly root: string) {}

  async readText(bucket: string, key: string): Promise<string | undefined> {
    try {
      return await readFile(join(this.root, bucket, key), 'utf-8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async openStream(bucket: string, key: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    const path = join(this.root, bucket, key);
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    // Surface a missing file here rather than on the first read.
    return new Promise((resolve, reject) => {
      stream.once('open', () => resolve(stream));
      stream.once('error', (e: NodeJS.ErrnoException) =>
        e.code === 'ENOENT' ? resolve(undefined) : reject(e),
      );
    });
  }
}
