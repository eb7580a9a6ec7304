import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { TaskHints } from '../../src/batch/task-hints.js';

const CHECKSUMS = ['CRC64NVME', 'CRC32C', 'CRC32', 'SHA1', 'SHA256'] as const;

/**
 * The task hints the trigger writes for an object as it is now (its inventory row, with the Object Lock
 * and ChecksumAlgorithm fields listed), read with a HEAD. Objects with Object Lock settings are not
 * expected here: the hint says lock-free.
 */
export async function hintsOfObject(s3: S3Client, bucket: string, key: string): Promise<TaskHints> {
  const h = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
  const checksum = CHECKSUMS.find((c) => h[`Checksum${c}`] !== undefined);
  return {
    key,
    encryption: h.ServerSideEncryption === 'AES256' ? 'SSE-S3' : 'NOT-SSE',
    size: h.ContentLength ?? 0,
    storageClass: h.StorageClass ?? 'STANDARD',
    etag: (h.ETag ?? '').replaceAll('"', ''),
    isLatest: true,
    locked: false,
    checksumAlgorithm: checksum ?? '',
  };
}
