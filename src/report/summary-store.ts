import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SummaryDocument } from './document.js';

const isPreconditionFailure = (e: unknown) => {
  const x = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    x?.name === 'PreconditionFailed' ||
    x?.$metadata?.httpStatusCode === 412 ||
    x?.$metadata?.httpStatusCode === 409
  );
};
const isMissing = (e: unknown) => {
  const x = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return x?.name === 'NoSuchKey' || x?.$metadata?.httpStatusCode === 404;
};

/** summary.json changed between our read and our write: another invocation holds the report. */
export class ClaimLost extends Error {
  override readonly name = 'ClaimLost';
}

/** summary.json and its ETag; `doc` is absent when the object is not valid JSON (it will be replaced). */
export async function readSummaryDocument(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<{ doc?: SummaryDocument; etag: string } | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = (await out.Body?.transformToString('utf-8')) ?? '';
    let doc: SummaryDocument | undefined;
    try {
      doc = JSON.parse(text) as SummaryDocument;
    } catch {
      doc = undefined; // unreadable: it will be replaced
    }
    return { ...(doc ? { doc } : {}), etag: out.ETag ?? '' };
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

/** Writes summary.json conditionally; ClaimLost when the condition fails. Returns the new ETag. */
export async function writeSummaryDocument(
  s3: S3Client,
  bucket: string,
  key: string,
  doc: SummaryDocument,
  condition: { ifMatch?: string; ifNoneMatch?: '*' },
): Promise<string> {
  try {
    const out = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: `${JSON.stringify(doc, null, 2)}\n`,
        ContentType: 'application/json',
        ...(condition.ifMatch ? { IfMatch: condition.ifMatch } : {}),
        ...(condition.ifNoneMatch ? { IfNoneMatch: condition.ifNoneMatch } : {}),
      }),
    );
    return out.ETag ?? '';
  } catch (e) {
    if (isPreconditionFailure(e)) throw new ClaimLost('summary.json changed under us', { cause: e });
    throw e;
  }
}
