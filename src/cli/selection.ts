import type { Command } from 'commander';
import { type AwsSettings, isCustomS3Endpoint } from '../aws/clients.js';
import type { SelectionOptions } from '../inventory/filter.js';
import {
  type Preflight,
  Preflights,
  SINGLE_COPY_LIMIT_BYTES,
  Strategies,
  type Strategy,
} from '../reencrypt/types.js';
import type { TriggerSettings } from '../trigger/types.js';
import { UsageError } from './errors.js';
import { booleanValue, byteSize, choiceOf, collect } from './options.js';

/**
 * The options that decide which objects get work and how: shared by `plan`, `run` and `submit`, so a
 * plan counts exactly what a run with the same options then does.
 */
export interface SelectionCliOptions {
  readonly bucketKey: boolean;
  readonly strategy: Strategy;
  readonly multipartThreshold: number;
  readonly includePrefix: readonly string[];
  readonly excludePrefix: readonly string[];
  readonly minSize?: number;
  readonly maxSize?: number;
  readonly allVersions?: boolean;
  readonly reencryptAllSseKms?: boolean;
  readonly updateRoute: 'auto' | 'on' | 'off';
  readonly deletePriorVersion?: boolean;
  readonly preflight: Preflight;
}

const anyText = (v: string) => v;

export function addSelectionOptions(cmd: Command): void {
  cmd
    .option('--bucket-key [true|false]', 'wanted S3 Bucket Key state', booleanValue, true)
    .option(
      '--strategy <auto|copy|update>',
      'auto: UpdateObjectEncryption where possible, else copy; copy: always copy in place; update: never copy',
      choiceOf(Object.values(Strategies)),
      Strategies.auto,
    )
    .option(
      '--multipart-threshold <bytes>',
      'copy-route size above which multipart copy is used (at most 5GiB, e.g. 64MiB)',
      byteSize(1, SINGLE_COPY_LIMIT_BYTES),
      SINGLE_COPY_LIMIT_BYTES,
    )
    .option(
      '--include-prefix <prefix>',
      'only keys starting with this; repeatable or comma-separated',
      collect(anyText),
      [],
    )
    .option(
      '--exclude-prefix <prefix>',
      'skip keys starting with this; repeatable or comma-separated',
      collect(anyText),
      [],
    )
    .option('--min-size <bytes>', 'skip objects smaller than this', byteSize(0, Number.MAX_SAFE_INTEGER))
    .option('--max-size <bytes>', 'skip objects larger than this', byteSize(0, Number.MAX_SAFE_INTEGER))
    .option('--all-versions', 'also re-encrypt noncurrent versions an all-versions inventory lists')
    .option(
      '--reencrypt-all-sse-kms',
      'treat every SSE-KMS object as needing work (key rotation: inventory does not say which key)',
    )
    .option(
      '--update-route <auto|on|off>',
      'UpdateObjectEncryption is available: auto = on for AWS, off with a custom --endpoint-url',
      choiceOf(['auto', 'on', 'off'] as const),
      'auto',
    )
    .option('--delete-prior-version', 'delete the version a copy replaces, once the copy is verified')
    .option(
      '--preflight <head|inventory>',
      'head: HEAD each object before a copy; inventory: copy from inventory facts alone where they suffice ' +
        '(one request per object; drops website redirects in buckets that serve no website)',
      choiceOf(Object.values(Preflights)),
      Preflights.head,
    );
}

/** Refuses combinations commander cannot check option by option. */
export function checkSelection(o: SelectionCliOptions): void {
  if (o.minSize !== undefined && o.maxSize !== undefined && o.minSize > o.maxSize)
    throw new UsageError(`--min-size (${o.minSize}) is above --max-size (${o.maxSize})`);
}

export const updateAvailable = (o: SelectionCliOptions, aws: AwsSettings): boolean =>
  o.updateRoute === 'on' || (o.updateRoute === 'auto' && !isCustomS3Endpoint(aws));

/** The trigger's selection settings (filters only). */
export function triggerSelection(o: SelectionCliOptions): TriggerSettings['selection'] {
  return {
    includePrefixes: [...o.includePrefix],
    excludePrefixes: [...o.excludePrefix],
    ...(o.minSize !== undefined ? { minSizeBytes: o.minSize } : {}),
    ...(o.maxSize !== undefined ? { maxSizeBytes: o.maxSize } : {}),
    versions: o.allVersions ? 'all' : 'current',
    reencryptAllSseKms: o.reencryptAllSseKms === true,
  };
}

/** Everything the row classifier needs, as the trigger builds it. */
export function selectionOptions(o: SelectionCliOptions, aws: AwsSettings, now: Date): SelectionOptions {
  return {
    ...triggerSelection(o),
    bucketKey: o.bucketKey,
    strategy: o.strategy,
    updateAvailable: updateAvailable(o, aws),
    multipartThresholdBytes: o.multipartThreshold,
    now,
  };
}
