/**
 * Names the AWS operation behind a raw HTTP request, from the method, the path, the query and a few
 * headers only (never the body), so the proxy can count and fault requests without buffering them.
 *
 * S3 is recognised in path-style addressing only (`/bucket/key`), which is what the SDK uses against a
 * custom endpoint (`forcePathStyle`). KMS and other JSON services are recognised by `X-Amz-Target`.
 */

export const S3Operations = [
  'ListBuckets',
  'CreateBucket',
  'DeleteBucket',
  'HeadBucket',
  'ListObjects',
  'ListObjectsV2',
  'ListObjectVersions',
  'ListMultipartUploads',
  'DeleteObjects',
  'GetBucketVersioning',
  'PutBucketVersioning',
  'GetBucketEncryption',
  'PutBucketEncryption',
  'DeleteBucketEncryption',
  'GetBucketOwnershipControls',
  'PutBucketOwnershipControls',
  'DeleteBucketOwnershipControls',
  'GetBucketPolicy',
  'PutBucketPolicy',
  'DeleteBucketPolicy',
  'GetBucketTagging',
  'PutBucketTagging',
  'DeleteBucketTagging',
  'GetBucketAcl',
  'PutBucketAcl',
  'GetBucketLocation',
  'GetObjectLockConfiguration',
  'PutObjectLockConfiguration',
  'GetBucketInventoryConfiguration',
  'PutBucketInventoryConfiguration',
  'DeleteBucketInventoryConfiguration',
  'ListBucketInventoryConfigurations',
  'GetBucketNotificationConfiguration',
  'PutBucketNotificationConfiguration',
  'GetPublicAccessBlock',
  'PutPublicAccessBlock',
  'DeletePublicAccessBlock',
  'GetBucketLifecycleConfiguration',
  'PutBucketLifecycleConfiguration',
  'DeleteBucketLifecycle',
  'GetBucketWebsite',
  'PutBucketWebsite',
  'DeleteBucketWebsite',
  'GetObject',
  'HeadObject',
  'PutObject',
  'CopyObject',
  'DeleteObject',
  'GetObjectTagging',
  'PutObjectTagging',
  'DeleteObjectTagging',
  'GetObjectAcl',
  'PutObjectAcl',
  'GetObjectAttributes',
  'GetObjectRetention',
  'PutObjectRetention',
  'GetObjectLegalHold',
  'PutObjectLegalHold',
  'RestoreObject',
  'SelectObjectContent',
  'UpdateObjectEncryption',
  'CreateMultipartUpload',
  'UploadPart',
  'UploadPartCopy',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'ListParts',
  'Other',
] as const;
export type S3Operation = (typeof S3Operations)[number];

export const Services = { s3: 's3', kms: 'kms', s3control: 's3control', other: 'other' } as const;
export type Service = (typeof Services)[keyof typeof Services];

/**
 * An operation id: S3 API names bare (`GetObject`), KMS as `kms:<Action>` (`kms:GenerateDataKey`),
 * anything else as `other:<X-Amz-Target>`, `s3control:Other` or `other:Unknown`.
 */
export type ProxyOperation = S3Operation | `kms:${string}` | `other:${string}` | 's3control:Other';

/** The request facts the classifier reads; header names in lower case (as node:http gives them). */
export interface RawRequest {
  readonly method: string;
  /** The request target as received: path plus query string, still URL-encoded. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** What the proxy knows about a request before forwarding it. */
export interface ClassifiedRequest {
  readonly service: Service;
  readonly operation: ProxyOperation;
  readonly method: string;
  /** Decoded bucket name (S3 only). */
  readonly bucket?: string;
  /** Decoded object key (S3 object-level operations only). */
  readonly key?: string;
  /** The encoded path, exactly as received (used to address moto for the same object). */
  readonly rawPath: string;
  readonly query: URLSearchParams;
}

type MethodMap = Partial<Record<'GET' | 'PUT' | 'DELETE' | 'POST' | 'HEAD', S3Operation>>;

// Sub-resources that name an operation on a bucket; the first one present in the query wins.
const BUCKET_SUBRESOURCES: ReadonlyArray<readonly [string, MethodMap]> = [
  ['versions', { GET: 'ListObjectVersions' }],
  ['uploads', { GET: 'ListMultipartUploads' }],
  ['delete', { POST: 'DeleteObjects' }],
  ['versioning', { GET: 'GetBucketVersioning', PUT: 'PutBucketVersioning' }],
  [
    'encryption',
    { GET: 'GetBucketEncryption', PUT: 'PutBucketEncryption', DELETE: 'DeleteBucketEncryption' },
  ],
  [
    'ownershipControls',
    {
      GET: 'GetBucketOwnershipControls',
      PUT: 'PutBucketOwnershipControls',
      DELETE: 'DeleteBucketOwnershipControls',
    },
  ],
  ['policy', { GET: 'GetBucketPolicy', PUT: 'PutBucketPolicy', DELETE: 'DeleteBucketPolicy' }],
  ['tagging', { GET: 'GetBucketTagging', PUT: 'PutBucketTagging', DELETE: 'DeleteBucketTagging' }],
  ['acl', { GET: 'GetBucketAcl', PUT: 'PutBucketAcl' }],
  ['location', { GET: 'GetBucketLocation' }],
  ['object-lock', { GET: 'GetObjectLockConfiguration', PUT: 'PutObjectLockConfiguration' }],
  ['notification', { GET: 'GetBucketNotificationConfiguration', PUT: 'PutBucketNotificationConfiguration' }],
  [
    'publicAccessBlock',
    { GET: 'GetPublicAccessBlock', PUT: 'PutPublicAccessBlock', DELETE: 'DeletePublicAccessBlock' },
  ],
  [
    'lifecycle',
    {
      GET: 'GetBucketLifecycleConfiguration',
      PUT: 'PutBucketLifecycleConfiguration',
      DELETE: 'DeleteBucketLifecycle',
    },
  ],
  ['website', { GET: 'GetBucketWebsite', PUT: 'PutBucketWebsite', DELETE: 'DeleteBucketWebsite' }],
];

const OBJECT_SUBRESOURCES: ReadonlyArray<readonly [string, MethodMap]> = [
  ['tagging', { GET: 'GetObjectTagging', PUT: 'PutObjectTagging', DELETE: 'DeleteObjectTagging' }],
  ['acl', { GET: 'GetObjectAcl', PUT: 'PutObjectAcl' }],
  ['attributes', { GET: 'GetObjectAttributes' }],
  ['retention', { GET: 'GetObjectRetention', PUT: 'PutObjectRetention' }],
  ['legal-hold', { GET: 'GetObjectLegalHold', PUT: 'PutObjectLegalHold' }],
  // PUT /key?encryption is UpdateObjectEncryption; the bucket-level PUT /bucket?encryption is not.
  ['encryption', { PUT: 'UpdateObjectEncryption' }],
  ['uploads', { POST: 'CreateMultipartUpload' }],
  ['restore', { POST: 'RestoreObject' }],
  ['select', { POST: 'SelectObjectContent' }],
];

const header = (req: RawRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function bucketOperation(method: string, query: URLSearchParams): S3Operation {
  for (const [sub, byMethod] of BUCKET_SUBRESOURCES) {
    if (query.has(sub)) return byMethod[method as keyof MethodMap] ?? 'Other';
  }
  if (query.has('inventory')) {
    if (method === 'GET') {
      return query.has('id') ? 'GetBucketInventoryConfiguration' : 'ListBucketInventoryConfigurations';
    }
    if (method === 'PUT') return 'PutBucketInventoryConfiguration';
    if (method === 'DELETE') return 'DeleteBucketInventoryConfiguration';
    return 'Other';
  }
  switch (method) {
    case 'GET':
      return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    case 'PUT':
      return 'CreateBucket';
    case 'DELETE':
      return 'DeleteBucket';
    case 'HEAD':
      return 'HeadBucket';
    default:
      return 'Other';
  }
}

function objectOperation(req: RawRequest, method: string, query: URLSearchParams): S3Operation {
  const hasCopySource = header(req, 'x-amz-copy-source') !== undefined;
  // Multipart parts and upload ids take precedence: ?uploadId also appears with ?partNumber.
  if (query.has('uploadId')) {
    if (method === 'PUT' && query.has('partNumber')) return hasCopySource ? 'UploadPartCopy' : 'UploadPart';
    if (method === 'POST') return 'CompleteMultipartUpload';
    if (method === 'DELETE') return 'AbortMultipartUpload';
    if (method === 'GET') return 'ListParts';
    return 'Other';
  }
  for (const [sub, byMethod] of OBJECT_SUBRESOURCES) {
    if (query.has(sub)) return byMethod[method as keyof MethodMap] ?? 'Other';
  }
  switch (method) {
    case 'GET':
      return 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'PUT':
      return hasCopySource ? 'CopyObject' : 'PutObject';
    case 'DELETE':
      return 'DeleteObject';
    default:
      return 'Other';
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Classifies one request; never throws (unrecognised requests are `Other`/`other:Unknown`). */
export function classifyRequest(req: RawRequest): ClassifiedRequest {
  const method = req.method.toUpperCase();
  const qIndex = req.url.indexOf('?');
  const rawPath = qIndex === -1 ? req.url : req.url.slice(0, qIndex);
  const query = new URLSearchParams(qIndex === -1 ? '' : req.url.slice(qIndex + 1));
  const base = { method, rawPath, query };

  const target = header(req, 'x-amz-target');
  if (target !== undefined) {
    const [prefix, action] = target.split('.', 2);
    if (prefix === 'TrentService' && action) return { ...base, service: 'kms', operation: `kms:${action}` };
    return { ...base, service: 'other', operation: `other:${target}` };
  }
  // S3 Control (path /v20180820/...) and query-protocol services (SNS: POST / with a form body).
  if (rawPath.startsWith('/v20180820/'))
    return { ...base, service: 's3control', operation: 's3control:Other' };
  if (rawPath === '/' || rawPath === '') {
    if (method === 'GET') return { ...base, service: 's3', operation: 'ListBuckets' };
    return { ...base, service: 'other', operation: 'other:Unknown' };
  }

  const path = rawPath.slice(1);
  const slash = path.indexOf('/');
  const bucket = safeDecode(slash === -1 ? path : path.slice(0, slash));
  const key = slash === -1 ? '' : safeDecode(path.slice(slash + 1));
  if (key === '') return { ...base, service: 's3', bucket, operation: bucketOperation(method, query) };
  return { ...base, service: 's3', bucket, key, operation: objectOperation(req, method, query) };
}
