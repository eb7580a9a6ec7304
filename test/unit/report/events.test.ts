import { describe, expect, it } from 'vitest';
import { ReportEventError } from '../../../src/report/errors.js';
import { parseReportEvent } from '../../../src/report/events.js';
import { loadReportEvent } from '../../helpers/report.js';

const JOB = 'e849b567-5232-44be-9a0c-40988f14e80c';
const WORK = 's3-reencrypt-prod-work';

describe('parseReportEvent', () => {
  it('reads a Complete job status change from EventBridge', async () => {
    // Act
    const out = parseReportEvent(await loadReportEvent('job-status-complete'));
    // Assess
    expect(out.triggers).toEqual([
      {
        kind: 'job-status',
        jobId: JOB,
        status: 'Complete',
        accountId: '111122223333',
        failureCodes: [],
        statusChangeReason: [],
      },
    ]);
  });

  it('keeps the failure codes and reasons of a Failed job', async () => {
    // Act
    const out = parseReportEvent(await loadReportEvent('job-status-failed'));
    // Assess
    expect(out.triggers[0]).toMatchObject({
      status: 'Failed',
      failureCodes: ['FailureThresholdExceeded'],
      statusChangeReason: ['Job failed because more than 50% of the tasks failed'],
    });
  });

  it.each([
    ['job-status-active', /is Active, not finished/],
    ['job-created', /CloudTrail event JobCreated/],
    ['s3-test-event', /S3 test event/],
    ['eventbridge-summary-created', /summary.json is not a report manifest.json/],
  ])('ignores %s with a reason', async (name, why) => {
    // Act
    const out = parseReportEvent(await loadReportEvent(name));
    // Assess
    expect(out.triggers).toEqual([]);
    expect(out.ignored.join('\n')).toMatch(why);
  });

  it.each(['s3-manifest-created', 'eventbridge-manifest-created'])(
    'reads the report location from %s',
    async (name) => {
      // Act
      const out = parseReportEvent(await loadReportEvent(name));
      // Assess
      expect(out.triggers).toEqual([
        {
          kind: 'report-object',
          location: {
            bucket: WORK,
            manifestKey: `reports/job-${JOB}/manifest.json`,
            jobId: JOB,
            prefix: 'reports',
          },
        },
      ]);
    },
  );

  it('decodes a form-encoded key in a classic notification', async () => {
    // Prepare
    const event = await loadReportEvent('s3-manifest-created');
    const record = (event.Records as { s3: { object: { key: string } } }[])[0];
    if (!record) throw new Error('sample has no record');
    record.s3.object.key = 'my+reports/job-1/manifest.json';
    // Act
    const out = parseReportEvent(event);
    // Assess
    expect(out.triggers[0]).toMatchObject({ location: { prefix: 'my reports', jobId: '1' } });
  });

  it('accepts a manual reportUri', () => {
    // Act
    const out = parseReportEvent({ reportUri: 's3://b/job-42/manifest.json' });
    // Assess
    expect(out.triggers).toEqual([
      {
        kind: 'report-object',
        location: { bucket: 'b', manifestKey: 'job-42/manifest.json', jobId: '42', prefix: '' },
      },
    ]);
  });

  it.each([
    ['a string', 'hello', /not a JSON object/],
    ['an unknown shape', { hello: 'world' }, /unrecognised event/],
    [
      'a status change without a job id',
      {
        'detail-type': 'AWS Service Event via CloudTrail',
        detail: { eventName: 'JobStatusChanged', serviceEventDetails: { status: 'Complete' } },
      },
      /lacks detail.serviceEventDetails.jobId/,
    ],
    ['a bad reportUri', { reportUri: 's3://b/some/file.csv' }, /reportUri must be/],
  ])('rejects %s', (_name, event, message) => {
    // Act / Assess
    expect(() => parseReportEvent(event)).toThrow(ReportEventError);
    expect(() => parseReportEvent(event)).toThrow(message);
  });
});
