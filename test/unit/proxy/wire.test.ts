import { describe, expect, it } from 'vitest';
import { faultAnswer } from '../../support/proxy/responses.js';
import { grantHeaders, parseObjectEncryption } from '../../support/proxy/update-encryption.js';
import { endToEndHeaders } from '../../support/proxy/upstream.js';

describe('faultAnswer', () => {
  it.each([
    { kind: 'slowDown', service: 's3', style: 'slowDown', status: 503, code: 'SlowDown' },
    { kind: 'slowDown', service: 'kms', style: 'slowDown', status: 400, code: 'ThrottlingException' },
    { kind: 'internalError', service: 's3', style: 'slowDown', status: 500, code: 'InternalError' },
    { kind: 'internalError', service: 'kms', style: 'slowDown', status: 500, code: 'KMSInternalException' },
    { kind: 'kmsThrottling', service: 'kms', style: 'slowDown', status: 400, code: 'ThrottlingException' },
    { kind: 'kmsThrottling', service: 's3', style: 'slowDown', status: 503, code: 'SlowDown' },
    {
      kind: 'kmsThrottling',
      service: 's3',
      style: 'kmsThrottlingException',
      status: 400,
      code: 'KMS.ThrottlingException',
    },
    { kind: 'conflict', service: 's3', style: 'slowDown', status: 409, code: 'ConditionalRequestConflict' },
  ] as const)('$kind on $service ($style) is $status $code', ({ kind, service, style, status, code }) => {
    // Act
    const answer = faultAnswer(kind, service, style);
    // Assess
    expect(answer).toMatchObject({ status, code });
  });
});

describe('parseObjectEncryption', () => {
  it('reads the SSE-KMS key ARN and the Bucket Key flag', () => {
    // Prepare
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><ObjectEncryption xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      '<SSE-KMS><KMSKeyArn>arn:aws:kms:us-east-1:123456789012:key/k-1</KMSKeyArn>' +
      '<BucketKeyEnabled>true</BucketKeyEnabled></SSE-KMS></ObjectEncryption>';
    // Act + Assess
    expect(parseObjectEncryption(xml)).toEqual({
      keyArn: 'arn:aws:kms:us-east-1:123456789012:key/k-1',
      bucketKeyEnabled: true,
    });
  });

  it('defaults the Bucket Key flag to false and rejects a document without SSE-KMS', () => {
    // Act + Assess
    expect(
      parseObjectEncryption(
        '<ObjectEncryption><SSE-KMS><KMSKeyArn>a</KMSKeyArn></SSE-KMS></ObjectEncryption>',
      ),
    ).toEqual({ keyArn: 'a', bucketKeyEnabled: false });
    expect(parseObjectEncryption('<ObjectEncryption><SSE-S3/></ObjectEncryption>')).toBeUndefined();
  });
});

describe('grantHeaders', () => {
  it('turns an ACL document into x-amz-grant-* headers', () => {
    // Prepare
    const xml =
      '<AccessControlPolicy><Owner><ID>owner</ID></Owner><AccessControlList>' +
      '<Grant><Grantee xsi:type="CanonicalUser"><ID>owner</ID><DisplayName>o</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant>' +
      '<Grant><Grantee xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>' +
      '<Grant><Grantee xsi:type="CanonicalUser"><ID>other</ID></Grantee><Permission>READ</Permission></Grant>' +
      '<Grant><Grantee xsi:type="CanonicalUser"><ID>auditor</ID></Grantee><Permission>READ_ACP</Permission></Grant>' +
      '</AccessControlList></AccessControlPolicy>';
    // Act + Assess
    expect(grantHeaders(xml)).toEqual({
      'x-amz-grant-full-control': 'id="owner"',
      'x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/AllUsers", id="other"',
      'x-amz-grant-read-acp': 'id="auditor"',
    });
  });
});

describe('endToEndHeaders', () => {
  it('keeps end-to-end headers as sent (case, repeats) and drops hop-by-hop ones', () => {
    // Prepare
    const raw = [
      'Host',
      'proxy:1',
      'Connection',
      'keep-alive',
      'Expect',
      '100-continue',
      'X-Amz-Meta-A',
      '1',
      'x-amz-meta-a',
      '2',
      'Transfer-Encoding',
      'chunked',
      'Authorization',
      'AWS4-HMAC-SHA256 ...',
    ];
    // Act + Assess
    expect(endToEndHeaders(raw)).toEqual([
      'Host',
      'proxy:1',
      'X-Amz-Meta-A',
      '1',
      'x-amz-meta-a',
      '2',
      'Transfer-Encoding',
      'chunked',
      'Authorization',
      'AWS4-HMAC-SHA256 ...',
    ]);
  });
});
