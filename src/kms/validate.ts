import { DescribeKeyCommand, type KeyMetadata, type KMSClient } from '@aws-sdk/client-kms';
import {
  TargetKeyCheckError,
  TargetKeyNotFoundError,
  TargetKeyRegionError,
  TargetKeyStateError,
  TargetKeyTypeError,
} from './errors.js';

export interface ValidatedKey {
  /** Full key ARN: what every S3 request and the job arguments use (aliases resolve in the caller's account). */
  readonly keyArn: string;
  readonly keyId: string;
  readonly region: string;
  readonly account: string;
  /** The alias given, when the key was named by one. */
  readonly alias?: string;
  readonly keyManager?: string;
}

const ARN = /^arn:[a-z-]+:kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/;

/** Region named inside a key or alias ARN; undefined for key ids and `alias/name` (resolved in the client's Region). */
export function regionOfKeyReference(ref: string): string | undefined {
  return ARN.exec(ref)?.[1];
}

/**
 * Checks the target key with KMS DescribeKey before anything is created: it must exist, be
 * Enabled, be a SYMMETRIC_DEFAULT ENCRYPT_DECRYPT key and live in the bucket's Region. An alias
 * (`alias/x` or an alias ARN) is resolved to the key's ARN. `kms` must be a client for `bucketRegion`.
 */
export async function validateTargetKey(
  kms: KMSClient,
  key: string,
  bucketRegion: string,
): Promise<ValidatedKey> {
  const named = regionOfKeyReference(key);
  if (named && named !== bucketRegion) throw new TargetKeyRegionError(key, named, bucketRegion);
  let meta: KeyMetadata | undefined;
  try {
    meta = (await kms.send(new DescribeKeyCommand({ KeyId: key }))).KeyMetadata;
  } catch (cause) {
    const name = (cause as { name?: string }).name;
    if (name === 'NotFoundException')
      throw new TargetKeyNotFoundError(key, `target key ${key} does not exist in ${bucketRegion}`, { cause });
    throw new TargetKeyCheckError(key, `cannot describe target key ${key}: ${(cause as Error).message}`, {
      cause,
    });
  }
  if (!meta?.Arn || !meta.KeyId)
    throw new TargetKeyCheckError(key, `DescribeKey returned no metadata for ${key}`);
  const parsed = ARN.exec(meta.Arn);
  const region = parsed?.[1] ?? bucketRegion;
  if (region !== bucketRegion) throw new TargetKeyRegionError(key, region, bucketRegion);
  const shown = meta.Arn === key ? key : `${key} (${meta.Arn})`;
  const state = meta.KeyState ?? (meta.Enabled ? 'Enabled' : 'Disabled');
  if (state !== 'Enabled' || meta.Enabled === false)
    throw new TargetKeyStateError(key, state, `target key ${shown} is ${state}; it must be Enabled`);
  const spec = meta.KeySpec ?? meta.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  if (spec !== 'SYMMETRIC_DEFAULT')
    throw new TargetKeyTypeError(
      key,
      `target key ${shown} is ${spec}; S3 needs a symmetric (SYMMETRIC_DEFAULT) key`,
    );
  if (meta.KeyUsage && meta.KeyUsage !== 'ENCRYPT_DECRYPT')
    throw new TargetKeyTypeError(
      key,
      `target key ${shown} has usage ${meta.KeyUsage}; S3 needs ENCRYPT_DECRYPT`,
    );
  if (meta.KeyManager === 'AWS')
    throw new TargetKeyTypeError(
      key,
      `target key ${shown} is an AWS managed key; its policy cannot be controlled, use a customer managed key`,
    );
  return {
    keyArn: meta.Arn,
    keyId: meta.KeyId,
    region,
    account: parsed?.[2] ?? meta.AWSAccountId ?? '',
    ...(key.includes('alias/') ? { alias: key } : {}),
    ...(meta.KeyManager ? { keyManager: meta.KeyManager } : {}),
  };
}
