import type { S3Client } from '@aws-sdk/client-s3';
import { BucketAclModes } from './acl.js';
import { bucketWebsites } from './bucket-website.js';
import type { PerBucket } from './per-bucket.js';
import type { UpdateUnavailable } from './route.js';

/**
 * What one Lambda container (or one local engine run) learns and keeps across tasks: whether the S3
 * endpoint implements UpdateObjectEncryption, which buckets still use ACLs, and which serve a website.
 */
export class ContainerState {
  #update: 'enabled' | UpdateUnavailable;
  readonly aclModes: BucketAclModes;
  /** Buckets with a static website configuration (see `bucketWebsites`). */
  readonly websites: PerBucket<boolean>;

  constructor(s3: S3Client, updateRoute: 'enabled' | 'disabled') {
    this.#update = updateRoute === 'enabled' ? 'enabled' : 'endpoint-disabled';
    this.aclModes = new BucketAclModes(s3);
    this.websites = bucketWebsites(s3);
  }

  /** Why the update route is out for every object here, or undefined when it is available. */
  get updateUnavailable(): UpdateUnavailable | undefined {
    return this.#update === 'enabled' ? undefined : this.#update;
  }

  /** The endpoint answered NotImplemented: use the copy route for the rest of the container's life. */
  markUpdateUnsupported(): void {
    this.#update = 'endpoint-unsupported';
  }
}
