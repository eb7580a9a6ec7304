import { ConfigError } from '../config/errors.js';
import { CostError, UnknownRegionError } from '../cost/errors.js';
import { DemoError } from '../demo/errors.js';
import { EnforceApplyError, EnforceError } from '../enforce/errors.js';
import { InventoryError } from '../inventory/errors.js';
import { JobNotFoundError, JobsError } from '../jobs/errors.js';
import { TargetKeyError } from '../kms/errors.js';
import { ManifestError } from '../manifest/errors.js';
import { PipelineCancelledError, PipelineError } from '../pipeline/errors.js';
import { ReportError } from '../report/errors.js';
import { TriggerError } from '../trigger/errors.js';
import { AuditAbortedError, VerifyError } from '../verify/errors.js';
import { type AwsCallContext, callContextOf, iamActionOf, resourceOf } from './aws-error-context.js';
import { CliError, InterruptedError } from './errors.js';
import { type ExitCode, ExitCodes } from './exit-codes.js';

export const FailureKinds = {
  usage: 'usage',
  input: 'input',
  unreachable: 'aws-unreachable',
  credentials: 'aws-credentials',
  accessDenied: 'aws-access-denied',
  unavailable: 'aws-unavailable',
  interrupted: 'interrupted',
  internal: 'internal',
} as const;
export type FailureKind = (typeof FailureKinds)[keyof typeof FailureKinds];

/** What the user sees: one line naming what to fix, and the exit code scripts branch on. */
export interface Failure {
  readonly exitCode: ExitCode;
  readonly kind: FailureKind;
  readonly message: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const NETWORK_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'NetworkingError',
]);
const CREDENTIAL_NAMES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidToken',
  'TokenRefreshRequired',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);
const ACCESS_NAMES = new Set(['AccessDenied', 'AccessDeniedException', 'AllAccessDisabled', 'Forbidden']);
const UNAVAILABLE_NAMES = new Set([
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'KMSInternalException',
]);

/** Classifies any error thrown by a command. Never throws. */
export function describeFailure(e: unknown): Failure {
  if (e instanceof EnforceApplyError) {
    const inner = describeFailure(e.cause);
    return { ...inner, message: `${inner.message} (${e.message})` };
  }
  if (e instanceof AuditAbortedError)
    return { exitCode: ExitCodes.objectsFailed, kind: FailureKinds.interrupted, message: e.message };
  if (e instanceof InterruptedError || e instanceof PipelineCancelledError)
    return { exitCode: ExitCodes.objectsFailed, kind: FailureKinds.interrupted, message: e.message };
  if (e instanceof JobsError && !(e instanceof JobNotFoundError) && e.retryable) {
    const inner = e.cause === undefined ? undefined : describeAwsFailure(e.cause);
    return inner?.exitCode === ExitCodes.aws
      ? { ...inner, message: `${inner.message} (${e.message})` }
      : { exitCode: ExitCodes.aws, kind: FailureKinds.unavailable, message: e.message };
  }
  // The local S3 API could not be installed or started: the environment, not the input, is at fault.
  if (e instanceof DemoError)
    return { exitCode: ExitCodes.aws, kind: FailureKinds.unavailable, message: e.message };
  if (e instanceof CliError)
    return {
      exitCode: e.exitCode,
      kind: e.exitCode === ExitCodes.usage ? FailureKinds.usage : FailureKinds.internal,
      message: e.message,
    };
  if (e instanceof UnknownRegionError)
    return {
      exitCode: ExitCodes.usage,
      kind: FailureKinds.input,
      message: `${e.message} (--fallback-price-region ${e.knownRegions[0] ?? 'us-east-1'})`,
    };
  if (
    e instanceof ConfigError ||
    e instanceof EnforceError ||
    e instanceof VerifyError ||
    e instanceof CostError ||
    e instanceof InventoryError ||
    e instanceof JobsError ||
    e instanceof TargetKeyError ||
    e instanceof ManifestError ||
    e instanceof ReportError ||
    e instanceof TriggerError ||
    e instanceof PipelineError
  ) {
    // A domain error wrapping an AWS refusal or outage is still exit 3: the input may be fine.
    const inner = e.cause === undefined ? undefined : describeFailure(e.cause);
    if (inner?.exitCode === ExitCodes.aws) return { ...inner, message: `${inner.message} (${e.message})` };
    return { exitCode: ExitCodes.usage, kind: FailureKinds.input, message: e.message };
  }
  const aws = describeAwsFailure(e);
  if (aws) return aws;
  const message = e instanceof Error ? e.message : String(e);
  return {
    exitCode: ExitCodes.objectsFailed,
    kind: FailureKinds.internal,
    message: `unexpected error: ${message} (re-run with --debug for details)`,
  };
}

function describeAwsFailure(e: unknown): Failure | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const err = e as {
    name?: string;
    code?: string;
    message?: string;
    cause?: unknown;
    $metadata?: { httpStatusCode?: number; attempts?: number };
  };
  const call = callContextOf(e);
  const name = err.name && err.name !== 'Error' ? err.name : undefined;
  const status = err.$metadata?.httpStatusCode;
  const code = err.code ?? (err.cause as { code?: string } | undefined)?.code;
  const where = call ? ` (${iamActionOf(call)}${resourceOf(call) ? ` on ${resourceOf(call)}` : ''})` : '';
  const detail = plain(err.message);

  if (
    (code && NETWORK_CODES.has(code)) ||
    (name && NETWORK_NAMES.has(name)) ||
    /socket hang up/i.test(detail)
  )
    return {
      exitCode: ExitCodes.aws,
      kind: FailureKinds.unreachable,
      message: `cannot reach ${endpointOf(call)} (${code ?? name ?? detail}): check --endpoint-url / AWS_ENDPOINT_URL, --region and the network`,
    };
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(detail))
    return {
      exitCode: ExitCodes.aws,
      kind: FailureKinds.credentials,
      message: `no usable AWS credentials (${detail}): set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
    };
  if (name && CREDENTIAL_NAMES.has(name))
    return {
      exitCode: ExitCodes.aws,
      kind: FailureKinds.credentials,
      message: `AWS rejected the credentials${where}: ${name}${detail ? ` - ${detail}` : ''}; refresh them (new session token, aws sso login) or check the key pair`,
    };
  if ((name && ACCESS_NAMES.has(name)) || status === 403)
    return {
      exitCode: ExitCodes.aws,
      kind: FailureKinds.accessDenied,
      message: `access denied${where}: grant ${call ? iamActionOf(call) : 'the action'} to your IAM identity, and check the bucket policy and the KMS key policy`,
    };
  if (name === 'NoSuchBucket')
    return {
      exitCode: ExitCodes.usage,
      kind: FailureKinds.input,
      message: `${call?.bucket ? `bucket ${call.bucket}` : 'the bucket'} does not exist: check --bucket (and --endpoint-url)`,
    };
  if (name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed' || status === 301)
    return {
      exitCode: ExitCodes.usage,
      kind: FailureKinds.input,
      message: `${call?.bucket ? `bucket ${call.bucket}` : 'the bucket'} is in another Region than the one used${detail ? ` (${detail})` : ''}: pass --region with the bucket's Region`,
    };
  if (name === 'NotFoundException' && call?.service === 'KMS')
    return {
      exitCode: ExitCodes.usage,
      kind: FailureKinds.input,
      message: `KMS key ${call.kmsKeyId ?? ''} not found in ${call.endpoint ?? 'this Region'}: check --target-key and --region`,
    };
  if ((name && UNAVAILABLE_NAMES.has(name)) || (status !== undefined && status >= 500))
    return {
      exitCode: ExitCodes.aws,
      kind: FailureKinds.unavailable,
      message: `${call?.service ?? 'AWS'} kept failing${where} with ${name ?? `HTTP ${status}`} after ${err.$metadata?.attempts ?? 'several'} attempts: try again later or lower --concurrency`,
    };
  if (status !== undefined && status >= 400)
    return {
      exitCode: ExitCodes.usage,
      kind: FailureKinds.input,
      message: `${call?.service ?? 'AWS'} refused the request${where}: ${name ?? `HTTP ${status}`}${detail && detail !== name ? ` - ${detail}` : ''}`,
    };
  return undefined;
}

const endpointOf = (call: AwsCallContext | undefined): string =>
  call?.endpoint ?? (call ? `the ${call.service} endpoint` : 'AWS');

/** Error messages sometimes span lines (SDK hints); the contract is one line. */
export const plain = (s: string | undefined): string => (s ?? '').replace(/\s*\n\s*/g, ' ').trim();
