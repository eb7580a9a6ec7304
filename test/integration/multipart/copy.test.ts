import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { MiB, openUploads, randomBody, readBytes, sha256, snapshotOf } from '../../helpers/multipart.js';
import { multipartRig, plenty } from './rig.js';

describe('multipart copy on moto', () => {
  it.each([
    { name: 'one part', size: 3 * MiB, parts: 1, versioned: false },
    { name: 'exactly a part boundary', size: 10 * MiB, parts: 2, versioned: false },
    { name: 'an uneven last part', size: 12 * MiB + 123, parts: 3, versioned: false },
    { name: 'an uneven last part in a versioned bucket', size: 11 * MiB + 1, parts: 3, versioned: true },
  ])(
    're-encrypts $name under the target key keeping bytes and attributes',
    async ({ size, parts, versioned }) => {
      // Prepare
      const rig = await multipartRig({ versioned });
      const body = randomBody(size);
      await rig.s3.send(
        new PutObjectCommand({
          Bucket: rig.bucket,
          Key: 'data/big file+1.bin',
          Body: body,
          ServerSideEncryption: 'AES256',
          ContentType: 'application/x-parquet',
          ContentEncoding: 'identity',
          ContentDisposition: 'attachment; filename="big.bin"',
          ContentLanguage: 'de-CH',
          CacheControl: 'max-age=600',
          Expires: new Date('2031-01-01T00:00:00Z'),
          Metadata: { owner: 'team-a', 'trace-id': '42' },
          Tagging: 'project=blue%20sky&tier=gold',
          StorageClass: 'STANDARD_IA',
          WebsiteRedirectLocation: '/elsewhere.html',
          ChecksumAlgorithm: 'SHA256',
        }),
      );
      const before = await snapshotOf(rig.s3, rig.bucket, 'data/big file+1.bin');
      // Act
      const outcome = await rig.copier().copy({ snapshot: before, target: rig.target, remainingMs: plenty });
      // Assess
      expect(outcome).toMatchObject({ status: 'completed', parts, invocations: 1 });
      const after = await snapshotOf(rig.s3, rig.bucket, 'data/big file+1.bin');
      expect(sha256(await readBytes(rig.s3, rig.bucket, 'data/big file+1.bin'))).toBe(sha256(body));
      expect(after.encryption).toMatchObject({ algorithm: 'aws:kms', kmsKeyArn: rig.target.keyArn });
      expect(after.etag).toMatch(new RegExp(`-${parts}"$`));
      expect(after.size).toBe(size);
      expect({ ...after, etag: '', encryption: null, versionId: null, lastModified: null }).toEqual({
        ...before,
        etag: '',
        encryption: null,
        versionId: null,
        lastModified: null,
      });
      expect(before.checksumAlgorithm).toBe('SHA256');
      expect(before.tags).toHaveLength(2);
      if (versioned) expect(outcome.status === 'completed' && outcome.versionId).toBe(after.versionId);
      expect(await openUploads(rig.s3, rig.bucket)).toBe(0);
      expect(await rig.checkpoints()).toEqual([]);
      expect(rig.counter.partCopies).toBe(parts);
    },
  );

  it('copies an empty object as one part without a range', async () => {
    // Prepare
    const rig = await multipartRig();
    await rig.s3.send(new PutObjectCommand({ Bucket: rig.bucket, Key: 'empty', Body: Buffer.alloc(0) }));
    const before = await snapshotOf(rig.s3, rig.bucket, 'empty');
    // Act
    const outcome = await rig.copier().copy({ snapshot: before, target: rig.target, remainingMs: plenty });
    // Assess
    expect(outcome).toMatchObject({ status: 'completed', parts: 1 });
    const after = await snapshotOf(rig.s3, rig.bucket, 'empty');
    expect(after.size).toBe(0);
    expect(after.encryption.kmsKeyArn).toBe(rig.target.keyArn);
  });
});
