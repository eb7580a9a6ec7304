import { describe, expect, it } from 'vitest';
import {
  type Decision,
  decideRoute,
  isArchivedUnrestored,
  isCompliant,
  type RouteContext,
} from '../../../src/reencrypt/route.js';
import { type JobSettings, SINGLE_COPY_LIMIT_BYTES } from '../../../src/reencrypt/types.js';
import { objectSnapshot } from '../../helpers/objects.js';
import { OTHER_KEY_ARN, TARGET_KEY_ARN } from './support/events.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const FUTURE = new Date('2027-01-01T00:00:00Z');
const PAST = new Date('2026-01-01T00:00:00Z');

const settings = (over: Partial<JobSettings> = {}): JobSettings => ({
  target: { keyArn: TARGET_KEY_ARN, bucketKey: true },
  strategy: 'auto',
  hints: false,
  multipartThresholdBytes: SINGLE_COPY_LIMIT_BYTES,
  deletePriorVersion: false,
  ...over,
});
const ctx = (over: Partial<RouteContext> = {}): RouteContext => ({ settings: settings(), now: NOW, ...over });

const sseS3 = objectSnapshot();
const kmsOther = objectSnapshot({
  encryption: { algorithm: 'aws:kms', kmsKeyArn: OTHER_KEY_ARN, bucketKeyEnabled: true },
});
const compliant = objectSnapshot({
  encryption: { algorithm: 'aws:kms', kmsKeyArn: TARGET_KEY_ARN, bucketKeyEnabled: true },
});
const wrongBucketKey = objectSnapshot({
  encryption: { algorithm: 'aws:kms', kmsKeyArn: TARGET_KEY_ARN, bucketKeyEnabled: false },
});
const none = objectSnapshot({ encryption: { algorithm: 'NONE', bucketKeyEnabled: false } });
const sseC = objectSnapshot({ encryption: { algorithm: 'SSE-C', bucketKeyEnabled: false } });
const dsse = objectSnapshot({
  encryption: { algorithm: 'aws:kms:dsse', kmsKeyArn: OTHER_KEY_ARN, bucketKeyEnabled: false },
});
const legalHold = objectSnapshot({ objectLock: { legalHold: 'ON' } });
const retained = objectSnapshot({ objectLock: { mode: 'GOVERNANCE', retainUntil: FUTURE } });
const expiredRetention = objectSnapshot({
  objectLock: { mode: 'COMPLIANCE', retainUntil: PAST, legalHold: 'OFF' },
});
const noncurrentSse = objectSnapshot({ isLatest: false, versionId: 'v1' });
const noncurrentNone = objectSnapshot({
  isLatest: false,
  versionId: 'v1',
  encryption: { algorithm: 'NONE', bucketKeyEnabled: false },
});
const glacierNone = objectSnapshot({
  storageClass: 'GLACIER',
  encryption: { algorithm: 'NONE', bucketKeyEnabled: false },
});
const glacierRestored = objectSnapshot({
  storageClass: 'GLACIER',
  encryption: { algorithm: 'NONE', bucketKeyEnabled: false },
  restore: 'ongoing-request="false", expiry-date="Fri, 21 Dec 2029 00:00:00 GMT"',
});
const glacierSse = objectSnapshot({ storageClass: 'DEEP_ARCHIVE' });
const itArchive = objectSnapshot({ storageClass: 'INTELLIGENT_TIERING', archiveStatus: 'ARCHIVE_ACCESS' });
const big = objectSnapshot({ size: SINGLE_COPY_LIMIT_BYTES + 1 });
const atLimit = objectSnapshot({ size: SINGLE_COPY_LIMIT_BYTES });

const disabled: Partial<RouteContext> = { updateUnavailable: 'endpoint-disabled' };

describe('decideRoute', () => {
  it.each<[string, ReturnType<typeof objectSnapshot>, Partial<RouteContext>, Decision['route'], string?]>([
    ['a compliant object', compliant, {}, 'skip'],
    ['a compliant noncurrent version', { ...compliant, isLatest: false }, {}, 'skip'],
    ['a compliant object even when the update route is off', compliant, disabled, 'skip'],
    ['SSE-S3', sseS3, {}, 'update'],
    ['SSE-KMS under another key', kmsOther, {}, 'update'],
    ['the target key with the wrong Bucket Key state', wrongBucketKey, {}, 'update'],
    ['an SSE-S3 noncurrent version', noncurrentSse, {}, 'update'],
    ['an archived SSE-S3 object (update needs no restore)', glacierSse, {}, 'update'],
    ['an SSE-S3 object whose retention has expired', expiredRetention, {}, 'update'],
    ['an unencrypted object', none, {}, 'copy'],
    ['SSE-S3 with the update route off', sseS3, disabled, 'copy'],
    [
      'SSE-S3 after the endpoint said NotImplemented',
      sseS3,
      { updateUnavailable: 'endpoint-unsupported' },
      'copy',
    ],
    ['SSE-S3 whose update was refused', sseS3, { updateUnavailable: 'refused' }, 'copy'],
    ['SSE-S3 under legal hold', legalHold, {}, 'copy'],
    ['SSE-S3 under retention', retained, {}, 'copy'],
    ['SSE-S3 with strategy=copy', sseS3, { settings: settings({ strategy: 'copy' }) }, 'copy'],
    ['a restored archived unencrypted object', glacierRestored, {}, 'copy'],
    ['an object at exactly 5 GiB', atLimit, disabled, 'copy'],
    ['an object above 5 GiB', big, disabled, 'multipart'],
    [
      'an object above a lowered threshold',
      objectSnapshot({ size: 101 }),
      { ...disabled, settings: settings({ multipartThresholdBytes: 100 }) },
      'multipart',
    ],
    [
      'an object above 5 GiB with a higher threshold',
      big,
      { ...disabled, settings: settings({ multipartThresholdBytes: 2 * SINGLE_COPY_LIMIT_BYTES }) },
      'multipart',
    ],
    ['SSE-C', sseC, {}, 'blocked', 'sse-c'],
    ['DSSE-KMS', dsse, {}, 'blocked', 'dsse-kms'],
    ['an unrestored archived unencrypted object', glacierNone, {}, 'blocked', 'archived-restore-first'],
    [
      'an archived SSE-S3 object with the update route off',
      glacierSse,
      disabled,
      'blocked',
      'archived-restore-first',
    ],
    [
      'an Intelligent-Tiering archive-tier object without update',
      itArchive,
      disabled,
      'blocked',
      'archived-restore-first',
    ],
    ['a noncurrent unencrypted version', noncurrentNone, {}, 'blocked', 'noncurrent-unencrypted'],
    ['a noncurrent SSE-S3 version without update', noncurrentSse, disabled, 'blocked', 'noncurrent-version'],
    [
      'a noncurrent SSE-S3 version with strategy=copy',
      noncurrentSse,
      { settings: settings({ strategy: 'copy' }) },
      'blocked',
      'noncurrent-version',
    ],
    ['a noncurrent locked version', { ...legalHold, isLatest: false }, {}, 'blocked', 'object-locked'],
    [
      'an unencrypted object with strategy=update',
      none,
      { settings: settings({ strategy: 'update' }) },
      'blocked',
      'route-not-allowed',
    ],
    [
      'SSE-S3 with strategy=update and no update route',
      sseS3,
      { ...disabled, settings: settings({ strategy: 'update' }) },
      'blocked',
      'route-not-allowed',
    ],
    [
      'a locked object with strategy=update',
      retained,
      { settings: settings({ strategy: 'update' }) },
      'blocked',
      'object-locked',
    ],
  ])('routes %s to %s', (_label, snapshot, over, route, cause) => {
    // Act
    const d = decideRoute(snapshot, ctx(over));
    // Assess
    expect(d.route).toBe(route);
    if (d.route === 'blocked') {
      expect(d.cause).toBe(cause);
      expect(d.reason.length).toBeGreaterThan(10);
    }
  });
});

describe('isCompliant', () => {
  it('accepts the bare key id HEAD may show for the target key', () => {
    const s = objectSnapshot({
      encryption: {
        algorithm: 'aws:kms',
        kmsKeyArn: '1111aaaa-2222-bbbb-3333-cccc4444dddd',
        bucketKeyEnabled: true,
      },
    });
    expect(isCompliant(s, { keyArn: TARGET_KEY_ARN, bucketKey: true })).toBe(true);
  });

  it('rejects the same key id in another account’s ARN', () => {
    const s = objectSnapshot({
      encryption: {
        algorithm: 'aws:kms',
        kmsKeyArn: 'arn:aws:kms:us-east-1:444455556666:key/1111aaaa-2222-bbbb-3333-cccc4444dddd',
        bucketKeyEnabled: true,
      },
    });
    expect(isCompliant(s, { keyArn: TARGET_KEY_ARN, bucketKey: true })).toBe(false);
  });
});

describe('isArchivedUnrestored', () => {
  it('treats a restore in progress as not restored', () => {
    expect(isArchivedUnrestored({ ...glacierNone, restore: 'ongoing-request="true"' })).toBe(true);
  });
});
