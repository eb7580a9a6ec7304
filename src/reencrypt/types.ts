/**
 * What the copy and multipart routes know about one object version: everything a copy must carry
 * over (architecture.md "Copy route rules"), read once per task (HEAD + tagging + ACL where needed).
 */
export type SourceAlgorithm = 'AES256' | 'aws:kms' | 'aws:kms:dsse' | 'SSE-C' | 'NONE';

export type ChecksumAlgorithmName = 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256' | 'CRC64NVME';

export interface ObjectSnapshot {
  readonly bucket: string;
  readonly key: string;
  /** The exact version the task names, or the current one; undefined in unversioned buckets. */
  readonly versionId?: string;
  readonly isLatest: boolean;
  /** ETag as S3 returns it, with quotes. */
  readonly etag: string;
  readonly size: number;
  readonly lastModified?: Date;
  readonly encryption: {
    readonly algorithm: SourceAlgorithm;
    readonly kmsKeyArn?: string;
    readonly bucketKeyEnabled: boolean;
  };
  /** STANDARD when HEAD omits the header. */
  readonly storageClass: string;
  /** x-amz-archive-status (Intelligent-Tiering archive tiers). */
  readonly archiveStatus?: string;
  /** x-amz-restore, e.g. `ongoing-request="false", expiry-date="..."`. */
  readonly restore?: string;
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly contentDisposition?: string;
  readonly contentLanguage?: string;
  readonly cacheControl?: string;
  readonly expires?: Date;
  readonly metadata: Readonly<Record<string, string>>;
  readonly websiteRedirectLocation?: string;
  readonly checksumAlgorithm?: ChecksumAlgorithmName;
  readonly objectLock?: {
    readonly mode?: 'GOVERNANCE' | 'COMPLIANCE';
    readonly retainUntil?: Date;
    readonly legalHold?: 'ON' | 'OFF';
  };
  readonly tags: readonly { readonly Key: string; readonly Value: string }[];
  /** Present only when the bucket still uses ACLs (ownership is not BucketOwnerEnforced). */
  readonly grants?: readonly AclGrant[];
  readonly partsCount?: number;
}

export interface AclGrant {
  readonly permission: 'FULL_CONTROL' | 'READ' | 'READ_ACP' | 'WRITE' | 'WRITE_ACP';
  readonly grantee:
    | { readonly type: 'CanonicalUser'; readonly id: string }
    | { readonly type: 'Group'; readonly uri: string }
    | { readonly type: 'AmazonCustomerByEmail'; readonly email: string };
}

/** The encryption every processed object must end with. */
export interface TargetEncryption {
  readonly keyArn: string;
  readonly bucketKey: boolean;
}

export const Strategies = { auto: 'auto', copy: 'copy', update: 'update' } as const;
export type Strategy = (typeof Strategies)[keyof typeof Strategies];

/**
 * What a hinted copy-route task looks at before it copies. `head` (default): a HEAD of the object, which
 * sees every attribute. `inventory`: the task hints alone when they vouch for everything a copy must send
 * again (storage class, checksum algorithm, no Object Lock) and the bucket has neither ACLs in use nor a
 * website configuration; the copy stays conditional on the inventory ETag, and a changed object gets its
 * HEAD. Trade-off: a website redirect on an object in a bucket that serves no website is not carried over.
 */
export const Preflights = { head: 'head', inventory: 'inventory' } as const;
export type Preflight = (typeof Preflights)[keyof typeof Preflights];

/** Per-job settings (schema 2.0 userArguments, or function configuration for schema 1.0). */
export interface JobSettings {
  readonly target: TargetEncryption;
  readonly strategy: Strategy;
  readonly hints: boolean;
  /** Absent means `head`. */
  readonly preflight?: Preflight;
  /** Copy-route size above which multipart copy is used; S3's single-copy limit is 5 GiB. */
  readonly multipartThresholdBytes: number;
  readonly deletePriorVersion: boolean;
}

export const SINGLE_COPY_LIMIT_BYTES = 5 * 1024 ** 3;

/** Input to the multipart route (objects above the single-copy limit or the configured threshold). */
export interface MultipartCopyRequest {
  /** The object as seen when deciding; the copy is conditional on its ETag. */
  readonly snapshot: ObjectSnapshot;
  readonly target: TargetEncryption;
  /** Milliseconds left in this invocation (Lambda context); the copier stops and checkpoints before 0. */
  readonly remainingMs: () => number;
}

export type MultipartCopyOutcome =
  | {
      readonly status: 'completed';
      readonly etag: string;
      readonly versionId?: string;
      readonly parts: number;
      /** Invocations this copy took, counting the ones before a resume. */
      readonly invocations: number;
    }
  | {
      /** Stopped before the deadline; progress is checkpointed and a redrive resumes it. */
      readonly status: 'suspended';
      readonly partsDone: number;
      readonly partsTotal: number;
      readonly invocations: number;
    };

export interface MultipartCopier {
  copy(request: MultipartCopyRequest): Promise<MultipartCopyOutcome>;
}
