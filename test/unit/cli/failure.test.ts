import { Readable } from 'node:stream';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetBucketPolicyCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { withErrorContext } from '../../../src/cli/aws-error-context.js';
import { UsageError } from '../../../src/cli/errors.js';
import { describeFailure } from '../../../src/cli/failure.js';
import { ConfigError } from '../../../src/config/errors.js';
import { EnforceApplyError, ProtectedBucketError } from '../../../src/enforce/errors.js';

// A request handler instead of a server: the real SDK stack (middleware, deserialisers, error
// classes) runs, and the test decides what the "network" answers. No socket is opened.
type Answer = { status: number; body?: string; headers?: Record<string, string> } | { throws: Error };

function handler(answer: Answer) {
  return {
    handle: async () => {
      if ('throws' in answer) throw answer.throws;
      return {
        // The HttpResponse shape; the SDK checks it structurally.
        response: {
          statusCode: answer.status,
          headers: { 'content-type': 'application/xml', ...answer.headers },
          body: Readable.from([Buffer.from(answer.body ?? '')]),
        },
      };
    },
  };
}

const ENDPOINT = 'http://127.0.0.1:9999';
const s3With = (answer: Answer) =>
  withErrorContext(
    new S3Client({
      region: 'us-east-1',
      endpoint: ENDPOINT,
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      requestHandler: handler(answer),
    }),
    ENDPOINT,
  );
const s3Error = (code: string, message = 'x') =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

async function failureOf(client: S3Client, command: HeadObjectCommand | GetBucketPolicyCommand) {
  try {
    await client.send(command as never);
  } catch (e) {
    return describeFailure(e);
  }
  throw new Error('the call was expected to fail');
}

const network = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:9999`), { code });

describe('describeFailure for AWS calls', () => {
  it.each<[string, Answer, number, string, RegExp]>([
    [
      'a refused connection',
      { throws: network('ECONNREFUSED') },
      3,
      'aws-unreachable',
      /^cannot reach http:\/\/127\.0\.0\.1:9999 \(ECONNREFUSED\): check --endpoint-url/,
    ],
    ['an unknown host', { throws: network('ENOTFOUND') }, 3, 'aws-unreachable', /\(ENOTFOUND\)/],
    [
      'AccessDenied',
      { status: 403, body: s3Error('AccessDenied', 'Access Denied') },
      3,
      'aws-access-denied',
      /^access denied \(s3:GetBucketPolicy on bucket data\): grant s3:GetBucketPolicy/,
    ],
    [
      'a bare 403',
      { status: 403 },
      3,
      'aws-access-denied',
      /^access denied \(s3:GetBucketPolicy on bucket data\)/,
    ],
    [
      'InvalidAccessKeyId',
      {
        status: 403,
        body: s3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist'),
      },
      3,
      'aws-credentials',
      /^AWS rejected the credentials \(s3:GetBucketPolicy on bucket data\): InvalidAccessKeyId/,
    ],
    [
      'ExpiredToken',
      { status: 400, body: s3Error('ExpiredToken', 'The provided token has expired.') },
      3,
      'aws-credentials',
      /ExpiredToken - The provided token has expired\.; refresh them/,
    ],
    [
      'NoSuchBucket',
      { status: 404, body: s3Error('NoSuchBucket') },
      2,
      'input',
      /^bucket data does not exist: check --bucket/,
    ],
    [
      'PermanentRedirect',
      { status: 301, body: s3Error('PermanentRedirect', 'use the eu-west-2 endpoint') },
      2,
      'input',
      /pass --region with the bucket's Region/,
    ],
    [
      'SlowDown',
      { status: 503, body: s3Error('SlowDown') },
      3,
      'aws-unavailable',
      /^S3 kept failing \(s3:GetBucketPolicy on bucket data\) with SlowDown after 1 attempts/,
    ],
    [
      'another 4xx',
      { status: 400, body: s3Error('InvalidArgument', 'bad thing') },
      2,
      'input',
      /^S3 refused the request \(s3:GetBucketPolicy on bucket data\): InvalidArgument - bad thing$/,
    ],
  ])('classifies %s', async (_name, answer, exitCode, kind, message) => {
    // Act
    const failure = await failureOf(s3With(answer), new GetBucketPolicyCommand({ Bucket: 'data' }));
    // Assess
    expect(failure).toMatchObject({ exitCode, kind });
    expect(failure.message).toMatch(message);
    expect(failure.message).not.toContain('\n');
  });

  it('names the IAM action of HEAD (s3:GetObject) and the object', async () => {
    const failure = await failureOf(
      s3With({ status: 403 }),
      new HeadObjectCommand({ Bucket: 'data', Key: 'a/b.txt' }),
    );
    expect(failure.message).toMatch(/^access denied \(s3:GetObject on s3:\/\/data\/a\/b\.txt\)/);
  });

  it('classifies a missing KMS key as bad input naming the key', async () => {
    // Prepare
    const kms = withErrorContext(
      new KMSClient({
        region: 'us-east-1',
        endpoint: ENDPOINT,
        maxAttempts: 1,
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        requestHandler: handler({
          status: 400,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: JSON.stringify({ __type: 'NotFoundException', message: 'Key not found' }),
        }),
      }),
      ENDPOINT,
    );
    // Act
    const failure = await kms
      .send(new DescribeKeyCommand({ KeyId: 'arn:aws:kms:us-east-1:111122223333:key/k' }))
      .then(() => undefined, describeFailure);
    // Assess
    expect(failure).toMatchObject({ exitCode: 2, kind: 'input' });
    expect(failure?.message).toContain('KMS key arn:aws:kms:us-east-1:111122223333:key/k not found');
  });

  it('classifies missing credentials', () => {
    const e = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    expect(describeFailure(e)).toMatchObject({ exitCode: 3, kind: 'aws-credentials' });
    expect(describeFailure(e).message).toMatch(
      /set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY$/,
    );
  });
});

describe('describeFailure for the tool own errors', () => {
  it.each<[string, unknown, number, string]>([
    ['a usage error', new UsageError('--x is wrong'), 2, 'usage'],
    ['a configuration error', new ConfigError('AWS_MAX_ATTEMPTS must be a whole number'), 2, 'input'],
    ['a refused bucket', new ProtectedBucketError('b', ['it is a reports bucket']), 2, 'input'],
    ['a bug', new TypeError('x is undefined'), 1, 'internal'],
  ])('maps %s', (_name, error, exitCode, kind) => {
    expect(describeFailure(error)).toMatchObject({ exitCode, kind });
  });

  it('says what was already applied when a later write fails', async () => {
    // Prepare
    let cause: unknown;
    await s3With({ status: 403 })
      .send(new GetBucketPolicyCommand({ Bucket: 'data' }))
      .catch((e) => {
        cause = e;
      });
    const error = new EnforceApplyError('data', 'setting the bucket policy', ['default encryption'], {
      cause,
    });
    // Act
    const failure = describeFailure(error);
    // Assess
    expect(failure.exitCode).toBe(3);
    expect(failure.message).toMatch(
      /^access denied .*\(setting the bucket policy failed on bucket data; default encryption already applied \(re-running enforce is safe\)\)$/,
    );
  });
});
