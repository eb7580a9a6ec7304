import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FaultKind } from './faults.js';
import type { Service } from './operations.js';

/**
 * How an S3 request fails when S3 itself is throttled by KMS. A real S3 answer seen in the wild
 * (aws-samples/cql-replicator#92, 2024: "Please reduce your request rate for operations involving AWS KMS.
 * (Service: Amazon S3; Status Code: 503; Error Code: SlowDown)") is a `503 SlowDown`, the default here.
 * `kmsThrottlingException` sends `400 KMS.ThrottlingException` instead, the shape S3 uses for other KMS
 * errors (`KMS.NotFoundException`, aws-facts §6.4): the SDK does not retry it by itself, so it checks that
 * the pipeline classifies it as retryable. aws-facts §6.4 marks the real shape UNCONFIRMED: test both.
 */
export type KmsThrottlingOnS3 = 'slowDown' | 'kmsThrottlingException';

export interface ErrorAnswer {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** Extra XML elements (S3) such as `Condition`, or extra headers. */
  readonly extra?: Readonly<Record<string, string>>;
}

const xmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const requestId = (): string => randomBytes(8).toString('hex').toUpperCase();

/** Answers with an S3 XML error document, as S3 does (no body on HEAD: the SDK then goes by the status). */
export function sendS3Error(res: ServerResponse, method: string, answer: ErrorAnswer): void {
  const id = requestId();
  const extra = Object.entries(answer.extra ?? {})
    .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
    .join('');
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${xmlEscape(answer.code)}</Code><Message>${xmlEscape(answer.message)}</Message>${extra}` +
    `<RequestId>${id}</RequestId><HostId>s3-proxy</HostId></Error>`;
  const headers: Record<string, string> = {
    'content-type': 'application/xml',
    'x-amz-request-id': id,
    'x-amz-id-2': 's3-proxy',
  };
  if (method === 'HEAD') {
    res.writeHead(answer.status, headers).end();
    return;
  }
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(answer.status, headers).end(body);
}

/** Answers with an AWS JSON 1.1 error, as KMS does. */
export function sendJsonError(res: ServerResponse, answer: ErrorAnswer): void {
  const body = JSON.stringify({ __type: answer.code, message: answer.message });
  res
    .writeHead(answer.status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': String(Buffer.byteLength(body)),
      'x-amzn-requestid': requestId(),
    })
    .end(body);
}

export const preconditionFailed = (condition: string): ErrorAnswer => ({
  status: 412,
  code: 'PreconditionFailed',
  message: 'At least one of the pre-conditions you specified did not hold',
  extra: { Condition: condition },
});

export const noSuchKey = (key: string): ErrorAnswer => ({
  status: 404,
  code: 'NoSuchKey',
  message: 'The specified key does not exist.',
  extra: { Key: key },
});

/** The error document a terminal fault produces for a request of the given service. */
export function faultAnswer(
  kind: Exclude<FaultKind, 'delay' | 'connectionReset'>,
  service: Service,
  kmsThrottlingOnS3: KmsThrottlingOnS3,
): ErrorAnswer {
  const json = service === 'kms';
  switch (kind) {
    case 'slowDown':
      return json
        ? { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' }
        : { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' };
    case 'internalError':
      return json
        ? { status: 500, code: 'KMSInternalException', message: 'Internal failure (injected by s3-proxy)' }
        : {
            status: 500,
            code: 'InternalError',
            message: 'We encountered an internal error. Please try again.',
          };
    case 'kmsThrottling':
      if (json) return { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' };
      return kmsThrottlingOnS3 === 'slowDown'
        ? {
            status: 503,
            code: 'SlowDown',
            message: 'Please reduce your request rate for operations involving AWS KMS.',
          }
        : {
            status: 400,
            code: 'KMS.ThrottlingException',
            message:
              'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.',
          };
    case 'conflict':
      return {
        status: 409,
        code: 'ConditionalRequestConflict',
        message: 'A conflicting operation occurred. If using PutObject you can retry the request.',
      };
  }
}

/** Sends an error in the wire format of the request's service (JSON for KMS, XML otherwise). */
export function sendError(res: ServerResponse, service: Service, method: string, answer: ErrorAnswer): void {
  if (service === 'kms') sendJsonError(res, answer);
  else sendS3Error(res, method, answer);
}
