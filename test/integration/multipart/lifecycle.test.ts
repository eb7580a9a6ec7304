import {
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { ABORT_RULE_ID, ensureAbortIncompleteUploadsRule } from '../../../src/reencrypt/multipart/index.js';
import { motoClients, newBucket } from '../../support/aws.js';

describe('ensureAbortIncompleteUploadsRule on moto', () => {
  const { s3 } = motoClients();

  it('adds the rule to a bucket without lifecycle configuration, once', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    // Act
    const first = await ensureAbortIncompleteUploadsRule(s3, bucket, 7);
    const second = await ensureAbortIncompleteUploadsRule(s3, bucket, 7);
    // Assess
    expect(first).toEqual({ changed: true, ruleId: ABORT_RULE_ID });
    expect(second).toEqual({ changed: false, ruleId: ABORT_RULE_ID });
    const rules = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules;
    expect(rules).toEqual([
      expect.objectContaining({
        ID: ABORT_RULE_ID,
        Status: 'Enabled',
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      }),
    ]);
  });

  it('keeps the rules a bucket already has', async () => {
    // Prepare
    const bucket = await newBucket(s3);
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: {
          Rules: [
            { ID: 'expire-logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 } },
            {
              ID: 'archive',
              Status: 'Enabled',
              Filter: { Prefix: 'old/' },
              Transitions: [{ Days: 90, StorageClass: 'GLACIER' }],
            },
          ],
        },
      }),
    );
    // Act
    const result = await ensureAbortIncompleteUploadsRule(s3, bucket, 3);
    // Assess
    expect(result.changed).toBe(true);
    const rules = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? [];
    expect(rules.map((r) => r.ID)).toEqual(['expire-logs', 'archive', ABORT_RULE_ID]);
    expect(rules[0]).toMatchObject({ Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 } });
    expect(rules[1]).toMatchObject({ Transitions: [{ Days: 90, StorageClass: 'GLACIER' }] });
    expect(rules[2]).toMatchObject({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 } });
  });
});
