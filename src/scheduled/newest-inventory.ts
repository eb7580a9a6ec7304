import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { type InventoryLocation, inventoryManifestKey } from '../inventory/layout.js';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}Z$/;

async function childFolders(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }),
    );
    for (const p of page.CommonPrefixes ?? []) {
      if (p.Prefix) out.push(p.Prefix.slice(prefix.length, -1));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

const exists = async (s3: S3Client, bucket: string, key: string): Promise<boolean> => {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (e) {
    if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw e;
  }
};

export interface Delivery {
  readonly location: InventoryLocation;
  readonly manifestKey: string;
  /** The delivery before this one of the same configuration, when there is one. */
  readonly previous?: InventoryLocation;
}

/**
 * The newest complete delivery of every inventory configuration of `sourceBucket` under
 * `<destinationPrefix>/<sourceBucket>/<config-id>/<YYYY-MM-DDTHH-MMZ>/manifest.json`. S3 writes
 * manifest.json last (aws-facts §4.5), so a folder without it is a delivery still in progress.
 */
export async function newestDeliveries(
  s3: S3Client,
  inventoryBucket: string,
  destinationPrefix: string,
  sourceBucket: string,
): Promise<Delivery[]> {
  const base = `${destinationPrefix ? `${destinationPrefix.replace(/\/+$/, '')}/` : ''}${sourceBucket}/`;
  const deliveries: Delivery[] = [];
  for (const configId of await childFolders(s3, inventoryBucket, base)) {
    const stamps = (await childFolders(s3, inventoryBucket, `${base}${configId}/`))
      .filter((t) => TIMESTAMP.test(t))
      .sort()
      .reverse();
    const at = (timestamp: string): InventoryLocation => ({
      destinationPrefix: destinationPrefix.replace(/\/+$/, ''),
      sourceBucket,
      configId,
      timestamp,
    });
    for (let i = 0; i < stamps.length; i++) {
      const location = at(stamps[i]!);
      const manifestKey = inventoryManifestKey(location);
      if (!(await exists(s3, inventoryBucket, manifestKey))) continue;
      const next = stamps[i + 1];
      deliveries.push({ location, manifestKey, ...(next ? { previous: at(next) } : {}) });
      break;
    }
  }
  return deliveries;
}
