import {
  GetBucketOwnershipControlsCommand,
  GetObjectAclCommand,
  type Grant,
  PutObjectAclCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { errorCode, httpStatus } from './classify.js';
import { PerBucket } from './per-bucket.js';
import type { AclGrant, ObjectSnapshot } from './types.js';

/**
 * Whether each bucket still uses ACLs, asked once per bucket per container: an in-place copy resets
 * the ACL to private (aws-facts §5.2), so grants must be carried where ACLs still count.
 */
export class BucketAclModes {
  readonly #known: PerBucket<boolean>;
  constructor(s3: S3Client) {
    this.#known = new PerBucket((bucket) => ask(s3, bucket));
  }

  usesAcls(bucket: string): Promise<boolean> {
    return this.#known.get(bucket);
  }
}

async function ask(s3: S3Client, bucket: string): Promise<boolean> {
  try {
    const out = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }));
    return out.OwnershipControls?.Rules?.[0]?.ObjectOwnership !== 'BucketOwnerEnforced';
  } catch (error) {
    // No ownership controls: a bucket from before 2023 that uses ACLs. No permission to ask: read the
    // object ACL anyway (carrying grants that do not count is harmless; losing ones that do is not).
    if (errorCode(error) === 'OwnershipControlsNotFoundError' || httpStatus(error) === 403) return true;
    throw error;
  }
}

const PERMISSIONS = new Set(['FULL_CONTROL', 'READ', 'READ_ACP', 'WRITE', 'WRITE_ACP']);

function toAclGrant(g: Grant): AclGrant | undefined {
  const p = g.Permission;
  if (!p || !PERMISSIONS.has(p)) return undefined;
  const permission = p as AclGrant['permission'];
  const who = g.Grantee;
  if (who?.Type === 'CanonicalUser' && who.ID)
    return { permission, grantee: { type: 'CanonicalUser', id: who.ID } };
  if (who?.Type === 'Group' && who.URI) return { permission, grantee: { type: 'Group', uri: who.URI } };
  if (who?.Type === 'AmazonCustomerByEmail' && who.EmailAddress)
    return { permission, grantee: { type: 'AmazonCustomerByEmail', email: who.EmailAddress } };
  return undefined;
}

/** The object version's ACL grants, exactly as they stand. */
export async function readGrants(s3: S3Client, s: ObjectSnapshot): Promise<readonly AclGrant[]> {
  const out = await s3.send(
    new GetObjectAclCommand({
      Bucket: s.bucket,
      Key: s.key,
      ...(s.versionId ? { VersionId: s.versionId } : {}),
    }),
  );
  return (out.Grants ?? []).map(toAclGrant).filter((g): g is AclGrant => g !== undefined);
}

export interface GrantHeaders {
  GrantFullControl?: string;
  GrantRead?: string;
  GrantReadACP?: string;
  GrantWriteACP?: string;
  GrantWrite?: string;
}

const HEADER_OF: Record<AclGrant['permission'], keyof GrantHeaders> = {
  FULL_CONTROL: 'GrantFullControl',
  READ: 'GrantRead',
  READ_ACP: 'GrantReadACP',
  WRITE_ACP: 'GrantWriteACP',
  WRITE: 'GrantWrite',
};

const granteeText = (g: AclGrant['grantee']): string =>
  g.type === 'CanonicalUser'
    ? `id="${g.id}"`
    : g.type === 'Group'
      ? `uri="${g.uri}"`
      : `emailAddress="${g.email}"`;

/** The x-amz-grant-* headers that recreate the grants (an explicit ACL replaces the private default). */
export function grantHeaders(grants: readonly AclGrant[]): GrantHeaders {
  const byHeader = new Map<keyof GrantHeaders, string[]>();
  for (const g of grants) {
    const h = HEADER_OF[g.permission];
    byHeader.set(h, [...(byHeader.get(h) ?? []), granteeText(g.grantee)]);
  }
  return Object.fromEntries([...byHeader].map(([h, list]) => [h, list.join(', ')])) as GrantHeaders;
}

/** Sets the grants on a version written without them (a multipart copy, or a WRITE grant after a copy). */
export async function applyGrants(
  s3: S3Client,
  ref: { readonly bucket: string; readonly key: string },
  versionId: string | undefined,
  grants: readonly AclGrant[],
): Promise<void> {
  await s3.send(
    new PutObjectAclCommand({
      Bucket: ref.bucket,
      Key: ref.key,
      ...(versionId ? { VersionId: versionId } : {}),
      ...grantHeaders(grants),
    }),
  );
}
