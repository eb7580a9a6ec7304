import { decodeKey } from '../batch/keys.js';
import { type InventoryLocation, parseInventoryManifestKey } from '../inventory/layout.js';
import type { InventoryManifestRef } from '../inventory/types.js';
import { UnsupportedEventError } from './errors.js';

export type EventItem =
  | { readonly kind: 'manifest'; readonly ref: InventoryManifestRef; readonly location: InventoryLocation }
  /** One data file of a split run, handed out as `<run>/parts/<n>/task.json` (see split.ts). */
  | { readonly kind: 'part'; readonly bucket: string; readonly key: string }
  | { readonly kind: 'ignored'; readonly reason: string; readonly bucket?: string; readonly key?: string };

interface Candidate {
  readonly bucket: string;
  readonly key: string;
  readonly rawKey: string;
  readonly size?: number;
  readonly etag?: string;
  readonly versionId?: string;
  readonly region?: string;
}

const PART_TASK_KEY = /\/parts\/\d+\/task\.json$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function classify(c: Candidate): EventItem {
  const where = { bucket: c.bucket, key: c.key };
  const name = c.key.slice(c.key.lastIndexOf('/') + 1);
  if (c.key.endsWith('/')) return { kind: 'ignored', reason: 'folder placeholder object', ...where };
  if (PART_TASK_KEY.test(c.key)) return { kind: 'part', bucket: c.bucket, key: c.key };
  if (name !== 'manifest.json')
    return { kind: 'ignored', reason: `not an inventory manifest.json (${name || c.key})`, ...where };
  // Zero-byte manifest.json objects are placeholders, never a delivery (a real one is a JSON document).
  if (c.size === 0) return { kind: 'ignored', reason: 'empty manifest.json placeholder', ...where };
  const location = parseInventoryManifestKey(c.key);
  if (!location)
    return {
      kind: 'ignored',
      reason:
        'manifest.json outside the inventory layout <prefix>/<source-bucket>/<config-id>/<YYYY-MM-DDTHH-MMZ>/',
      ...where,
    };
  const ref: InventoryManifestRef = {
    bucket: c.bucket,
    key: c.key,
    ...(c.etag ? { etag: c.etag.replace(/"/g, '') } : {}),
    ...(c.versionId ? { versionId: c.versionId } : {}),
    ...(c.region ? { region: c.region } : {}),
    ...(c.rawKey !== c.key ? { rawKey: c.rawKey } : {}),
  };
  return { kind: 'manifest', ref, location };
}

function decode(raw: string): string {
  try {
    return decodeKey(raw);
  } catch {
    // Not valid percent-encoding: the key was sent as is.
    return raw;
  }
}

function fromS3Record(r: Record<string, unknown>): EventItem {
  const eventName = str(r.eventName) ?? '';
  const s3 = isObject(r.s3) ? r.s3 : {};
  const bucket = isObject(s3.bucket) ? str(s3.bucket.name) : undefined;
  const object = isObject(s3.object) ? s3.object : {};
  const rawKey = str(object.key);
  if (!bucket || !rawKey) return { kind: 'ignored', reason: 'S3 record without bucket name or object key' };
  // Classic notification keys are URL-encoded form style, "+" for space (aws-facts §7.1): decoded here, once.
  const key = decode(rawKey);
  if (!eventName.startsWith('ObjectCreated:'))
    return {
      kind: 'ignored',
      reason: `event ${eventName || '(none)'} is not an object creation`,
      bucket,
      key,
    };
  return classify({
    bucket,
    key,
    rawKey: key,
    ...(typeof object.size === 'number' ? { size: object.size } : {}),
    ...(str(object.eTag) ? { etag: str(object.eTag)! } : {}),
    ...(str(object.versionId) ? { versionId: str(object.versionId)! } : {}),
    ...(str(r.awsRegion) ? { region: str(r.awsRegion)! } : {}),
  });
}

function fromEventBridge(e: Record<string, unknown>): EventItem {
  const detail = isObject(e.detail) ? e.detail : {};
  const bucket = isObject(detail.bucket) ? str(detail.bucket.name) : undefined;
  const object = isObject(detail.object) ? detail.object : {};
  const rawKey = str(object.key);
  if (!bucket || !rawKey)
    return { kind: 'ignored', reason: 'EventBridge S3 event without bucket name or object key' };
  // Whether EventBridge URL-encodes keys is undocumented (aws-facts §7.2): decode, and keep the key
  // as sent so the reader can fall back to it if the decoded one does not exist.
  return classify({
    bucket,
    key: decode(rawKey),
    rawKey,
    ...(typeof object.size === 'number' ? { size: object.size } : {}),
    ...(str(object.etag) ? { etag: str(object.etag)! } : {}),
    ...(str(object['version-id']) ? { versionId: str(object['version-id'])! } : {}),
    ...(str(e.region) ? { region: str(e.region)! } : {}),
  });
}

/**
 * Turns whatever invoked the trigger into inventory manifests to process and objects to ignore.
 * Accepts classic S3 notifications (also wrapped in SQS or SNS), the `s3:TestEvent` sent when a
 * notification is configured, and EventBridge "Object Created" events. Anything else is an error.
 */
export function parseTriggerEvent(event: unknown): EventItem[] {
  if (!isObject(event)) throw new UnsupportedEventError('trigger event is not a JSON object');
  if (event.Event === 's3:TestEvent')
    return [{ kind: 'ignored', reason: 's3:TestEvent (sent when the notification was configured)' }];
  if (event.source === 'aws.s3' && typeof event['detail-type'] === 'string') {
    if (event['detail-type'] !== 'Object Created')
      return [{ kind: 'ignored', reason: `EventBridge ${event['detail-type']} is not an object creation` }];
    return [fromEventBridge(event)];
  }
  if (Array.isArray(event.Records)) {
    return event.Records.flatMap((r: unknown): EventItem[] => {
      if (!isObject(r)) return [{ kind: 'ignored', reason: 'record is not an object' }];
      if (r.eventSource === 'aws:s3') return [fromS3Record(r)];
      const wrapped = r.eventSource === 'aws:sqs' ? r.body : isObject(r.Sns) ? r.Sns.Message : undefined;
      if (typeof wrapped === 'string') {
        let inner: unknown;
        try {
          inner = JSON.parse(wrapped);
        } catch {
          return [{ kind: 'ignored', reason: 'wrapped message is not JSON' }];
        }
        return parseTriggerEvent(inner);
      }
      return [
        {
          kind: 'ignored',
          reason: `record from ${String(r.eventSource ?? r.EventSource ?? 'unknown source')}`,
        },
      ];
    });
  }
  throw new UnsupportedEventError(
    'trigger event is neither an S3 notification (Records[]) nor an EventBridge "Object Created" event',
  );
}
