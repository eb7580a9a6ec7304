import { isKmsKeyArn } from '../config/kms-arn.js';
import { InvalidJobRequestError } from './errors.js';
import type { CreateJobRequest, JobManifestSpec, JobOperationSpec } from './port.js';

/**
 * CreateJob limits (aws-facts §1.1, §2.1, §2.2, §3.1), checked before any call so a bad request
 * fails with the field's name instead of a BadRequestException after a round trip. Both adapters
 * use it, so the local engine refuses exactly what S3 Control would.
 */
export const CreateJobLimits = {
  clientRequestToken: { min: 1, max: 64 },
  description: { min: 1, max: 256 },
  priority: { min: 0, max: 2_147_483_647 },
  roleArn: { max: 2048 },
  functionArn: { max: 1024 },
  userArguments: { maxEntries: 10, keyMax: 64, valueMax: 1024 },
  manifestObjectArn: { max: 2000 },
  etag: { max: 1024 },
  reportPrefix: { max: 512 },
  tag: { keyMax: 128, valueMax: 256 },
  statusUpdateReason: { max: 256 },
} as const;

const ACCOUNT_ID = /^\d{12}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,140}(:[\w$-]{1,128})?$/;
// General purpose bucket names; dots allowed (legacy names still exist in the wild).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ETAG = /^[0-9a-fA-F]{32}(-\d{1,5})?$/;

/** The ETag as CreateJob wants it: bare, without the quotes S3 puts around it in HEAD answers. */
export const bareEtag = (etag: string): string => etag.replace(/^"(.*)"$/, '$1');

/** ARN partition of the job (aws, aws-cn, aws-us-gov), taken from the role so S3 ARNs match it. */
export const partitionOf = (roleArn: string): string => roleArn.split(':')[1] ?? 'aws';

const fail = (field: string, message: string): never => {
  throw new InvalidJobRequestError(field, message);
};

function length(field: string, value: string, min: number, max: number): void {
  if (value.length < min || value.length > max)
    fail(field, `must be ${min}–${max} characters, got ${value.length}`);
}

function bucket(field: string, value: string): void {
  if (!BUCKET.test(value)) fail(field, `"${value}" is not a valid S3 bucket name`);
}

function manifest(m: JobManifestSpec): void {
  bucket('manifest.bucket', m.bucket);
  if (m.key.length === 0) fail('manifest.key', 'must not be empty');
  const arnLength = `arn:aws:s3:::${m.bucket}/${m.key}`.length;
  if (arnLength > CreateJobLimits.manifestObjectArn.max)
    fail('manifest.key', `the manifest ObjectArn would be ${arnLength} characters (max 2000)`);
  const etag = bareEtag(m.etag);
  if (!ETAG.test(etag))
    fail('manifest.etag', `"${m.etag}" is not an S3 ETag (32 hex digits, optionally -<parts>)`);
  if (m.versionId !== undefined && m.versionId.length === 0)
    fail('manifest.versionId', 'must not be empty when given');
  if (m.format === 'S3BatchOperations_CSV_20180820') {
    const count = (name: string) => m.fields.filter((f) => f === name).length;
    if (count('Bucket') !== 1 || count('Key') !== 1)
      fail('manifest.fields', `need exactly one Bucket and one Key column, got [${m.fields.join(',')}]`);
    if (count('VersionId') > 1) fail('manifest.fields', 'VersionId may appear at most once');
  }
}

function operation(op: JobOperationSpec): void {
  if (op.kind === 'S3UpdateObjectEncryption') {
    if (!isKmsKeyArn(op.kmsKeyArn))
      fail('operation.kmsKeyArn', `must be a full KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)`);
    return;
  }
  length('operation.functionArn', op.functionArn, 1, CreateJobLimits.functionArn.max);
  if (!FUNCTION_ARN.test(op.functionArn))
    fail('operation.functionArn', `"${op.functionArn}" is not a Lambda function ARN`);
  if (op.invocationSchemaVersion !== '1.0' && op.invocationSchemaVersion !== '2.0')
    fail('operation.invocationSchemaVersion', `must be "1.0" or "2.0", got "${op.invocationSchemaVersion}"`);
  const args = Object.entries(op.userArguments ?? {});
  if (args.length === 0) return;
  if (op.invocationSchemaVersion !== '2.0')
    fail(
      'operation.userArguments',
      'need invocationSchemaVersion "2.0" (schema 1.0 carries no user arguments)',
    );
  const { maxEntries, keyMax, valueMax } = CreateJobLimits.userArguments;
  if (args.length > maxEntries)
    fail('operation.userArguments', `at most ${maxEntries} entries, got ${args.length}`);
  for (const [k, v] of args) {
    length('operation.userArguments key', k, 1, keyMax);
    if (typeof v !== 'string') fail(`operation.userArguments.${k}`, 'values must be strings');
    length(`operation.userArguments.${k}`, v, 0, valueMax);
  }
}

/** Throws InvalidJobRequestError naming the first field that S3 Control would reject. */
export function validateCreateJobRequest(r: CreateJobRequest): void {
  if (!ACCOUNT_ID.test(r.accountId))
    fail('accountId', `must be a 12-digit AWS account id, got "${r.accountId}"`);
  length('clientRequestToken', r.clientRequestToken, 1, CreateJobLimits.clientRequestToken.max);
  const { min, max } = CreateJobLimits.priority;
  if (!Number.isInteger(r.priority) || r.priority < min || r.priority > max)
    fail('priority', `must be a whole number ${min}–${max}, got ${r.priority}`);
  length('roleArn', r.roleArn, 1, CreateJobLimits.roleArn.max);
  if (!ROLE_ARN.test(r.roleArn))
    fail('roleArn', `"${r.roleArn}" is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)`);
  if (r.description !== undefined)
    length('description', r.description, CreateJobLimits.description.min, CreateJobLimits.description.max);
  operation(r.operation);
  manifest(r.manifest);
  bucket('report.bucket', r.report.bucket);
  if (r.report.prefix.length > CreateJobLimits.reportPrefix.max)
    fail(
      'report.prefix',
      `at most ${CreateJobLimits.reportPrefix.max} characters, got ${r.report.prefix.length}`,
    );
  if (r.report.scope !== 'AllTasks' && r.report.scope !== 'FailedTasksOnly')
    fail('report.scope', `must be AllTasks or FailedTasksOnly, got "${r.report.scope}"`);
  const seen = new Set<string>();
  for (const [i, t] of (r.tags ?? []).entries()) {
    length(`tags[${i}].key`, t.key, 1, CreateJobLimits.tag.keyMax);
    length(`tags[${i}].value`, t.value, 0, CreateJobLimits.tag.valueMax);
    if (seen.has(t.key)) fail(`tags[${i}].key`, `duplicate tag key "${t.key}"`);
    seen.add(t.key);
  }
}

/** Reason text for UpdateJobStatus, cut to the API's 256-character limit. */
export const statusUpdateReason = (reason: string): string =>
  reason.length > CreateJobLimits.statusUpdateReason.max ? `${reason.slice(0, 255)}…` : reason;
