import { describe, expect, it } from 'vitest';
import { ReportFormatError } from '../../../src/report/errors.js';
import { parseReportManifest } from '../../../src/report/manifest.js';

// The top-level manifest.json of AWS's report example (aws-facts §3.3).
const AWS_EXAMPLE = {
  Format: 'Report_CSV_20180820',
  ReportCreationDate: '2019-04-05T17:48:39.725Z',
  Results: [
    {
      TaskExecutionStatus: 'succeeded',
      Bucket: 'my-job-reports',
      MD5Checksum: '83b1c4cbe93fc893f54053697e10fd6e',
      Key: 'job-f8fb9d89-a3aa-461d-bddc-ea6a1b131955/results/6217b0fab0de85c408b4be96aeaca9b195a7daa5.csv',
    },
    {
      TaskExecutionStatus: 'failed',
      Bucket: 'my-job-reports',
      MD5Checksum: '22ee037f3515975f7719699e5c416eaa',
      Key: 'job-f8fb9d89-a3aa-461d-bddc-ea6a1b131955/results/b2ddad417e94331e9f37b44f1faf8c7ed5873f2e.csv',
    },
  ],
  ReportSchema: 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage',
};

const with_ = (patch: Record<string, unknown>) => JSON.stringify({ ...AWS_EXAMPLE, ...patch });

describe('parseReportManifest', () => {
  it('reads AWS’s example manifest', () => {
    // Act
    const m = parseReportManifest(JSON.stringify(AWS_EXAMPLE));
    // Assess
    expect(m.creationDate).toBe('2019-04-05T17:48:39.725Z');
    expect(m.results).toEqual([
      {
        status: 'succeeded',
        bucket: 'my-job-reports',
        md5: '83b1c4cbe93fc893f54053697e10fd6e',
        key: AWS_EXAMPLE.Results[0]?.Key,
      },
      {
        status: 'failed',
        bucket: 'my-job-reports',
        md5: '22ee037f3515975f7719699e5c416eaa',
        key: AWS_EXAMPLE.Results[1]?.Key,
      },
    ]);
  });

  it('accepts a bucket ARN and the example column order in ReportSchema', () => {
    // Act
    const m = parseReportManifest(
      with_({
        Results: [{ ...AWS_EXAMPLE.Results[0], Bucket: 'arn:aws:s3:::my-job-reports' }],
        ReportSchema: 'Bucket, Key, VersionId, TaskStatus, HTTPStatusCode, ErrorCode, ResultMessage',
      }),
    );
    // Assess
    expect(m.results[0]?.bucket).toBe('my-job-reports');
  });

  it.each([
    ['not JSON', '{"Format": "Report_CSV_20180820", "Resu', /is not JSON/],
    ['an unknown Format', with_({ Format: 'Report_CSV_20990101' }), /unknown Format "Report_CSV_20990101"/],
    ['a missing Format', with_({ Format: undefined }), /unknown Format undefined/],
    ['a bad creation date', with_({ ReportCreationDate: 'yesterday' }), /ReportCreationDate/],
    ['no Results', with_({ Results: undefined }), /Results is missing/],
    [
      'a bad status',
      with_({ Results: [{ ...AWS_EXAMPLE.Results[0], TaskExecutionStatus: 'done' }] }),
      /TaskExecutionStatus/,
    ],
    [
      'a missing checksum',
      with_({ Results: [{ ...AWS_EXAMPLE.Results[0], MD5Checksum: undefined }] }),
      /MD5Checksum/,
    ],
    ['a missing key', with_({ Results: [{ ...AWS_EXAMPLE.Results[0], Key: '' }] }), /Key is missing/],
    ['another schema', with_({ ReportSchema: 'Bucket, Key, TaskStatus' }), /unsupported ReportSchema/],
    ['a JSON array', '[]', /not a JSON object/],
  ])('rejects %s', (_name, text, message) => {
    // Act / Assess
    expect(() => parseReportManifest(text, { bucket: 'r', key: 'job-1/manifest.json' })).toThrow(
      ReportFormatError,
    );
    expect(() => parseReportManifest(text, { bucket: 'r', key: 'job-1/manifest.json' })).toThrow(message);
  });
});
