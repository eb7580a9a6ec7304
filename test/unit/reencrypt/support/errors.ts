import { S3ServiceException } from '@aws-sdk/client-s3';

/** An error shaped like the SDK's for an S3 answer with this code and status. */
export function s3Error(code: string, status: number, message = `${code} from S3`): S3ServiceException {
  return new S3ServiceException({
    name: code,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });
}

/** What the SDK throws for a HEAD error: no body, so no code, only the status. */
export function headError(status: number): S3ServiceException {
  return new S3ServiceException({
    name: status === 404 ? 'NotFound' : 'Unknown',
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: 'UnknownError',
  });
}

/** A socket-level failure as Node's http module reports it. */
export function networkError(code: string, message = `${code} on socket`): Error {
  return Object.assign(new Error(message), { code });
}
