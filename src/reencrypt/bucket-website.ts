import { GetBucketWebsiteCommand, type S3Client } from '@aws-sdk/client-s3';
import { errorCode, httpStatus } from './classify.js';
import { PerBucket } from './per-bucket.js';

/**
 * Whether a bucket has a static website configuration. A copy drops an object's website redirect unless
 * it is sent again (aws-facts §5.2), and only a HEAD shows the redirect: the inventory has no field for
 * it. Copying from inventory facts without a HEAD is therefore kept to buckets that serve no website.
 */
export function bucketWebsites(s3: S3Client): PerBucket<boolean> {
  return new PerBucket(async (bucket) => {
    try {
      await s3.send(new GetBucketWebsiteCommand({ Bucket: bucket }));
      return true;
    } catch (error) {
      if (errorCode(error) === 'NoSuchWebsiteConfiguration') return false;
      // Not allowed to ask: assume a website, so every object gets its HEAD.
      if (httpStatus(error) === 403) return true;
      throw error;
    }
  });
}
