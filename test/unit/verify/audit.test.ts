import {
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { auditBucket } from '../../../src/verify/audit.js';
import { AuditAbortedError } from '../../../src/verify/errors.js';

// Client mocks here only for what moto cannot produce on demand: HEAD refused for single objects
// (403 / 400), objects deleted between listing and HEAD, and listing failures mid-walk. The happy
// paths run against moto in test/integration/cli/verify.test.ts.
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/aaaaaaaa-12ab-34cd-56ef-1234567890ab';
const target = { keyArn: KEY, bucketKey: true };
const s3Mock = mockClient(S3Client);
const s3 = new S3Client({ region: 'us-east-1' });

afterEach(() => {
  s3Mock.reset();
});

const httpError = (status: number, name: string) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
const compliantHead = { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: KEY, BucketKeyEnabled: true };
const listing = (...keys: string[]) => ({
  Contents: keys.map((Key) => ({ Key, Size: 1 })),
  IsTruncated: false,
});

describe('auditBucket', () => {
  it('reports objects whose HEAD is refused as unreadable, and deleted ones as vanished', async () => {
    // Prepare
    s3Mock.on(ListObjectsV2Command).resolves(listing('ok', 'denied', 'sse-c', 'gone', 'plain'));
    s3Mock.on(HeadObjectCommand).resolves(compliantHead);
    s3Mock.on(HeadObjectCommand, { Key: 'denied' }).rejects(httpError(403, 'AccessDenied'));
    s3Mock.on(HeadObjectCommand, { Key: 'sse-c' }).rejects(httpError(400, 'BadRequest'));
    s3Mock.on(HeadObjectCommand, { Key: 'gone' }).rejects(httpError(404, 'NotFound'));
    s3Mock.on(HeadObjectCommand, { Key: 'plain' }).resolves({ ServerSideEncryption: 'AES256' });
    // Act
    const summary = await auditBucket({ s3 }, { bucket: 'b', allVersions: false, target, concurrency: 3 });
    // Assess
    expect(summary).toMatchObject({ checked: 4, compliant: 1, nonCompliant: 3, vanished: 1 });
    expect(summary.byReason).toEqual({ unreadable: 2, 'sse-s3': 1 });
    expect(summary.findings.map((f) => [f.key, f.reason, f.error])).toEqual([
      ['denied', 'unreadable', 'HEAD refused (HTTP 403 AccessDenied)'],
      ['sse-c', 'unreadable', 'HEAD refused (HTTP 400 BadRequest)'],
      ['plain', 'sse-s3', undefined],
    ]);
  });

  it('fails with the access error when every HEAD is refused', async () => {
    // Prepare
    s3Mock.on(ListObjectsV2Command).resolves(listing('a', 'b'));
    s3Mock.on(HeadObjectCommand).rejects(httpError(403, 'AccessDenied'));
    // Act
    const run = auditBucket({ s3 }, { bucket: 'b', allVersions: false, target, concurrency: 2 });
    // Assess
    await expect(run).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('stops on a listing failure after the HEADs in flight have settled', async () => {
    // Prepare
    s3Mock
      .on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: 'a' }], IsTruncated: true, NextContinuationToken: 't' })
      .rejectsOnce(httpError(503, 'SlowDown'));
    s3Mock.on(HeadObjectCommand).resolves(compliantHead);
    // Act
    const run = auditBucket({ s3 }, { bucket: 'b', allVersions: false, target, concurrency: 4 });
    // Assess
    await expect(run).rejects.toMatchObject({ name: 'SlowDown' });
    expect(s3Mock).toHaveReceivedCommandTimes(HeadObjectCommand, 1);
  });

  it('keeps findings in listing order whatever order the HEADs finish in', async () => {
    // Prepare
    const keys = Array.from({ length: 30 }, (_, i) => `k${String(i).padStart(2, '0')}`);
    s3Mock.on(ListObjectsV2Command).resolves(listing(...keys));
    s3Mock.on(HeadObjectCommand).callsFake(async (input: { Key: string }) => {
      await new Promise((r) => setTimeout(r, (37 * Number(input.Key.slice(1))) % 7));
      return { ServerSideEncryption: 'AES256' };
    });
    // Act
    const summary = await auditBucket({ s3 }, { bucket: 'b', allVersions: false, target, concurrency: 8 });
    // Assess
    expect(summary.findings.map((f) => f.key)).toEqual(keys);
  });

  it('walks every version page by page, HEADs each version, and counts delete markers', async () => {
    // Prepare
    s3Mock
      .on(ListObjectVersionsCommand)
      .resolvesOnce({
        Versions: [{ Key: 'a', VersionId: 'v2', IsLatest: true }],
        DeleteMarkers: [{ Key: 'b', VersionId: 'd1', IsLatest: true }],
        IsTruncated: true,
        NextKeyMarker: 'a',
        NextVersionIdMarker: 'v2',
      })
      .resolvesOnce({ Versions: [{ Key: 'a', VersionId: 'v1', IsLatest: false }], IsTruncated: false });
    s3Mock.on(HeadObjectCommand, { Key: 'a', VersionId: 'v2' }).resolves(compliantHead);
    s3Mock.on(HeadObjectCommand, { Key: 'a', VersionId: 'v1' }).resolves({});
    // Act
    const summary = await auditBucket({ s3 }, { bucket: 'b', allVersions: true, target, concurrency: 2 });
    // Assess
    expect(summary).toMatchObject({ checked: 2, compliant: 1, deleteMarkersSkipped: 1 });
    expect(summary.findings).toEqual([
      expect.objectContaining({ key: 'a', versionId: 'v1', isLatest: false, reason: 'unencrypted' }),
    ]);
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectVersionsCommand, {
      KeyMarker: 'a',
      VersionIdMarker: 'v2',
    });
  });

  it('reports listing pages, each check and the end of the listing to the observer', async () => {
    // Prepare
    const events: string[] = [];
    s3Mock
      .on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: 'a' }, { Key: 'b' }], IsTruncated: true, NextContinuationToken: 't' })
      .resolvesOnce(listing('c'));
    s3Mock.on(HeadObjectCommand).resolves(compliantHead);
    s3Mock.on(HeadObjectCommand, { Key: 'b' }).resolves({});
    // Act
    await auditBucket(
      { s3 },
      { bucket: 'b', allVersions: false, target, concurrency: 1 },
      {
        listed: (n) => events.push(`listed ${n}`),
        listingComplete: () => events.push('complete'),
        checked: (f) => events.push(f ? `not compliant ${f.key}` : 'compliant'),
      },
    );
    // Assess
    expect(events).toEqual(['listed 2', 'compliant', 'not compliant b', 'listed 1', 'compliant', 'complete']);
  });

  it('stops when interrupted and says the counts are incomplete', async () => {
    // Prepare
    const interrupt = new AbortController();
    s3Mock.on(ListObjectsV2Command).resolves(listing('a', 'b', 'c'));
    s3Mock.on(HeadObjectCommand).callsFake(async () => {
      interrupt.abort();
      return compliantHead;
    });
    // Act
    const run = auditBucket(
      { s3 },
      { bucket: 'b', allVersions: false, target, concurrency: 1, signal: interrupt.signal },
    );
    // Assess
    await expect(run).rejects.toThrow(AuditAbortedError);
    expect(s3Mock).toHaveReceivedCommandTimes(HeadObjectCommand, 1);
  });
});
