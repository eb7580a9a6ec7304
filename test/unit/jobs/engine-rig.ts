import type { BatchHandler } from '../../../src/batch/types.js';
import {
  LocalBatchEngine,
  type LocalBatchEngineOptions,
  type LocalJobEvent,
} from '../../../src/jobs/local-engine.js';
import type { CreateJobRequest, JobManifestSpec, JobStatus } from '../../../src/jobs/port.js';
import { aCreateJobRequest, csvManifestText } from '../../helpers/jobs.js';
import { memoryS3 } from '../../helpers/memory-s3.js';

export const MANIFESTS = 'manifests';
export const REPORTS = 'reports';

/** Engine over an in-memory S3 holding the manifest; records events and sleeps instead of waiting. */
export function rig(handler: BatchHandler, options: Partial<LocalBatchEngineOptions> = {}) {
  const s3 = memoryS3([MANIFESTS, REPORTS, 'src']);
  const events: LocalJobEvent[] = [];
  const sleeps: number[] = [];
  const waiters: { status: JobStatus; resolve: () => void }[] = [];
  const engine = new LocalBatchEngine({
    s3: s3.client,
    handler,
    random: () => 0,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onEvent: (e) => {
      events.push(e);
      if (e.type === 'status') for (const w of waiters.filter((x) => x.status === e.status)) w.resolve();
    },
    ...options,
  });
  const manifest = (
    rows: readonly (readonly string[])[],
    fields: ('Bucket' | 'Key' | 'VersionId')[] = ['Bucket', 'Key'],
  ) => {
    const etag = s3.put(MANIFESTS, 'job/manifest.csv', csvManifestText(rows));
    return {
      format: 'S3BatchOperations_CSV_20180820',
      bucket: MANIFESTS,
      key: 'job/manifest.csv',
      etag,
      fields,
    } as const;
  };
  const request = (manifestSpec: JobManifestSpec, overrides: Partial<CreateJobRequest> = {}) =>
    aCreateJobRequest({
      manifest: manifestSpec,
      report: { bucket: REPORTS, prefix: 'r', scope: 'AllTasks' },
      ...overrides,
    });
  const statusReached = (status: JobStatus) =>
    new Promise<void>((resolve) => waiters.push({ status, resolve }));
  return { s3, engine, events, sleeps, manifest, request, statusReached };
}
