import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  assessCompliance,
  type NonComplianceReason,
  type ObservedEncryption,
  observedEncryptionFromHead,
} from '../compliance/compliance.js';
import { readInventoryManifest } from '../inventory/s3-read.js';
import type { InventoryManifest, InventoryManifestRef } from '../inventory/types.js';
import type { TargetEncryption } from '../reencrypt/types.js';
import { AuditAbortedError, VerifyError } from './errors.js';
import { type InventoryEncryption, inventoryObjects } from './inventory-source.js';
import { type ListedObject, type ListingObserver, listAllVersions, listCurrentObjects } from './listing.js';

export interface AuditDeps {
  readonly s3: S3Client;
}

export interface AuditInput {
  readonly bucket: string;
  readonly prefix?: string;
  /** Audit every version (ListObjectVersions) instead of current objects only. */
  readonly allVersions: boolean;
  readonly target: TargetEncryption;
  /** HEAD requests in flight at once; memory holds at most one listing page plus this many objects. */
  readonly concurrency: number;
  /**
   * Audit from this S3 Inventory delivery instead of listing: objects it shows as not SSE-KMS (or with
   * the wrong Bucket Key state) are reported without a request; only SSE-KMS ones get a HEAD, for the
   * key ARN the inventory lacks. As fresh as the inventory, so an object changed since is judged as it was.
   */
  readonly inventory?: InventoryManifestRef;
  readonly signal?: AbortSignal;
}

/** `unreadable`: HEAD was refused for this object (object ACL, SSE-C without its key). */
export type AuditReason = NonComplianceReason | 'unreadable';

export interface AuditFinding {
  readonly key: string;
  readonly versionId?: string;
  readonly isLatest: boolean;
  readonly size: number;
  readonly storageClass: string;
  readonly reason: AuditReason;
  readonly encryption?: ObservedEncryption;
  readonly error?: string;
  /** Where the verdict came from: a HEAD now, or the inventory row. */
  readonly source: 'head' | 'inventory';
}

export interface AuditSummary {
  readonly bucket: string;
  readonly prefix: string;
  readonly allVersions: boolean;
  readonly target: TargetEncryption;
  /** Set for inventory audits: which delivery, and as of when. */
  readonly inventory?: { readonly manifest: string; readonly createdAt: string };
  readonly checked: number;
  readonly compliant: number;
  readonly nonCompliant: number;
  readonly byReason: Readonly<Partial<Record<AuditReason, number>>>;
  /** Every object that is not compliant, in listing order. */
  readonly findings: readonly AuditFinding[];
  readonly deleteMarkersSkipped: number;
  /** Listed, then gone before its HEAD (deleted meanwhile). */
  readonly vanished: number;
  readonly headRequests: number;
}

export interface AuditObserver {
  listed(count: number): void;
  /** Every object is listed: the total is final. */
  listingComplete(): void;
  checked(finding: AuditFinding | undefined): void;
}

/**
 * Audits every object (or version) under `prefix` with HEAD: workers pull from one shared listing,
 * so listing runs only as fast as the HEADs and memory stays bounded. Network, throttling and
 * permission failures on the listing stop the audit (nothing would be trustworthy); a HEAD refused for
 * a single object is reported as `unreadable`, unless every object was refused.
 */
export async function auditBucket(
  deps: AuditDeps,
  input: AuditInput,
  observer?: AuditObserver,
): Promise<AuditSummary> {
  if (!Number.isInteger(input.concurrency) || input.concurrency < 1)
    throw new VerifyError(`concurrency must be a whole number >= 1, got ${input.concurrency}`, {
      bucket: input.bucket,
    });
  const manifest = input.inventory ? await readAuditInventory(deps.s3, input) : undefined;
  let deleteMarkers = 0;
  const listingObserver: ListingObserver = {
    page(objects: number, markers: number) {
      deleteMarkers += markers;
      observer?.listed(objects);
    },
    end() {
      observer?.listingComplete();
    },
  };
  const listing = manifest
    ? inventoryObjects(
        deps.s3,
        manifest,
        { allVersions: input.allVersions, ...(input.prefix ? { prefix: input.prefix } : {}) },
        listingObserver,
      )
    : input.allVersions
      ? listAllVersions(deps.s3, input.bucket, input.prefix, listingObserver)
      : listCurrentObjects(deps.s3, input.bucket, input.prefix, listingObserver);

  const findings: { index: number; finding: AuditFinding }[] = [];
  const byReason: Partial<Record<AuditReason, number>> = {};
  let checked = 0;
  let compliant = 0;
  let vanished = 0;
  let refused = 0;
  let heads = 0;
  let firstRefusal: unknown;
  let fatal: unknown;
  let index = 0;

  const worker = async () => {
    while (fatal === undefined && !input.signal?.aborted) {
      const next = await listing.next();
      if (next.done) return;
      const position = index++;
      const result = await checkObject(deps.s3, input, next.value, () => {
        heads += 1;
      });
      if (result.kind === 'vanished') {
        vanished += 1;
        continue;
      }
      checked += 1;
      if (result.kind === 'compliant') {
        compliant += 1;
        observer?.checked(undefined);
        continue;
      }
      if (result.kind === 'refused') {
        refused += 1;
        firstRefusal ??= result.error;
      }
      findings.push({ index: position, finding: result.finding });
      byReason[result.finding.reason] = (byReason[result.finding.reason] ?? 0) + 1;
      observer?.checked(result.finding);
    }
  };
  // Every worker settles before the outcome is decided, so no HEAD is left running after a failure.
  const settled = await Promise.allSettled(
    Array.from({ length: input.concurrency }, () =>
      worker().catch((e) => {
        fatal ??= e;
        throw e;
      }),
    ),
  );
  await listing.return(undefined);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw fatal ?? failure.reason;
  if (input.signal?.aborted)
    throw new AuditAbortedError(`audit of ${input.bucket} was interrupted after ${checked} objects`, {
      bucket: input.bucket,
    });
  // Every HEAD refused: a missing permission, not a property of the objects.
  if (refused > 0 && refused === heads - vanished) throw firstRefusal;

  return {
    bucket: input.bucket,
    prefix: input.prefix ?? '',
    allVersions: input.allVersions,
    target: input.target,
    ...(manifest
      ? {
          inventory: {
            manifest: `s3://${manifest.ref.bucket}/${manifest.ref.key}`,
            createdAt: manifest.creationTimestamp.toISOString(),
          },
        }
      : {}),
    checked,
    compliant,
    nonCompliant: checked - compliant,
    byReason,
    findings: findings.sort((a, b) => a.index - b.index).map((f) => f.finding),
    deleteMarkersSkipped: deleteMarkers,
    vanished,
    headRequests: heads,
  };
}

async function readAuditInventory(s3: S3Client, input: AuditInput): Promise<InventoryManifest> {
  const manifest = await readInventoryManifest(s3, input.inventory as InventoryManifestRef);
  if (manifest.sourceBucket !== input.bucket)
    throw new VerifyError(
      `the inventory at s3://${manifest.ref.bucket}/${manifest.ref.key} lists bucket ${manifest.sourceBucket}, not ${input.bucket}`,
      { bucket: input.bucket },
    );
  if (input.allVersions && !manifest.allVersions)
    throw new VerifyError(
      'the inventory lists current versions only: drop --all-versions, or use an inventory of all versions',
      { bucket: input.bucket },
    );
  return manifest;
}

type CheckResult =
  | { kind: 'compliant' }
  | { kind: 'vanished' }
  | { kind: 'non-compliant'; finding: AuditFinding }
  | { kind: 'refused'; finding: AuditFinding; error: unknown };

async function checkObject(
  s3: S3Client,
  input: AuditInput,
  o: ListedObject,
  countHead: () => void,
): Promise<CheckResult> {
  const base = {
    key: o.key,
    ...(o.versionId !== undefined ? { versionId: o.versionId } : {}),
    isLatest: o.isLatest,
    size: o.size,
    storageClass: o.storageClass,
  };
  const settled = o.inventory ? settledByInventory(o.inventory, input.target) : undefined;
  if (settled) return { kind: 'non-compliant', finding: { ...base, ...settled, source: 'inventory' } };
  countHead();
  try {
    const head = await s3.send(
      new HeadObjectCommand({
        Bucket: input.bucket,
        Key: o.key,
        ...(o.versionId !== undefined ? { VersionId: o.versionId } : {}),
      }),
    );
    const encryption = observedEncryptionFromHead(head);
    const verdict = assessCompliance(encryption, input.target);
    if (verdict.compliant) return { kind: 'compliant' };
    return {
      kind: 'non-compliant',
      finding: { ...base, reason: verdict.reason, encryption, source: 'head' },
    };
  } catch (e) {
    const status = httpStatus(e);
    if (status === 404) return { kind: 'vanished' };
    // 400: an SSE-C object cannot be read without its customer key; 403: object ACL or policy.
    if (status === 400 || status === 403) {
      const error = `HEAD refused (HTTP ${status}${errorName(e) ? ` ${errorName(e)}` : ''})`;
      const finding: AuditFinding = { ...base, reason: 'unreadable', error, source: 'head' };
      return status === 403 ? { kind: 'refused', finding, error: e } : { kind: 'non-compliant', finding };
    }
    throw e;
  }
}

/**
 * The verdict an inventory row settles without a request: anything but SSE-KMS, or SSE-KMS with the
 * wrong Bucket Key state. The target key check always needs a HEAD.
 */
function settledByInventory(
  inv: InventoryEncryption,
  target: TargetEncryption,
): { reason: NonComplianceReason; encryption: ObservedEncryption } | undefined {
  const encryption: ObservedEncryption = {
    algorithm: inv.algorithm,
    bucketKeyEnabled: inv.bucketKeyEnabled ?? false,
  };
  if (inv.algorithm !== 'aws:kms') {
    const verdict = assessCompliance(encryption, target);
    return verdict.compliant ? undefined : { reason: verdict.reason, encryption };
  }
  if (inv.bucketKeyEnabled !== undefined && inv.bucketKeyEnabled !== target.bucketKey)
    return { reason: 'bucket-key-mismatch', encryption };
  return undefined;
}

const httpStatus = (e: unknown): number | undefined =>
  (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;

const errorName = (e: unknown): string | undefined => {
  const name = (e as { name?: string })?.name;
  return name && name !== 'Unknown' && name !== 'UnknownError' ? name : undefined;
};
