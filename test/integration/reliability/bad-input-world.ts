/**
 * The world the bad-input corpus runs in: versioned buckets (any write shows as a new version id, whatever
 * moto does with ETags and dates) holding unencrypted objects that a valid input would re-encrypt, and a
 * snapshot of every version in all of them, taken after a case's fixtures are written and again after it ran.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { expect } from 'vitest';
import type { BatchJobs, CreateJobRequest, JobDescription } from '../../../src/jobs/port.js';
import type { Notification, Notifier } from '../../../src/notify/port.js';
import type { World } from '../../helpers/bad-input/types.js';
import { motoClients, newBucket, newKmsKey } from '../../support/aws.js';
import { seedObjects, versionsOf } from './rig.js';

export interface BadInputWorld extends World {
  readonly s3: S3Client;
  readonly inventoryBucket: string;
  /** Manifests, plan.json, summaries. */
  readonly workBucket: string;
  readonly reportsBucket: string;
  readonly buckets: readonly string[];
}

export const DATA_KEYS = ['photos/cat.jpg', 'photos/dog.jpg'] as const;

export async function badInputWorld(): Promise<BadInputWorld> {
  const { s3, kms } = motoClients();
  const [dataBucket, inventoryBucket, workBucket, reportsBucket, targetKeyArn] = await Promise.all([
    newBucket(s3, { prefix: 'data', versioned: true }),
    newBucket(s3, { prefix: 'inv', versioned: true }),
    newBucket(s3, { prefix: 'work', versioned: true }),
    newBucket(s3, { prefix: 'reports', versioned: true }),
    newKmsKey(kms, 'bad-input target'),
  ]);
  await seedObjects(s3, dataBucket, DATA_KEYS);
  return {
    s3,
    dataBucket,
    dataKey: DATA_KEYS[0],
    targetKeyArn,
    inventoryBucket,
    workBucket,
    reportsBucket,
    buckets: [dataBucket, inventoryBucket, workBucket, reportsBucket],
  };
}

export type Snapshot = Readonly<Record<string, readonly string[]>>;

/** Every object version and delete marker of every bucket of the world. */
export async function snapshot(w: BadInputWorld): Promise<Snapshot> {
  const lists = await Promise.all(w.buckets.map((b) => versionsOf(w.s3, b)));
  return Object.fromEntries(w.buckets.map((b, i) => [b, lists[i]!]));
}

/** Nothing was created, replaced or deleted in any bucket since `before`. */
export async function expectUnchanged(w: BadInputWorld, before: Snapshot): Promise<void> {
  expect(await snapshot(w)).toEqual(before);
}

/**
 * The Batch port as a recorder: a case passes only if nothing asked for a job. Any job it is asked about
 * is described as Complete, so the completion-report use case would go as far as creating retry jobs.
 */
export class RecordingBatchJobs implements BatchJobs {
  readonly created: CreateJobRequest[] = [];
  async create(request: CreateJobRequest) {
    this.created.push(request);
    return { jobId: `recorded-${this.created.length}` };
  }
  async describe(_accountId: string, jobId: string): Promise<JobDescription> {
    return {
      jobId,
      status: 'Complete',
      progress: { totalTasks: 2, succeeded: 1, failed: 1 },
      failureReasons: [],
    };
  }
  list(): never {
    throw new Error('not expected');
  }
  cancel(): never {
    throw new Error('not expected');
  }
  confirm(): never {
    throw new Error('not expected');
  }
}

export class RecordingNotifier implements Notifier {
  readonly published: Notification[] = [];
  async publish(n: Notification) {
    this.published.push(n);
    return { messageId: `m-${this.published.length}` };
  }
}

/** The error a promise rejects with (undefined when it resolves), for assertions on class and message. */
export const rejection = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );
