import { describe, expect, it } from 'vitest';
import { jobStatusChangedEvent, s3ObjectCreatedEvent } from '../../../src/pipeline/events.js';
import { parseReportEvent } from '../../../src/report/events.js';
import { parseTriggerEvent } from '../../../src/trigger/event.js';
import { loadEvent } from '../../helpers/inventory.js';

/** Every property path of a JSON document (array items merged), e.g. `Records[].s3.object.key`. */
function paths(v: unknown, at = ''): string[] {
  if (Array.isArray(v)) return [...new Set(v.flatMap((x) => paths(x, `${at}[]`)))];
  if (typeof v !== 'object' || v === null) return [at];
  return Object.entries(v).flatMap(([k, x]) => [`${at}.${k}`, ...paths(x, `${at}.${k}`)]);
}

const created = (key: string) =>
  s3ObjectCreatedEvent({
    bucket: 'inventory-bucket',
    key,
    size: 1024,
    etag: '"d41d8cd98f00b204e9800998ecf8427e"',
    versionId: '096fKKXTRTtl3on89fVO.nfljtsv6qko',
    region: 'eu-west-1',
    time: new Date('2026-11-01T00:00:00Z'),
  });

describe('pipeline events', () => {
  it('builds an S3 notification with the same fields as the sample S3 sends', () => {
    // Prepare
    const sample = loadEvent('s3/inventory-manifest-created.json');
    // Act
    const event = created('inventory/data/daily/2026-11-01T00-00Z/manifest.json');
    // Assess
    expect(paths(event).sort()).toEqual(paths(sample).sort());
  });

  it.each([
    { case: 'plain', key: 'inventory/data-bucket/daily/2026-11-01T00-00Z/manifest.json' },
    { case: 'spaces and plus', key: 'inv entory+x/data-bucket/daily config/2026-11-01T00-00Z/manifest.json' },
    { case: 'percent and unicode', key: 'inv%20/données/ü/2026-11-01T00-00Z/manifest.json' },
  ])('encodes a $case key so the trigger decodes it back exactly', ({ key }) => {
    // Act
    const [item] = parseTriggerEvent(created(key));
    // Assess
    expect(item).toMatchObject({
      kind: 'manifest',
      ref: { bucket: 'inventory-bucket', key, etag: 'd41d8cd98f00b204e9800998ecf8427e', region: 'eu-west-1' },
    });
  });

  it('announces a completion report the report function recognises', () => {
    // Act
    const parsed = parseReportEvent(
      created('reports/job-e849b567-5232-44be-9a0c-40988f14e80c/manifest.json'),
    );
    // Assess
    expect(parsed.triggers).toEqual([
      {
        kind: 'report-object',
        location: {
          bucket: 'inventory-bucket',
          manifestKey: 'reports/job-e849b567-5232-44be-9a0c-40988f14e80c/manifest.json',
          jobId: 'e849b567-5232-44be-9a0c-40988f14e80c',
          prefix: 'reports',
        },
      },
    ]);
  });

  it('builds the job status change with the fields of the sample and the report function reads it', () => {
    // Prepare
    const sample = loadEvent('report/job-status-failed.json');
    // Act
    const event = jobStatusChangedEvent({
      jobId: 'job-1',
      accountId: '111122223333',
      region: 'us-east-1',
      status: 'Failed',
      failureCodes: ['TaskFailureThresholdExceeded'],
      statusChangeReason: ['too many failures'],
    });
    // Assess
    expect(paths(event).filter((p) => !paths(sample).includes(p))).toEqual([]);
    expect(parseReportEvent(event).triggers).toEqual([
      {
        kind: 'job-status',
        jobId: 'job-1',
        status: 'Failed',
        accountId: '111122223333',
        failureCodes: ['TaskFailureThresholdExceeded'],
        statusChangeReason: ['too many failures'],
      },
    ]);
  });
});
