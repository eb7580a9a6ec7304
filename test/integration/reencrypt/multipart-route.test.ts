/**
 * The handler's multipart route with the real multipart copier (src/reencrypt/multipart) on moto:
 * a lowered threshold sends an 11 MiB object through UploadPartCopy; every attribute must survive.
 */
import { describe, expect, it } from 'vitest';
import { makeMultipartCopier } from '../../../src/reencrypt/multipart/index.js';
import { bodyOf, CHANGED_BY_COPY, diffFingerprints, fingerprint, putShape } from '../../helpers/objects.js';
import { motoClients, newBucket, newKmsKey } from '../../support/aws.js';
import { eventV2, lambdaContext } from '../../unit/reencrypt/support/events.js';
import { motoHandler, parsedResults, readerClient } from './support.js';

const { s3, kms } = motoClients();
const MiB = 1024 * 1024;

describe('multipart route (moto)', () => {
  it('copies a large object in parts under the target key, keeping bytes and attributes', async () => {
    // Prepare
    const [bucket, work, target] = await Promise.all([
      newBucket(s3, { versioned: true }),
      newBucket(s3),
      newKmsKey(kms),
    ]);
    const put = await putShape(s3, bucket, {
      name: 'large',
      bucket: 'versioned',
      key: 'big/object.bin',
      body: bodyOf(11 * MiB + 17, 5),
      attributes: {
        ContentType: 'application/x-big',
        CacheControl: 'no-cache',
        Metadata: { owner: 'team-a' },
        Tagging: 'a=1&b=2',
        StorageClass: 'STANDARD_IA',
        ServerSideEncryption: 'AES256',
      },
    });
    const before = await fingerprint(s3, bucket, 'big/object.bin', { grants: true });
    const multipart = makeMultipartCopier({
      s3,
      checkpoints: { bucket: work, prefix: 'cp/' },
      partSizeBytes: 5 * MiB,
    });
    const { handler, metrics } = motoHandler(s3, target, {}, { multipart });
    // Act
    const r = await handler(
      eventV2([{ bucket, key: 'big/object.bin', versionId: put.versionId! }], {
        targetKeyArn: target,
        multipartThresholdBytes: String(5 * MiB),
      }),
      lambdaContext(),
    );
    // Assess
    const [only] = parsedResults(r);
    expect(only).toMatchObject({
      code: 'Succeeded',
      result: { route: 'multipart', parts: 3, bytes: 11 * MiB + 17 },
    });
    const after = await fingerprint(readerClient(), bucket, 'big/object.bin', { grants: true });
    // moto drops BucketKeyEnabled on multipart uploads (moto-gaps.test.ts); the request sends it.
    expect(after.encryption).toEqual({ algorithm: 'aws:kms', kmsKeyId: target, bucketKey: false });
    expect(after.sha256).toBe(before.sha256);
    expect(diffFingerprints(before, after, [...CHANGED_BY_COPY, 'checksum'])).toEqual([]);
    expect(after.versionId).toBe(only!.result.versionId);
    expect(metrics.sum('BytesProcessed', { Route: 'multipart' })).toBe(11 * MiB + 17);
  });
});
