import { describe, expect, it } from 'vitest';
import { resolvePipeline, triggerSettingsFor, userArgumentsFor } from '../../../src/pipeline/settings.js';
import type { LocalPipelineOptions } from '../../../src/pipeline/types.js';

const KEY = {
  keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  account: '111122223333',
};

const options = (over: Partial<LocalPipelineOptions> = {}): LocalPipelineOptions => ({
  source: { kind: 'csv', uri: 's3://work/tasks.csv' },
  targetKey: 'alias/data',
  region: 'eu-west-1',
  updateRoute: 'disabled',
  reports: { bucket: 'work-bucket' },
  ...over,
});

describe('local pipeline settings', () => {
  it('puts manifests and checkpoints beside the reports unless told otherwise', () => {
    // Act
    const r = resolvePipeline(options(), KEY);
    // Assess
    expect(r).toMatchObject({
      accountId: '111122223333',
      targetKeyArn: KEY.keyArn,
      bucketKey: true,
      strategy: 'auto',
      multipartThresholdBytes: 5 * 1024 ** 3,
      reports: { bucket: 'work-bucket', prefix: 'reports' },
      manifests: { bucket: 'work-bucket', prefix: 'manifests' },
      checkpoints: { bucket: 'work-bucket', prefix: 'checkpoints' },
      functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:s3-reencrypt-local',
    });
  });

  it('trims slashes from the prefixes it is given', () => {
    // Act
    const r = resolvePipeline(
      options({ reports: { bucket: 'r', prefix: '/a/b/' }, manifests: { bucket: 'm', prefix: 'c/' } }),
      KEY,
    );
    // Assess
    expect(r.reports).toEqual({ bucket: 'r', prefix: 'a/b' });
    expect(r.manifests).toEqual({ bucket: 'm', prefix: 'c' });
    expect(r.checkpoints).toEqual({ bucket: 'm', prefix: 'checkpoints' });
  });

  it.each([0, 1.5, 5 * 1024 ** 3 + 1])('refuses a multipart threshold of %d bytes', (thresholdBytes) => {
    // Act
    const resolve = () => resolvePipeline(options({ multipart: { thresholdBytes } }), KEY);
    // Assess
    expect(resolve).toThrow(RangeError);
    expect(resolve).toThrow(/multipart\.thresholdBytes/);
  });

  it.each([
    { updateRoute: 'enabled' as const, updateAvailable: true },
    { updateRoute: 'disabled' as const, updateAvailable: false },
  ])(
    'tells the trigger the update route is available only when it is $updateRoute',
    ({ updateRoute, updateAvailable }) => {
      // Act
      const s = triggerSettingsFor(resolvePipeline(options({ updateRoute }), KEY), options({ updateRoute }));
      // Assess
      expect(s.updateAvailable).toBe(updateAvailable);
      expect(s.nativeUpdateJob).toBe(false);
    },
  );

  it('keeps the default selection where the caller says nothing', () => {
    // Prepare
    const o = options({ selection: { reencryptAllSseKms: true, includePrefixes: ['logs/'] } });
    // Act
    const s = triggerSettingsFor(resolvePipeline(o, KEY), o);
    // Assess
    expect(s.selection).toEqual({
      includePrefixes: ['logs/'],
      excludePrefixes: [],
      versions: 'current',
      reencryptAllSseKms: true,
    });
    expect(s.targetKey).toBe(KEY.keyArn);
  });

  it('passes the job arguments the re-encrypt function reads, hints only when the manifest has them', () => {
    // Prepare
    const r = resolvePipeline(options({ bucketKey: false, strategy: 'copy' }), KEY);
    // Act
    const plain = userArgumentsFor(r, false);
    const hinted = userArgumentsFor(r, true);
    // Assess
    expect(plain).toEqual({
      targetKeyArn: KEY.keyArn,
      bucketKey: 'false',
      strategy: 'copy',
      multipartThresholdBytes: String(5 * 1024 ** 3),
      deletePriorVersion: 'false',
    });
    expect(hinted).toEqual({ ...plain, hints: '1' });
  });
});
