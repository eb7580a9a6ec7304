import { PassThrough } from 'node:stream';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { FailureCause } from '../batch/result-string.js';
import { manifestRow } from '../manifest/csv-row.js';
import { isHintedField, retryKeyField } from './keys.js';
import type { ReportLocation } from './location.js';
import { type ResolvedFile, streamResultRows } from './read.js';
import { isRetryable } from './retry-policy.js';
import type { ReportRow } from './row.js';
import type { ReportSource } from './source.js';
import { rowResult } from './summariser.js';

/** A Batch CSV manifest (S3BatchOperations_CSV_20180820) of failed tasks worth retrying. */
export interface WrittenRetryManifest {
  readonly bucket: string;
  readonly key: string;
  /** Bare hex ETag, as CreateJob wants it. */
  readonly etag: string;
  readonly rows: number;
  /** Rows carry a version id (Batch needs every row with one, or none). */
  readonly versioned: boolean;
  /** Key fields are task-hints documents (the retry job needs `hints=1`). */
  readonly hinted: boolean;
}

export interface RetryManifestPlace {
  readonly bucket: string;
  /** Folder for this job's retry manifests, ending in `/`. */
  readonly folder: string;
}

interface Group {
  readonly versioned: boolean;
  readonly hinted: boolean;
  readonly key: string;
  readonly body: PassThrough;
  readonly upload: Promise<{ ETag?: string }>;
  readonly abort: () => Promise<void>;
  pending: string[];
  rows: number;
}

const causeOf = (row: ReportRow): FailureCause | undefined => {
  try {
    return rowResult(row).cause;
  } catch {
    return 'lambda-error';
  }
};

const groupName = (versioned: boolean, hinted: boolean) =>
  `retry-manifest${hinted ? '-hinted' : ''}${versioned ? '-versioned' : ''}.csv`;

/**
 * Second pass over the result files that hold retryable failures: streams those rows into one manifest per
 * kind (versioned or not, hinted or not — Batch wants one kind per manifest) with lib-storage uploads, so
 * memory stays bounded whatever the number of failures. Keys keep the report's own field.
 */
export async function writeRetryManifests(args: {
  readonly s3: S3Client;
  readonly source: ReportSource;
  readonly location: ReportLocation;
  readonly files: readonly ResolvedFile[];
  readonly place: RetryManifestPlace;
  readonly keysEncoded: boolean;
}): Promise<WrittenRetryManifest[]> {
  const groups = new Map<string, Group>();
  const open = (versioned: boolean, hinted: boolean): Group => {
    const name = groupName(versioned, hinted);
    const existing = groups.get(name);
    if (existing) return existing;
    const key = `${args.place.folder}${name}`;
    const body = new PassThrough();
    const upload = new Upload({
      client: args.s3,
      params: { Bucket: args.place.bucket, Key: key, Body: body, ContentType: 'text/csv' },
      queueSize: 2,
    });
    const g: Group = {
      versioned,
      hinted,
      key,
      body,
      upload: upload.done(),
      abort: () => upload.abort(),
      pending: [],
      rows: 0,
    };
    // Keep an early upload failure from being unhandled; it is awaited below.
    g.upload.catch(() => undefined);
    groups.set(name, g);
    return g;
  };
  const drain = async () => {
    for (const g of groups.values()) {
      if (g.pending.length === 0) continue;
      const text = g.pending.join('');
      g.pending = [];
      if (!g.body.write(text)) await new Promise((r) => g.body.once('drain', r));
    }
  };
  try {
    for (const file of args.files) {
      await streamResultRows(
        args.source,
        args.location,
        file,
        (row) => {
          if (row.status !== 'failed' || !isRetryable(causeOf(row), row.errorCode)) return;
          const versioned = row.versionId !== '';
          const g = open(versioned, isHintedField(row.keyField, args.keysEncoded));
          g.pending.push(
            manifestRow(
              row.bucket,
              retryKeyField(row.keyField, args.keysEncoded),
              versioned ? row.versionId : undefined,
            ),
          );
          g.rows++;
        },
        drain,
      );
    }
    await drain();
    for (const g of groups.values()) g.body.end();
    const written: WrittenRetryManifest[] = [];
    for (const g of groups.values()) {
      const out = await g.upload;
      // CreateJob needs the manifest's ETag; ask for it if the upload result lacks it.
      const etag =
        out.ETag ??
        (await args.s3.send(new HeadObjectCommand({ Bucket: args.place.bucket, Key: g.key }))).ETag ??
        '';
      written.push({
        bucket: args.place.bucket,
        key: g.key,
        etag: etag.replace(/"/g, ''),
        rows: g.rows,
        versioned: g.versioned,
        hinted: g.hinted,
      });
    }
    return written.sort((a, b) => (a.key < b.key ? -1 : 1));
  } catch (e) {
    for (const g of groups.values()) {
      g.body.destroy();
      await g.abort().catch(() => undefined);
    }
    throw e;
  }
}
