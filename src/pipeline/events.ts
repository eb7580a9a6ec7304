import { randomBytes } from 'node:crypto';
import { encodeKey } from '../batch/keys.js';

/** What S3 says about the object in an `ObjectCreated:Put` notification. */
export interface CreatedObject {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  /** ETag with or without quotes. */
  readonly etag: string;
  readonly versionId?: string;
  readonly region: string;
  readonly time?: Date;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex').toUpperCase();

/**
 * The classic S3 event notification S3 sends when an object is written (events/s3/*.json): the same
 * document the trigger and the completion-report functions receive on AWS. Keys are URL-encoded
 * form-style, `+` for a space, as S3 writes them (aws-facts §7.1).
 */
export function s3ObjectCreatedEvent(o: CreatedObject): { Records: Record<string, unknown>[] } {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: o.region,
        eventTime: (o.time ?? new Date()).toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:s3-reencrypt-local' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': hex(8), 'x-amz-id-2': hex(24) },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 's3-reencrypt-local',
          bucket: {
            name: o.bucket,
            ownerIdentity: { principalId: 'local' },
            arn: `arn:aws:s3:::${o.bucket}`,
          },
          object: {
            key: encodeKey(o.key).replace(/%20/g, '+'),
            size: o.size,
            eTag: o.etag.replace(/"/g, ''),
            ...(o.versionId && o.versionId !== 'null' ? { versionId: o.versionId } : {}),
            sequencer: hex(9),
          },
        },
      },
    ],
  };
}

/** The EventBridge "AWS Service Event via CloudTrail" that S3 Batch Operations sends when a job ends (aws-facts §3.5). */
export function jobStatusChangedEvent(o: {
  readonly jobId: string;
  readonly accountId: string;
  readonly region: string;
  readonly status: string;
  readonly failureCodes?: readonly string[];
  readonly statusChangeReason?: readonly string[];
  readonly time?: Date;
}): Record<string, unknown> {
  const time = (o.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    version: '0',
    id: randomBytes(16).toString('hex'),
    'detail-type': 'AWS Service Event via CloudTrail',
    source: 'aws.s3',
    account: o.accountId,
    time,
    region: o.region,
    resources: [],
    detail: {
      eventVersion: '1.05',
      userIdentity: { accountId: o.accountId, invokedBy: 's3.amazonaws.com' },
      eventTime: time,
      eventSource: 's3.amazonaws.com',
      eventName: 'JobStatusChanged',
      awsRegion: o.region,
      eventType: 'AwsServiceEvent',
      recipientAccountId: o.accountId,
      serviceEventDetails: {
        jobId: o.jobId,
        jobArn: `arn:aws:s3:${o.region}:${o.accountId}:job/${o.jobId}`,
        status: o.status,
        failureCodes: [...(o.failureCodes ?? [])],
        statusChangeReason: [...(o.statusChangeReason ?? [])],
      },
    },
  };
}
