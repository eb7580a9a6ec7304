import { bucketFromArn, decodeKey } from '../batch/keys.js';
import { parseHints, type TaskHints, TaskHintsError } from '../batch/task-hints.js';
import type { SchemaVersion } from '../batch/types.js';
import { InvalidTaskError } from './errors.js';

/** The envelope of a Batch LambdaInvoke event, validated; tasks are parsed one by one (`parseTask`). */
export interface ParsedInvocation {
  readonly schemaVersion: SchemaVersion;
  readonly invocationId: string;
  readonly jobId: string;
  /** Schema 2.0 only; empty for 1.0. */
  readonly userArguments: Readonly<Record<string, string>>;
  readonly tasks: readonly RawTask[];
}

/** A task whose id is known (so it can be answered) but whose other fields are not checked yet. */
export interface RawTask {
  readonly taskId: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** One object to work on, with its key decoded. */
export interface ObjectTask {
  readonly taskId: string;
  readonly bucket: string;
  readonly key: string;
  /** The exact version the manifest names; undefined = whatever is current when the task runs. */
  readonly versionId?: string;
  /** Inventory facts carried in the key field (job argument hints=1). */
  readonly hints?: TaskHints;
}

/** S3 keys are at most 1,024 bytes of UTF-8. */
const MAX_KEY_BYTES = 1024;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** Validates the envelope; throws InvalidTaskError naming the field when no answer can be built. */
export function parseInvocation(event: unknown): ParsedInvocation {
  if (!isRecord(event)) throw new InvalidTaskError('event', 'the Batch event is not a JSON object');
  const version = event.invocationSchemaVersion;
  if (version !== '1.0' && version !== '2.0')
    throw new InvalidTaskError(
      'invocationSchemaVersion',
      `invocationSchemaVersion must be "1.0" or "2.0", got ${JSON.stringify(version)}`,
    );
  if (!nonEmpty(event.invocationId))
    throw new InvalidTaskError('invocationId', 'invocationId is missing or not a string');
  if (!isRecord(event.job) || !nonEmpty(event.job.id))
    throw new InvalidTaskError('job.id', 'job.id is missing or not a string');
  if (!Array.isArray(event.tasks) || event.tasks.length === 0)
    throw new InvalidTaskError('tasks', 'tasks must be a non-empty array');
  const tasks = event.tasks.map((t, i): RawTask => {
    if (!isRecord(t) || !nonEmpty(t.taskId))
      throw new InvalidTaskError(`tasks[${i}].taskId`, `tasks[${i}].taskId is missing or not a string`);
    return { taskId: t.taskId, fields: t };
  });
  return {
    schemaVersion: version,
    invocationId: event.invocationId,
    jobId: event.job.id,
    userArguments: version === '2.0' ? userArgumentsOf(event.job.userArguments) : {},
    tasks,
  };
}

function userArgumentsOf(value: unknown): Readonly<Record<string, string>> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value))
    throw new InvalidTaskError('job.userArguments', 'job.userArguments must be an object of strings');
  for (const [k, v] of Object.entries(value))
    if (typeof v !== 'string')
      throw new InvalidTaskError(`job.userArguments.${k}`, `job.userArguments.${k} must be a string`);
  return value as Record<string, string>;
}

/** Decodes one task (form-style key decoding, aws-facts §1.4); throws InvalidTaskError naming the field. */
export function parseTask(
  raw: RawTask,
  index: number,
  schemaVersion: SchemaVersion,
  hinted: boolean,
): ObjectTask {
  const f = raw.fields;
  const at = (name: string) => `tasks[${index}].${name}`;
  const bucket = bucketOf(f, schemaVersion, at);
  if (!nonEmpty(f.s3Key)) throw new InvalidTaskError(at('s3Key'), `${at('s3Key')} is missing or empty`);
  let decoded: string;
  try {
    decoded = decodeKey(f.s3Key);
  } catch (cause) {
    throw new InvalidTaskError(at('s3Key'), `${at('s3Key')} is not valid URL encoding`, { cause });
  }
  let hints: TaskHints | undefined;
  if (hinted) {
    try {
      hints = parseHints(decoded);
    } catch (cause) {
      const why = cause instanceof TaskHintsError ? cause.message : 'unreadable task hints';
      throw new InvalidTaskError(at('s3Key'), `${at('s3Key')}: ${why}`, { cause });
    }
  }
  const key = hints ? hints.key : decoded;
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES)
    throw new InvalidTaskError(at('s3Key'), `${at('s3Key')} decodes to more than ${MAX_KEY_BYTES} bytes`);
  const v = f.s3VersionId;
  if (v !== undefined && v !== null && typeof v !== 'string')
    throw new InvalidTaskError(at('s3VersionId'), `${at('s3VersionId')} must be a string or null`);
  return {
    taskId: raw.taskId,
    bucket,
    key,
    ...(nonEmpty(v) ? { versionId: v } : {}),
    ...(hints ? { hints } : {}),
  };
}

function bucketOf(
  f: Readonly<Record<string, unknown>>,
  schemaVersion: SchemaVersion,
  at: (name: string) => string,
): string {
  const field = schemaVersion === '1.0' ? 's3BucketArn' : 's3Bucket';
  const value = f[field];
  if (!nonEmpty(value)) throw new InvalidTaskError(at(field), `${at(field)} is missing or empty`);
  const bucket = schemaVersion === '1.0' ? bucketFromArn(value) : value;
  // Legacy us-east-1 buckets may hold capitals and underscores, so only the character set is checked.
  if (!/^[A-Za-z0-9._-]{1,255}$/.test(bucket))
    throw new InvalidTaskError(at(field), `${at(field)} does not name a valid bucket: "${value}"`);
  return bucket;
}
