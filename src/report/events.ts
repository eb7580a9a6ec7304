import { decodeKey } from '../batch/keys.js';
import { ReportEventError } from './errors.js';
import { locationFromManifestKey, type ReportLocation } from './location.js';

export const TerminalJobStatuses = ['Complete', 'Failed', 'Cancelled'] as const;
export type TerminalJobStatus = (typeof TerminalJobStatuses)[number];

/** Something that says a report is (or should be) there. */
export type ReportTrigger =
  | {
      readonly kind: 'job-status';
      readonly jobId: string;
      readonly status: TerminalJobStatus;
      readonly accountId?: string;
      readonly failureCodes: readonly string[];
      readonly statusChangeReason: readonly string[];
    }
  | { readonly kind: 'report-object'; readonly location: ReportLocation };

export interface ParsedReportEvent {
  readonly triggers: readonly ReportTrigger[];
  /** Why parts of the event were left alone (logged, not errors). */
  readonly ignored: readonly string[];
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

const isTerminal = (s: string): s is TerminalJobStatus =>
  (TerminalJobStatuses as readonly string[]).includes(s);

/** Account id from `arn:aws:s3:<region>:<account>:job/<id>`. */
const accountOfJobArn = (arn: string | undefined) =>
  arn ? /^arn:[^:]+:s3:[^:]*:(\d{12}):job\//.exec(arn)?.[1] : undefined;

function jobStatusChange(event: Json, detail: Json): ParsedReportEvent {
  const name = str(detail.eventName);
  if (name !== 'JobStatusChanged')
    return { triggers: [], ignored: [`CloudTrail event ${name ?? '(no name)'}`] };
  const d = obj(detail.serviceEventDetails);
  const jobId = str(d?.jobId);
  const status = str(d?.status);
  if (!d || !jobId || !status)
    throw new ReportEventError('JobStatusChanged event lacks detail.serviceEventDetails.jobId or .status');
  if (!isTerminal(status)) return { triggers: [], ignored: [`job ${jobId} is ${status}, not finished`] };
  const accountId = accountOfJobArn(str(d.jobArn)) ?? str(event.account) ?? str(detail.recipientAccountId);
  return {
    triggers: [
      {
        kind: 'job-status',
        jobId,
        status,
        ...(accountId ? { accountId } : {}),
        failureCodes: strings(d.failureCodes),
        statusChangeReason: strings(d.statusChangeReason),
      },
    ],
    ignored: [],
  };
}

function objectCreated(
  bucket: string | undefined,
  rawKey: string | undefined,
  where: string,
): ParsedReportEvent {
  if (!bucket || rawKey === undefined)
    throw new ReportEventError(`${where} lacks the bucket name or object key`);
  let key: string;
  try {
    // Classic notifications URL-encode keys form-style; EventBridge's encoding is undocumented, and
    // decoding a report key (no `%` or `+`) changes nothing.
    key = decodeKey(rawKey);
  } catch (cause) {
    throw new ReportEventError(`${where} has an undecodable key "${rawKey}"`, { bucket }, { cause });
  }
  const location = locationFromManifestKey(bucket, key);
  return location
    ? { triggers: [{ kind: 'report-object', location }], ignored: [] }
    : { triggers: [], ignored: [`s3://${bucket}/${key} is not a report manifest.json`] };
}

/**
 * Reads the events that can start the completion-report handler: the EventBridge job status change
 * (CloudTrail, aws-facts §3.5), EventBridge "Object Created" or classic S3 notification records for a
 * report's manifest.json (§7), S3's test event, and `{ "reportUri": "s3://bucket/…/job-<id>/manifest.json" }`
 * for a manual run.
 */
export function parseReportEvent(event: unknown): ParsedReportEvent {
  const e = obj(event);
  if (!e) throw new ReportEventError('event is not a JSON object');
  const detailType = str(e['detail-type']);
  const detail = obj(e.detail);
  if (detailType === 'AWS Service Event via CloudTrail' && detail) return jobStatusChange(e, detail);
  if (detailType === 'Object Created' && detail)
    return objectCreated(str(obj(detail.bucket)?.name), str(obj(detail.object)?.key), 'Object Created event');
  if (Array.isArray(e.Records)) {
    const triggers: ReportTrigger[] = [];
    const ignored: string[] = [];
    e.Records.forEach((r: unknown, i: number) => {
      const rec = obj(r);
      const name = str(rec?.eventName) ?? '';
      if (str(rec?.eventSource) !== 'aws:s3' || !name.startsWith('ObjectCreated:')) {
        ignored.push(`record ${i}: ${str(rec?.eventSource) ?? '?'} ${name || '(no eventName)'}`);
        return;
      }
      const s3 = obj(rec?.s3);
      const out = objectCreated(str(obj(s3?.bucket)?.name), str(obj(s3?.object)?.key), `record ${i}`);
      triggers.push(...out.triggers);
      ignored.push(...out.ignored);
    });
    return { triggers, ignored };
  }
  if (e.Event === 's3:TestEvent') return { triggers: [], ignored: ['S3 test event'] };
  const uri = str(e.reportUri);
  if (uri) {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    const location = m ? locationFromManifestKey(m[1] as string, m[2] as string) : undefined;
    if (!location)
      throw new ReportEventError(
        `reportUri must be s3://<bucket>/<prefix>/job-<id>/manifest.json, got "${uri}"`,
      );
    return { triggers: [{ kind: 'report-object', location }], ignored: [] };
  }
  throw new ReportEventError(
    `unrecognised event (detail-type ${JSON.stringify(detailType)}): expected a Batch job status change, ` +
      'an S3 Object Created event or S3 notification records',
  );
}
