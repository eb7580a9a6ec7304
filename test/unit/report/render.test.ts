import { describe, expect, it } from 'vitest';
import { snsMessage, snsSubject } from '../../../src/notify/sns.js';
import type { SummaryDocument } from '../../../src/report/document.js';
import {
  formatBytes,
  headline,
  notificationText,
  renderSummaryMarkdown,
} from '../../../src/report/render.js';
import type { ReportSummary } from '../../../src/report/summary.js';

const route = (objects: number, bytes: number) => ({ objects, bytes, sseKmsSources: 0 });
const summary: ReportSummary = {
  schema: 's3-reencrypt.summary/1',
  jobId: 'job-1',
  report: {
    bucket: 'work',
    manifestKey: 'reports/job-job-1/manifest.json',
    format: 'Report_CSV_20180820',
    creationDate: '2026-05-01T12:00:00Z',
    files: [],
  },
  tasks: { total: 110, succeeded: 100, failed: 10, retryable: 4, withVersionId: 0 },
  dataBuckets: { data: 110 },
  routes: {
    skip: route(40, 4096),
    update: route(30, 3 * 1024 ** 3),
    copy: route(29, 1024 ** 3),
    multipart: route(1, 6 * 1024 ** 3),
    blocked: route(6, 10),
  },
  sources: { AES256: 106 },
  fallbacks: { 'update-unsupported': 29 },
  multipartParts: 12,
  deletedPriorVersions: 0,
  lambda: { invocations: 111, taskMs: 123_456, maxTaskMs: 90_000 },
  failures: {
    total: 10,
    retryable: 4,
    byCause: [
      {
        cause: 'sse-c',
        count: 6,
        bytes: 10,
        retryable: 0,
        attemptedRoutes: { blocked: 6 },
        errorCodes: { PermanentFailure: 6 },
        samples: [{ key: 'a|b', reason: 'SSE-C object' }],
      },
      {
        cause: 'throttled',
        count: 4,
        bytes: 0,
        retryable: 4,
        attemptedRoutes: { copy: 4 },
        errorCodes: { TemporaryFailure: 4 },
        samples: [{ key: 't/1' }],
      },
    ],
  },
};
const doc: SummaryDocument = {
  schema: 's3-reencrypt.summary-document/1',
  jobId: 'job-1',
  digest: 'sha256:x',
  state: 'done',
  headline: '',
  job: { status: 'Complete', failureReasons: [] },
  summary,
  retry: {
    eligible: 4,
    attempt: 0,
    maxAttempts: 2,
    rootJobId: 'job-1',
    manifests: [
      {
        bucket: 'work',
        key: 'reports/job-job-1/retry-manifest.csv',
        etag: 'e',
        rows: 4,
        versioned: false,
        hinted: false,
      },
    ],
    jobs: [{ jobId: 'job-2', manifestKey: 'k' }],
  },
  notification: { status: 'sent' },
  processedAt: '2026-05-01T12:01:00Z',
};

describe('rendering', () => {
  it('puts what changed, what failed and what to retry in the headline', () => {
    // Act / Assess
    expect(headline(doc)).toBe(
      's3-reencrypt job job-1 Complete: 60 re-encrypted (10.0 GiB), 40 already compliant, 10 failed (6 blocked), 4 to retry',
    );
  });

  it('says when a job ended without a report', () => {
    // Act / Assess
    expect(
      headline({
        jobId: 'j',
        job: { status: 'Failed', failureReasons: [{ code: 'ManifestError', reason: 'x' }] },
      }),
    ).toBe('s3-reencrypt job j Failed without a completion report (ManifestError)');
  });

  it('renders routes, failures with samples, fallbacks and the retry job in summary.md', () => {
    // Act
    const md = renderSummaryMarkdown(doc);
    // Assess
    expect(md).toContain('| copied in place | 29 | 1.0 GiB |');
    expect(md).toContain('| sse-c | 6 | 0 | `a\\|b` — SSE-C object |');
    expect(md).toContain(
      'Copied because UpdateObjectEncryption was unavailable or refused: 29 update-unsupported.',
    );
    expect(md).toContain('Retry job job-2 created (attempt 1 of 2).');
  });

  it('keeps the notification short and points to the details', () => {
    // Act
    const text = notificationText(doc, 's3://work/reports/job-job-1/summary.md');
    // Assess
    expect(text.split('\n')[0]).toBe(headline(doc));
    expect(text).toContain('Failure throttled: 4 (e.g. t/1)');
    expect(text).toContain('Retry job(s): job-2.');
    expect(text.endsWith('Details: s3://work/reports/job-job-1/summary.md')).toBe(true);
  });

  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [10 * 1024 ** 3, '10.0 GiB'],
    [500 * 1024 ** 4, '500 TiB'],
  ])('formats %s bytes as %s', (bytes, text) => {
    // Act / Assess
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('SNS limits', () => {
  it('makes a subject ASCII, single-line and under 100 characters', () => {
    // Act
    const s = snsSubject(`job é done\n${'x'.repeat(200)}`);
    // Assess
    expect(s).toMatch(/^job \? done x+\.\.\.$/);
    expect(s.length).toBeLessThan(100);
  });

  it('truncates a message over 256 KB', () => {
    // Act
    const m = snsMessage('é'.repeat(200_000));
    // Assess
    expect(Buffer.byteLength(m)).toBeLessThanOrEqual(256 * 1024);
    expect(m.endsWith('(truncated)')).toBe(true);
  });
});
