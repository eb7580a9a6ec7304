import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { parseResultString, type Route } from '../batch/result-string.js';
import type { LocalPipelineResult } from '../pipeline/types.js';
import { decodeReportKey } from '../report/keys.js';
import { locationFromManifestKey } from '../report/location.js';
import { readReportManifest, streamResultRows } from '../report/read.js';
import { messageText } from '../report/row.js';
import { S3ReportSource } from '../report/source.js';
import type { SeededObject } from './seed.js';

/** The current version of one object as seen before or after the run. */
export interface ObjectState {
  readonly versionId?: string;
  readonly lastModified: string;
  readonly algorithm: string;
  readonly kmsKeyId?: string;
  readonly bucketKey: boolean;
  /** SHA-256 of the bytes; absent for archived objects, which cannot be read before a restore. */
  readonly sha256?: string;
}

export interface ObjectCheck {
  readonly key: string;
  readonly note: string;
  readonly expectedRoute: Route;
  /** What the completion report says was done, `blocked` when the trigger refused it, `none` when no task ran. */
  readonly actualRoute: Route | 'none';
  readonly before: ObjectState;
  readonly after: ObjectState;
  readonly ok: boolean;
  /** Why the object is not as expected. */
  readonly problems: readonly string[];
  /** A difference between this local S3 API and AWS that the check allowed for. */
  readonly allowance?: string;
}

export interface Verification {
  readonly ok: boolean;
  readonly objects: readonly ObjectCheck[];
}

export interface VerifyOptions {
  readonly targetKeyArn: string;
  readonly bucketKey: boolean;
  /** moto drops BucketKeyEnabled on multipart uploads (test/integration/reencrypt/moto-gaps.test.ts). */
  readonly multipartDropsBucketKey: boolean;
}

const ARCHIVED = new Set(['GLACIER', 'DEEP_ARCHIVE']);

async function stateOf(s3: S3Client, bucket: string, key: string): Promise<ObjectState> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  let sha256: string | undefined;
  if (!ARCHIVED.has(head.StorageClass ?? '')) {
    const hash = createHash('sha256');
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    for await (const chunk of out.Body as AsyncIterable<Uint8Array>) hash.update(chunk);
    sha256 = hash.digest('hex');
  }
  return {
    ...(head.VersionId && head.VersionId !== 'null' ? { versionId: head.VersionId } : {}),
    lastModified: head.LastModified?.toISOString() ?? '',
    algorithm: head.ServerSideEncryption ?? 'NONE',
    ...(head.SSEKMSKeyId ? { kmsKeyId: head.SSEKMSKeyId } : {}),
    bucketKey: head.BucketKeyEnabled === true,
    ...(sha256 ? { sha256 } : {}),
  };
}

/** HEAD (and a hash of the bytes) of every seeded object's current version. */
export async function snapshot(
  s3: S3Client,
  bucket: string,
  objects: readonly SeededObject[],
): Promise<Map<string, ObjectState>> {
  const limit = pLimit(8);
  return new Map(
    await Promise.all(
      objects.map((o) => limit(async () => [o.key, await stateOf(s3, bucket, o.key)] as const)),
    ),
  );
}

/** Route per object key as the completion reports say (read back from S3 in the AWS layout). */
async function reportedRoutes(s3: S3Client, result: LocalPipelineResult): Promise<Map<string, Route>> {
  const source = new S3ReportSource(s3);
  const routes = new Map<string, Route>();
  for (const job of result.jobs) {
    const loc = job.report && locationFromManifestKey(job.report.bucket, job.report.manifestKey);
    if (!loc) continue;
    const manifest = await readReportManifest(source, loc);
    for (const file of manifest.results)
      await streamResultRows(source, loc, file, (row) => {
        let route: Route = 'failed';
        try {
          route = parseResultString(messageText(row)).route;
        } catch {
          // Not written by the re-encrypt function (a Lambda error): counted as failed.
        }
        routes.set(decodeReportKey(row.keyField).key, route);
      });
  }
  for (const b of result.blocked) if (!routes.has(b.key)) routes.set(b.key, 'blocked');
  return routes;
}

/** Problems with one object, given the route the run took for it and its state before and after. */
export function checkObject(
  o: Pick<SeededObject, 'expectedRoute'>,
  route: Route | 'none',
  before: ObjectState,
  after: ObjectState,
  v: VerifyOptions,
): { problems: string[]; allowance?: string } {
  const problems: string[] = [];
  let allowance: string | undefined;
  const unchanged = after.versionId === before.versionId && after.lastModified === before.lastModified;
  if (after.sha256 !== before.sha256) problems.push('the bytes changed');
  const underTarget = after.algorithm === 'aws:kms' && after.kmsKeyId === v.targetKeyArn;
  if (o.expectedRoute === 'skip' || o.expectedRoute === 'blocked') {
    if (!unchanged) problems.push('it was rewritten although it should have been left alone');
    // A compliant object the trigger filtered out never becomes a task: that is a skip too.
    const routeOk = o.expectedRoute === 'skip' ? route === 'skip' || route === 'none' : route === 'blocked';
    if (!routeOk) problems.push(`expected route ${o.expectedRoute}, the run reports ${route}`);
  } else {
    if (route !== o.expectedRoute)
      problems.push(`expected route ${o.expectedRoute}, the report says ${route}`);
    if (!underTarget) problems.push(`ended as ${after.algorithm} ${after.kmsKeyId ?? ''}`.trim());
    if (after.bucketKey !== v.bucketKey) {
      if (route === 'multipart' && v.multipartDropsBucketKey && !after.bucketKey)
        allowance = 'Bucket Key not recorded: moto drops BucketKeyEnabled on multipart uploads (S3 keeps it)';
      else problems.push(`Bucket Key is ${after.bucketKey ? 'on' : 'off'}`);
    }
  }
  return { problems, ...(allowance ? { allowance } : {}) };
}

/** Compares every seeded object before and after the run with the route the seed expected for it. */
export async function verifySeeded(
  s3: S3Client,
  bucket: string,
  objects: readonly SeededObject[],
  before: ReadonlyMap<string, ObjectState>,
  result: LocalPipelineResult,
  options: VerifyOptions,
): Promise<Verification> {
  const [after, routes] = await Promise.all([snapshot(s3, bucket, objects), reportedRoutes(s3, result)]);
  const checks = objects.map((o): ObjectCheck => {
    const was = before.get(o.key)!;
    const now = after.get(o.key)!;
    const route = routes.get(o.key) ?? 'none';
    const { problems, allowance } = checkObject(o, route, was, now, options);
    return {
      key: o.key,
      note: o.note,
      expectedRoute: o.expectedRoute,
      actualRoute: route,
      before: was,
      after: now,
      ok: problems.length === 0,
      problems,
      ...(allowance ? { allowance } : {}),
    };
  });
  return { ok: checks.every((c) => c.ok), objects: checks };
}
