/**
 * Copy and multipart routes against a client mock, for what moto cannot show: it ignores the copy
 * preconditions (testing.md), so precondition failures and the fresh look after them are pinned here.
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetBucketOwnershipControlsCommand,
  GetObjectAclCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectAclCommand,
  UpdateObjectEncryptionCommand,
} from '@aws-sdk/client-s3';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MultipartCopier, MultipartCopyRequest } from '../../../src/reencrypt/types.js';
import { s3Error } from './support/errors.js';
import { eventV2, lambdaContext, TARGET_KEY_ARN } from './support/events.js';
import { aclsDisabled, handlerUnderTest, heads, only, results, s3mock } from './support/handler.js';

const args = { targetKeyArn: TARGET_KEY_ARN };
const ctx = lambdaContext();
const copyOnly = { updateRoute: 'disabled' } as const;

beforeEach(() => {
  s3mock.reset();
  aclsDisabled();
  s3mock.on(CopyObjectCommand).resolves({ CopyObjectResult: { ETag: '"new"' } });
});

describe('copy route', () => {
  it('copies in place conditioned twice on the ETag seen', async () => {
    // Prepare
    s3mock.on(HeadObjectCommand).resolves({ ...heads.none, StorageClass: 'ONEZONE_IA' });
    const { handler } = handlerUnderTest();
    // Act
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], args), ctx);
    // Assess
    expect(s3mock).toHaveReceivedCommandWith(CopyObjectCommand, {
      Bucket: 'data',
      Key: 'k',
      CopySource: 'data/k',
      CopySourceIfMatch: '"e-none"',
      IfMatch: '"e-none"',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: TARGET_KEY_ARN,
      BucketKeyEnabled: true,
      StorageClass: 'ONEZONE_IA',
    });
    expect(only(r)).toEqual({
      code: 'Succeeded',
      result: { route: 'copy', bytes: 11, source: 'NONE', ms: 0 },
    });
  });

  it('looks again after a failed precondition and copies what it then finds', async () => {
    // Prepare: the object is overwritten between the look and the copy
    s3mock
      .on(HeadObjectCommand)
      .resolvesOnce(heads.none)
      .resolves({ ...heads.none, ETag: '"e-newer"' });
    s3mock
      .on(CopyObjectCommand)
      .rejectsOnce(s3Error('PreconditionFailed', 412))
      .resolves({ CopyObjectResult: { ETag: '"new"' } });
    const { handler } = handlerUnderTest(copyOnly);
    // Act
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], args), ctx);
    // Assess
    expect(s3mock).toHaveReceivedCommandTimes(HeadObjectCommand, 2);
    expect(s3mock).toHaveReceivedNthCommandWith(CopyObjectCommand, 2, {
      CopySourceIfMatch: '"e-newer"',
      IfMatch: '"e-newer"',
    });
    expect(only(r)).toMatchObject({ code: 'Succeeded', result: { route: 'copy' } });
  });

  it('skips when the fresh look finds the object already compliant', async () => {
    s3mock.on(HeadObjectCommand).resolvesOnce(heads.sseS3).resolves(heads.compliant);
    s3mock.on(CopyObjectCommand).rejects(s3Error('ConditionalRequestConflict', 409));
    const { handler } = handlerUnderTest(copyOnly);
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], args), ctx);
    expect(s3mock).toHaveReceivedCommandTimes(CopyObjectCommand, 1);
    expect(only(r)).toMatchObject({ code: 'Succeeded', result: { route: 'skip' } });
  });

  it('answers TemporaryFailure when the object changes again, never forcing the write', async () => {
    s3mock.on(HeadObjectCommand).resolves(heads.none);
    s3mock.on(CopyObjectCommand).rejects(s3Error('PreconditionFailed', 412));
    const { handler, metrics } = handlerUnderTest(copyOnly);
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], args), ctx);
    expect(s3mock).toHaveReceivedCommandTimes(CopyObjectCommand, 2);
    expect(only(r)).toMatchObject({
      code: 'TemporaryFailure',
      result: { route: 'copy', cause: 'precondition-failed' },
    });
    expect(metrics.sum('TaskRetries', { Cause: 'precondition-failed' })).toBe(1);
  });

  it('never writes a compliant object', async () => {
    s3mock.on(HeadObjectCommand).resolves(heads.compliant);
    const { handler, metrics } = handlerUnderTest();
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], args), ctx);
    expect(s3mock.calls().map((c) => c.args[0].constructor.name)).toEqual(['HeadObjectCommand']);
    expect(only(r)).toEqual({
      code: 'Succeeded',
      result: { route: 'skip', bytes: 13, source: 'aws:kms', ms: 0 },
    });
    expect(metrics.sum('ObjectsProcessed', { Route: 'skip' })).toBe(1);
  });

  it('does not start a copy that may outlast the invocation; a redrive gets a fresh one', async () => {
    // Prepare: 5 GiB with 60 s left (a copy that large is budgeted at 25 MiB/s)
    s3mock.on(HeadObjectCommand).resolves({ ...heads.none, ContentLength: 5 * 1024 ** 3 });
    const { handler } = handlerUnderTest({ ...copyOnly, deadlineMarginMs: 10_000 });
    // Act
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], args), lambdaContext(60_000));
    // Assess
    expect(only(r)).toMatchObject({ code: 'TemporaryFailure', result: { route: 'copy', cause: 'deadline' } });
    expect(s3mock).not.toHaveReceivedCommand(CopyObjectCommand);
  });

  it('copies the current version pinned by id when the bucket is versioned', async () => {
    s3mock.on(HeadObjectCommand).resolves({ ...heads.none, VersionId: 'v2' });
    s3mock.on(CopyObjectCommand).resolves({ VersionId: 'v3', CopyObjectResult: { ETag: '"new"' } });
    const { handler } = handlerUnderTest(copyOnly);
    const r = await handler(eventV2([{ bucket: 'data', key: 'k', versionId: 'v2' }], args), ctx);
    expect(s3mock).toHaveReceivedCommandWith(CopyObjectCommand, { CopySource: 'data/k?versionId=v2' });
    expect(only(r).result).toMatchObject({ route: 'copy', versionId: 'v3' });
  });
});

describe('ACL grants', () => {
  const grants = {
    Owner: { ID: 'owner' },
    Grants: [
      { Grantee: { Type: 'CanonicalUser' as const, ID: 'owner' }, Permission: 'FULL_CONTROL' as const },
      {
        Grantee: { Type: 'Group' as const, URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
        Permission: 'READ' as const,
      },
    ],
  };

  it('asks each bucket’s ownership controls once per container and carries grants in the copy', async () => {
    // Prepare
    s3mock.on(GetBucketOwnershipControlsCommand).rejects(s3Error('OwnershipControlsNotFoundError', 404));
    s3mock.on(HeadObjectCommand).resolves(heads.none);
    s3mock.on(GetObjectAclCommand).resolves(grants);
    const { handler } = handlerUnderTest(copyOnly);
    // Act
    await handler(
      eventV2(
        [
          { bucket: 'data', key: 'a' },
          { bucket: 'data', key: 'b' },
        ],
        args,
      ),
      ctx,
    );
    await handler(eventV2([{ bucket: 'data', key: 'c' }], args), ctx);
    // Assess
    expect(s3mock).toHaveReceivedCommandTimes(GetBucketOwnershipControlsCommand, 1);
    expect(s3mock).toHaveReceivedCommandTimes(GetObjectAclCommand, 3);
    expect(s3mock).toHaveReceivedCommandWith(CopyObjectCommand, {
      Key: 'a',
      GrantFullControl: 'id="owner"',
      GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AllUsers"',
    });
    expect(s3mock).not.toHaveReceivedCommand(PutObjectAclCommand);
  });

  it('reads no ACL where the bucket owner enforces ownership', async () => {
    s3mock.on(HeadObjectCommand).resolves(heads.none);
    const { handler } = handlerUnderTest(copyOnly);
    await handler(eventV2([{ bucket: 'data', key: 'a' }], args), ctx);
    expect(s3mock).not.toHaveReceivedCommand(GetObjectAclCommand);
    expect(s3mock.commandCalls(CopyObjectCommand)[0]!.args[0].input).not.toHaveProperty('GrantFullControl');
  });

  it('re-applies a WRITE grant with PutObjectAcl on the new version', async () => {
    s3mock
      .on(GetBucketOwnershipControlsCommand)
      .resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } });
    s3mock.on(HeadObjectCommand).resolves({ ...heads.none, VersionId: 'v1' });
    s3mock.on(GetObjectAclCommand).resolves({
      Grants: [...grants.Grants, { Grantee: { Type: 'CanonicalUser', ID: 'friend' }, Permission: 'WRITE' }],
    });
    s3mock.on(CopyObjectCommand).resolves({ VersionId: 'v2' });
    const { handler } = handlerUnderTest(copyOnly);
    await handler(eventV2([{ bucket: 'data', key: 'a' }], args), ctx);
    expect(s3mock).toHaveReceivedCommandWith(PutObjectAclCommand, {
      Bucket: 'data',
      Key: 'a',
      VersionId: 'v2',
      GrantFullControl: 'id="owner"',
      GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AllUsers"',
      GrantWrite: 'id="friend"',
    });
  });
});

describe('deletePriorVersion', () => {
  const deleting = { ...args, deletePriorVersion: 'true' };

  it('deletes the replaced version once the new one shows the target key', async () => {
    // Prepare
    s3mock.on(HeadObjectCommand).resolves({ ...heads.none, VersionId: 'v1' });
    s3mock.on(HeadObjectCommand, { VersionId: 'v2' }).resolves({ ...heads.compliant, VersionId: 'v2' });
    s3mock.on(CopyObjectCommand).resolves({ VersionId: 'v2' });
    s3mock.on(DeleteObjectCommand).resolves({});
    const { handler } = handlerUnderTest(copyOnly);
    // Act
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], deleting), ctx);
    // Assess
    expect(s3mock).toHaveReceivedCommandWith(DeleteObjectCommand, {
      Bucket: 'data',
      Key: 'k',
      VersionId: 'v1',
    });
    expect(only(r).result).toMatchObject({ route: 'copy', versionId: 'v2', deletedPrior: true });
  });

  it('keeps the replaced version when the new one does not verify', async () => {
    s3mock.on(HeadObjectCommand).resolves({ ...heads.none, VersionId: 'v1' });
    s3mock.on(HeadObjectCommand, { VersionId: 'v2' }).resolves({ ...heads.sseS3, VersionId: 'v2' });
    s3mock.on(CopyObjectCommand).resolves({ VersionId: 'v2' });
    const { handler } = handlerUnderTest(copyOnly);
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], deleting), ctx);
    expect(s3mock).not.toHaveReceivedCommand(DeleteObjectCommand);
    expect(only(r)).toMatchObject({
      code: 'Succeeded',
      result: { reason: expect.stringContaining('prior version kept') },
    });
  });

  it('keeps a replaced version that is still under retention', async () => {
    const until = new Date('2030-01-01T00:00:00Z');
    s3mock.on(HeadObjectCommand).resolves({
      ...heads.none,
      VersionId: 'v1',
      ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: until,
    });
    s3mock.on(CopyObjectCommand).resolves({ VersionId: 'v2' });
    const { handler } = handlerUnderTest(copyOnly);
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], deleting), ctx);
    expect(s3mock).not.toHaveReceivedCommand(DeleteObjectCommand);
    expect(only(r).result.reason).toContain('Object Lock');
  });
});

describe('multipart route', () => {
  const big = { ...heads.none, ContentLength: 200 };
  const lowThreshold = { ...args, multipartThresholdBytes: '100' };

  it('fails with multipart-required when no multipart copier is configured', async () => {
    s3mock.on(HeadObjectCommand).resolves(big);
    const { handler } = handlerUnderTest(copyOnly);
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], lowThreshold), ctx);
    expect(only(r)).toMatchObject({
      code: 'PermanentFailure',
      result: { route: 'multipart', cause: 'multipart-required', bytes: 200 },
    });
    expect(s3mock).not.toHaveReceivedCommand(CopyObjectCommand);
  });

  it('hands the copier the snapshot with tags and grants, the target and the time left', async () => {
    // Prepare
    s3mock.on(HeadObjectCommand).resolves({ ...big, StorageClass: 'STANDARD_IA' });
    s3mock.on(GetObjectTaggingCommand).resolves({ TagSet: [{ Key: 't', Value: '1' }] });
    const copy = vi.fn<MultipartCopier['copy']>().mockResolvedValue({
      status: 'completed',
      etag: '"m-2"',
      versionId: 'v9',
      parts: 2,
      invocations: 1,
    });
    const { handler } = handlerUnderTest(copyOnly, { multipart: { copy } });
    // Act
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], lowThreshold), lambdaContext(123_456));
    // Assess
    const req = copy.mock.calls[0]![0] as MultipartCopyRequest;
    expect(req.snapshot).toMatchObject({
      key: 'k',
      size: 200,
      storageClass: 'STANDARD_IA',
      tags: [{ Key: 't', Value: '1' }],
    });
    expect(req.target).toEqual({ keyArn: TARGET_KEY_ARN, bucketKey: true });
    expect(req.remainingMs()).toBe(123_456);
    expect(only(r)).toMatchObject({
      code: 'Succeeded',
      result: { route: 'multipart', parts: 2, invocations: 1, versionId: 'v9' },
    });
  });

  it('re-applies ACL grants on the version the copier completed', async () => {
    // Prepare
    s3mock
      .on(GetBucketOwnershipControlsCommand)
      .resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } });
    s3mock.on(HeadObjectCommand).resolves(big);
    s3mock.on(GetObjectTaggingCommand).resolves({ TagSet: [] });
    s3mock.on(GetObjectAclCommand).resolves({
      Grants: [
        {
          Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
          Permission: 'READ',
        },
      ],
    });
    const copy = vi
      .fn<MultipartCopier['copy']>()
      .mockResolvedValue({ status: 'completed', etag: '"m"', versionId: 'v7', parts: 2, invocations: 1 });
    const { handler } = handlerUnderTest(copyOnly, { multipart: { copy } });
    // Act
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], lowThreshold), ctx);
    // Assess
    expect(s3mock).toHaveReceivedCommandWith(PutObjectAclCommand, {
      Bucket: 'data',
      Key: 'k',
      VersionId: 'v7',
      GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AllUsers"',
    });
    expect(only(r).code).toBe('Succeeded');
  });

  it('fails permanently, saying so, when the grants cannot be re-applied (a redrive would skip the object)', async () => {
    s3mock
      .on(GetBucketOwnershipControlsCommand)
      .resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } });
    s3mock.on(HeadObjectCommand).resolves(big);
    s3mock.on(GetObjectTaggingCommand).resolves({ TagSet: [] });
    s3mock
      .on(GetObjectAclCommand)
      .resolves({ Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'o' }, Permission: 'FULL_CONTROL' }] });
    s3mock.on(PutObjectAclCommand).rejects(s3Error('AccessDenied', 403));
    const copy = vi
      .fn<MultipartCopier['copy']>()
      .mockResolvedValue({ status: 'completed', etag: '"m"', parts: 2, invocations: 1 });
    const { handler } = handlerUnderTest(copyOnly, { multipart: { copy } });
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], lowThreshold), ctx);
    expect(only(r)).toMatchObject({
      code: 'PermanentFailure',
      result: { route: 'multipart', cause: 'access-denied' },
    });
    expect(only(r).result.reason).toContain('ACL grants could not be re-applied');
  });

  it('answers TemporaryFailure when the copier suspends before the deadline', async () => {
    s3mock.on(HeadObjectCommand).resolves(big);
    s3mock.on(GetObjectTaggingCommand).resolves({ TagSet: [] });
    const copy = vi
      .fn<MultipartCopier['copy']>()
      .mockResolvedValue({ status: 'suspended', partsDone: 3, partsTotal: 9, invocations: 1 });
    const { handler } = handlerUnderTest(copyOnly, { multipart: { copy } });
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], lowThreshold), ctx);
    expect(only(r)).toMatchObject({
      code: 'TemporaryFailure',
      result: { route: 'multipart', cause: 'deadline' },
    });
    expect(only(r).result.reason).toContain('3/9');
  });

  it('looks again when the copier reports a failed precondition', async () => {
    s3mock.on(HeadObjectCommand).resolvesOnce(big).resolves(heads.compliant);
    s3mock.on(GetObjectTaggingCommand).resolves({ TagSet: [] });
    const copy = vi.fn<MultipartCopier['copy']>().mockRejectedValue(s3Error('PreconditionFailed', 412));
    const { handler } = handlerUnderTest(copyOnly, { multipart: { copy } });
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], lowThreshold), ctx);
    expect(copy).toHaveBeenCalledTimes(1);
    expect(only(r).result.route).toBe('skip');
  });

  it('uses the update route for large SSE-S3 objects (no size limit there)', async () => {
    s3mock.on(HeadObjectCommand).resolves({ ...heads.sseS3, ContentLength: 10 * 1024 ** 4 });
    s3mock.on(UpdateObjectEncryptionCommand).resolves({});
    const { handler } = handlerUnderTest();
    const r = await handler(eventV2([{ bucket: 'data', key: 'k' }], args), ctx);
    expect(results(r)[0]!.result).toMatchObject({ route: 'update', bytes: 10 * 1024 ** 4 });
  });
});
