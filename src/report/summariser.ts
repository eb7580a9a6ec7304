import { type FailureCause, parseResultString, type TaskResult } from '../batch/result-string.js';
import { ReportResultStringError } from './errors.js';
import { decodeReportKey } from './keys.js';
import { decodeResultFast } from './result-fast.js';
import { isRetryable } from './retry-policy.js';
import { messageText, type ReportRow } from './row.js';
import type {
  CauseSummary,
  FailureSample,
  ReportSummary,
  ResultFileSummary,
  RouteTotals,
  SummaryRoute,
} from './summary.js';

export interface SummariserOptions {
  /** Sample keys kept per failure cause. */
  readonly sampleKeys: number;
  /** Report key fields are URL-encoded (decode them for display). */
  readonly keysEncoded: boolean;
}

interface MutableRoute {
  objects: number;
  bytes: number;
  sseKmsSources: number;
}

interface CauseAcc {
  count: number;
  bytes: number;
  retryable: number;
  attemptedRoutes: Map<string, number>;
  errorCodes: Map<string, number>;
  samples: FailureSample[];
}

const MAX_REASON = 300;
const inc = (m: Map<string, number>, k: string, by = 1) => m.set(k, (m.get(k) ?? 0) + by);

/**
 * Counts of a few distinct strings (source encryptions, fallbacks). Each row brings a new string object,
 * whose hash a Map would compute every time; comparing against a handful of known values is cheaper.
 */
class SmallTally {
  private readonly keys: string[] = [];
  private readonly counts: number[] = [];
  add(k: string): void {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++)
      if (keys[i] === k) {
        this.counts[i] = (this.counts[i] as number) + 1;
        return;
      }
    keys.push(k);
    this.counts.push(1);
  }
  toMap(): Map<string, number> {
    return new Map(this.keys.map((k, i) => [k, this.counts[i] as number]));
  }
}
const sorted = (m: Map<string, number>): Record<string, number> =>
  Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The resultString of a row; throws ResultStringError when it is not the function's JSON. */
export const rowResult = (row: ReportRow): TaskResult =>
  decodeResultFast(row.resultMessage, row.resultEscaped) ?? parseResultString(messageText(row));

/** The task result of a failed row whose message is not the function's JSON (Lambda error, timeout, Batch). */
function nonJsonFailure(row: ReportRow): TaskResult {
  const text = messageText(row) || row.errorCode || 'no result message';
  return {
    route: 'failed',
    bytes: 0,
    source: 'unknown',
    ms: 0,
    cause: 'lambda-error',
    reason: text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text,
  };
}

/** Aggregates report rows; feed every row, then read `summary()`. Holds only counters and samples. */
export class Summariser {
  private total = 0;
  private succeeded = 0;
  private failed = 0;
  private retryable = 0;
  private withVersionId = 0;
  private readonly routes: Record<SummaryRoute, MutableRoute> = {
    skip: { objects: 0, bytes: 0, sseKmsSources: 0 },
    update: { objects: 0, bytes: 0, sseKmsSources: 0 },
    copy: { objects: 0, bytes: 0, sseKmsSources: 0 },
    multipart: { objects: 0, bytes: 0, sseKmsSources: 0 },
    blocked: { objects: 0, bytes: 0, sseKmsSources: 0 },
  };
  private readonly sources = new SmallTally();
  private readonly buckets = new Map<string, number>();
  private lastBucket = '';
  private lastBucketCount = 0;
  private readonly fallbacks = new SmallTally();
  private readonly causes = new Map<string, CauseAcc>();
  private parts = 0;
  private deletedPrior = 0;
  private invocations = 0;
  private taskMs = 0;
  private maxTaskMs = 0;

  constructor(private readonly options: SummariserOptions) {}

  /** Adds one row; returns whether it goes to the retry manifest. */
  add(row: ReportRow, context: { bucket?: string; key?: string; row: number }): boolean {
    let r: TaskResult;
    if (row.status === 'succeeded') {
      try {
        r = rowResult(row);
      } catch (cause) {
        throw new ReportResultStringError(
          `succeeded task has a ResultMessage that is not the re-encrypt function's JSON: ${messageText(row).slice(0, 80)}`,
          context,
          { cause },
        );
      }
    } else {
      try {
        r = rowResult(row);
      } catch {
        r = nonJsonFailure(row);
      }
    }
    this.total++;
    // Runs of the same bucket are the norm: count them without a Map lookup per row.
    if (row.bucket === this.lastBucket) this.lastBucketCount++;
    else {
      if (this.lastBucketCount) inc(this.buckets, this.lastBucket, this.lastBucketCount);
      this.lastBucket = row.bucket;
      this.lastBucketCount = 1;
    }
    if (row.versionId !== '') this.withVersionId++;
    this.taskMs += r.ms;
    if (r.ms > this.maxTaskMs) this.maxTaskMs = r.ms;
    this.invocations += r.invocations !== undefined && r.invocations > 0 ? r.invocations : 1;

    const counted = row.status === 'succeeded' ? r.route !== 'failed' : r.route === 'blocked';
    if (counted) {
      const t = this.routes[r.route as SummaryRoute];
      t.objects++;
      t.bytes += r.bytes;
      if (r.source === 'aws:kms') t.sseKmsSources++;
      this.sources.add(r.source);
      if (r.fallback) this.fallbacks.add(r.fallback);
      if (r.parts !== undefined && r.route === 'multipart') this.parts += r.parts;
      if (r.deletedPrior) this.deletedPrior++;
    }
    if (row.status === 'succeeded') {
      this.succeeded++;
      return false;
    }
    this.failed++;
    const cause: FailureCause = r.cause ?? 'unknown';
    const retry = isRetryable(r.cause, row.errorCode);
    if (retry) this.retryable++;
    let acc = this.causes.get(cause);
    if (!acc) {
      acc = {
        count: 0,
        bytes: 0,
        retryable: 0,
        attemptedRoutes: new Map(),
        errorCodes: new Map(),
        samples: [],
      };
      this.causes.set(cause, acc);
    }
    acc.count++;
    acc.bytes += r.bytes;
    if (retry) acc.retryable++;
    inc(acc.attemptedRoutes, r.route);
    if (row.errorCode) inc(acc.errorCodes, row.errorCode);
    if (acc.samples.length < this.options.sampleKeys) {
      acc.samples.push({
        key: decodeReportKey(row.keyField, this.options.keysEncoded).key,
        ...(row.versionId ? { versionId: row.versionId } : {}),
        ...(r.reason ? { reason: r.reason } : {}),
        ...(row.errorCode ? { errorCode: row.errorCode } : {}),
        ...(row.httpStatus !== undefined ? { httpStatus: row.httpStatus } : {}),
      });
    }
    return retry;
  }

  summary(args: {
    jobId: string;
    bucket: string;
    manifestKey: string;
    format: string;
    creationDate: string;
    files: readonly ResultFileSummary[];
  }): ReportSummary {
    if (this.lastBucketCount) {
      inc(this.buckets, this.lastBucket, this.lastBucketCount);
      this.lastBucketCount = 0;
    }
    const routes = Object.fromEntries(
      Object.entries(this.routes).map(([k, v]) => [k, { ...v } satisfies RouteTotals]),
    ) as Record<SummaryRoute, RouteTotals>;
    const byCause: CauseSummary[] = [...this.causes.entries()]
      .map(([cause, a]) => ({
        cause,
        count: a.count,
        bytes: a.bytes,
        retryable: a.retryable,
        attemptedRoutes: sorted(a.attemptedRoutes),
        errorCodes: sorted(a.errorCodes),
        samples: a.samples,
      }))
      .sort((x, y) => y.count - x.count || (x.cause < y.cause ? -1 : 1));
    return {
      schema: 's3-reencrypt.summary/1',
      jobId: args.jobId,
      report: {
        bucket: args.bucket,
        manifestKey: args.manifestKey,
        format: args.format,
        creationDate: args.creationDate,
        files: args.files,
      },
      tasks: {
        total: this.total,
        succeeded: this.succeeded,
        failed: this.failed,
        retryable: this.retryable,
        withVersionId: this.withVersionId,
      },
      dataBuckets: sorted(this.buckets),
      routes,
      sources: sorted(this.sources.toMap()),
      fallbacks: sorted(this.fallbacks.toMap()),
      multipartParts: this.parts,
      deletedPriorVersions: this.deletedPrior,
      lambda: { invocations: this.invocations, taskMs: this.taskMs, maxTaskMs: this.maxTaskMs },
      failures: { total: this.failed, retryable: this.retryable, byCause },
    };
  }
}
