import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyLock } from './key-lock.js';
import type { ClassifiedRequest } from './operations.js';
import { type ErrorAnswer, noSuchKey } from './responses.js';
import type { StatsRecorder } from './stats.js';
import type { Upstream } from './upstream.js';

/**
 * How the proxy answers `PUT /bucket/key?encryption` (UpdateObjectEncryption). The request is NEVER
 * forwarded: moto does not implement it and would treat it as a PutObject, replacing the object's bytes with
 * the XML body (testing.md).
 *
 * - `notImplemented` (default): `501 NotImplemented`, like an S3-compatible store without the API, so the
 *   pipeline's fallback to the copy route is what gets tested.
 * - `emulate`: applies the semantics through moto where that can be done faithfully, and answers
 *   `501 NotImplemented` where it cannot. Faithful: unversioned buckets (never versioning-enabled), current
 *   object, SSE-S3 or SSE-KMS source, not archived. There it copies the object onto itself under the key lock
 *   with the requested SSE-KMS key and Bucket Key state, metadata and tagging directive COPY, the storage class
 *   and website redirect resent and the ACL restored; moto keeps the bytes, the ETag (multipart ETags too) and
 *   the checksum on a copy. Not faithful, so refused with 501: versioned buckets and `versionId`s (a copy makes a
 *   new version and leaves the old one under its old encryption; the real API changes the version in place),
 *   archived objects (moto refuses to copy them; the real API needs no restore). Always different from S3:
 *   Last-Modified changes, and moto makes no KMS calls.
 *   Refused as S3 refuses (aws-facts §5.7): unencrypted, SSE-C or DSSE-KMS source, a target that is not a
 *   full KMS key ARN, or not SSE-KMS (400 InvalidRequest); retention or legal hold in force (403 AccessDenied);
 *   missing object (404 NoSuchKey).
 */
export type UpdateObjectEncryptionMode = 'notImplemented' | 'emulate';

const NOT_IMPLEMENTED_MESSAGE = 'A header you provided implies functionality that is not implemented';
const MAX_BODY = 64 * 1024;
// Full key ARN only: UpdateObjectEncryption rejects key ids, aliases and alias ARNs (aws-facts §5.7).
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const ARCHIVED = new Set(['GLACIER', 'DEEP_ARCHIVE']);

export interface UpdateEncryptionContext {
  readonly upstream: Upstream;
  readonly lock: KeyLock;
  readonly stats: StatsRecorder;
}

/** How the emulation declines a request; caught below and turned into the S3 error answer. */
class Refusal extends Error {
  constructor(
    readonly answer: ErrorAnswer,
    readonly outcome: 'notImplemented' | 'refused',
  ) {
    super(answer.message);
    this.name = 'Refusal';
  }
}

const notImplemented = (why: string): Refusal =>
  new Refusal(
    { status: 501, code: 'NotImplemented', message: `${NOT_IMPLEMENTED_MESSAGE} (${why})` },
    'notImplemented',
  );
const invalidRequest = (message: string): Refusal =>
  new Refusal({ status: 400, code: 'InvalidRequest', message }, 'refused');

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('UpdateObjectEncryption body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The SSE-KMS target in an `ObjectEncryption` document; `undefined` when it asks for anything else. */
export function parseObjectEncryption(
  xml: string,
): { keyArn: string; bucketKeyEnabled: boolean } | undefined {
  const kms = /<SSE-KMS>([\s\S]*?)<\/SSE-KMS>/.exec(xml)?.[1];
  if (kms === undefined) return undefined;
  const keyArn = /<KMSKeyArn>\s*([^<]*?)\s*<\/KMSKeyArn>/.exec(kms)?.[1] ?? '';
  const bucketKeyEnabled = /<BucketKeyEnabled>\s*true\s*<\/BucketKeyEnabled>/i.test(kms);
  return { keyArn, bucketKeyEnabled };
}

async function emulate(
  ctx: UpdateEncryptionContext,
  req: IncomingMessage,
  r: ClassifiedRequest,
  body: Buffer,
): Promise<void> {
  const target = parseObjectEncryption(body.toString('utf8'));
  if (!target) throw invalidRequest('UpdateObjectEncryption supports only an SSE-KMS target here');
  if (!KEY_ARN.test(target.keyArn)) {
    throw invalidRequest(`KMSKeyArn must be the full ARN of a KMS key, got '${target.keyArn}'`);
  }
  const versionId = r.query.get('versionId');
  if (versionId !== null && versionId !== 'null') {
    throw notImplemented('s3-proxy cannot emulate UpdateObjectEncryption of a given version');
  }
  const bucketPath = `/${r.rawPath.slice(1).split('/', 1)[0]}`;
  const versioning = await ctx.upstream.call('GET', `${bucketPath}?versioning`, req.headers);
  if (versioning.status !== 200) throw notImplemented(`GetBucketVersioning answered ${versioning.status}`);
  if (/<Status>/.test(versioning.body.toString('utf8'))) {
    throw notImplemented(
      's3-proxy emulates UpdateObjectEncryption only in buckets that never had versioning',
    );
  }
  const head = await ctx.upstream.head(r.rawPath, req.headers);
  if (head === undefined) throw new Refusal(noSuchKey(r.key ?? ''), 'refused');
  if (head === 'unknown') throw notImplemented('HEAD of the object failed');
  const h = head.headers;
  const sse = h['x-amz-server-side-encryption'];
  if (h['x-amz-server-side-encryption-customer-algorithm'])
    throw invalidRequest('SSE-C objects are not supported');
  if (sse !== 'AES256' && sse !== 'aws:kms') {
    throw invalidRequest(
      `objects encrypted with '${sse ?? 'none'}' are not supported (SSE-S3 or SSE-KMS only)`,
    );
  }
  const retainUntil = h['x-amz-object-lock-retain-until-date'];
  const retained = typeof retainUntil === 'string' && new Date(retainUntil).getTime() > Date.now();
  if (retained || h['x-amz-object-lock-legal-hold'] === 'ON') {
    throw new Refusal(
      { status: 403, code: 'AccessDenied', message: 'The object is protected by Object Lock' },
      'refused',
    );
  }
  const storageClass = typeof h['x-amz-storage-class'] === 'string' ? h['x-amz-storage-class'] : 'STANDARD';
  if (ARCHIVED.has(storageClass))
    throw notImplemented(`s3-proxy cannot emulate it for ${storageClass} objects`);

  const acl = await ctx.upstream.call('GET', `${r.rawPath}?acl`, req.headers);
  const copyHeaders: Record<string, string> = {
    'x-amz-copy-source': r.rawPath.slice(1),
    'x-amz-copy-source-if-match': head.etag,
    'x-amz-metadata-directive': 'COPY',
    'x-amz-tagging-directive': 'COPY',
    'x-amz-storage-class': storageClass,
    'x-amz-server-side-encryption': 'aws:kms',
    'x-amz-server-side-encryption-aws-kms-key-id': target.keyArn,
    'x-amz-server-side-encryption-bucket-key-enabled': String(target.bucketKeyEnabled),
  };
  const redirect = h['x-amz-website-redirect-location'];
  if (typeof redirect === 'string') copyHeaders['x-amz-website-redirect-location'] = redirect;
  // A copy resets the ACL to private (aws-facts §5.2); the real API leaves it alone.
  if (acl.status === 200) Object.assign(copyHeaders, grantHeaders(acl.body.toString('utf8')));
  const copy = await ctx.upstream.call('PUT', r.rawPath, req.headers, copyHeaders);
  if (copy.status !== 200 || /<Error>/.test(copy.body.toString('utf8'))) {
    throw notImplemented(
      `the emulating copy failed at moto (${copy.status}): ${copy.body.toString('utf8').slice(0, 300)}`,
    );
  }
}

/**
 * Turns a GetObjectAcl document into `x-amz-grant-*` headers, so the emulating copy carries the ACL in the same
 * request (moto's PutObjectAcl reads grants from headers only and ignores an ACL body).
 */
export function grantHeaders(aclXml: string): Record<string, string> {
  const byPermission = new Map<string, string[]>();
  for (const [, grant = ''] of aclXml.matchAll(/<Grant>([\s\S]*?)<\/Grant>/g)) {
    const permission = /<Permission>\s*([A-Z_]+)\s*<\/Permission>/.exec(grant)?.[1];
    const id = /<ID>\s*([^<]+?)\s*<\/ID>/.exec(grant)?.[1];
    const uri = /<URI>\s*([^<]+?)\s*<\/URI>/.exec(grant)?.[1];
    const email = /<EmailAddress>\s*([^<]+?)\s*<\/EmailAddress>/.exec(grant)?.[1];
    const grantee = id ? `id="${id}"` : uri ? `uri="${uri}"` : email ? `emailAddress="${email}"` : undefined;
    if (!permission || !grantee) continue;
    byPermission.set(permission, [...(byPermission.get(permission) ?? []), grantee]);
  }
  return Object.fromEntries(
    [...byPermission].map(([permission, grantees]) => [
      `x-amz-grant-${permission.toLowerCase().replace('_', '-')}`,
      grantees.join(', '),
    ]),
  );
}

/** What to answer: success (200, empty body) or an S3 error. */
export type UpdateEncryptionAnswer =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: ErrorAnswer };

/** Handles one UpdateObjectEncryption request according to `mode`; the caller sends the answer. */
export async function updateObjectEncryption(
  ctx: UpdateEncryptionContext,
  mode: UpdateObjectEncryptionMode,
  req: IncomingMessage,
  r: ClassifiedRequest,
  continueTo?: ServerResponse,
): Promise<UpdateEncryptionAnswer> {
  if (mode === 'notImplemented') {
    ctx.stats.updateEncryption('notImplemented');
    return {
      ok: false,
      error: notImplemented('UpdateObjectEncryption is not available at this endpoint').answer,
    };
  }
  continueTo?.writeContinue();
  const body = await readBody(req);
  const release = await ctx.lock.acquire(`${r.bucket}/${r.key}`);
  try {
    await emulate(ctx, req, r, body);
    ctx.stats.updateEncryption('emulated');
    return { ok: true };
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    ctx.stats.updateEncryption(e.outcome);
    return { ok: false, error: e.answer };
  } finally {
    release();
  }
}
