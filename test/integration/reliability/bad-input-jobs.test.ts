/**
 * Bad-input corpus, part 2 (fixtures in test/helpers/bad-input/): jobs for the local Batch engine (CreateJob
 * requests and CSV manifests), completion reports and the completion-report function's events, and command
 * lines. Each case must be refused with an error naming the problem and leave every bucket of the world as it
 * was (ListObjectVersions before and after): no job (or, for a manifest Batch would fail in Preparing, a
 * Failed job that ran no task and wrote no report), no summary, no retry job, no notification, and for the
 * CLI not a single request sent.
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { encodeKey } from '../../../src/batch/keys.js';
import type { BatchHandler } from '../../../src/batch/types.js';
import { runCli } from '../../../src/cli/app.js';
import { commands } from '../../../src/cli/registry.js';
import { InvalidJobRequestError } from '../../../src/jobs/errors.js';
import { LocalBatchEngine } from '../../../src/jobs/local-engine.js';
import type { CreateJobRequest } from '../../../src/jobs/port.js';
import { silentLogger } from '../../../src/observability/logger.js';
import { RecordingMetrics } from '../../../src/observability/metrics.js';
import { makeReencryptHandler } from '../../../src/reencrypt/index.js';
import { SINGLE_COPY_LIMIT_BYTES } from '../../../src/reencrypt/types.js';
import { ReportEventError } from '../../../src/report/errors.js';
import { parseReportEvent } from '../../../src/report/events.js';
import { locationFor, summaryJsonKey } from '../../../src/report/location.js';
import { type CompletionReportSettings, makeCompletionReport } from '../../../src/report/process.js';
import { CLI_CASES } from '../../helpers/bad-input/cli.js';
import { type CsvManifestSpec, ENGINE_JOB_CASES } from '../../helpers/bad-input/jobs.js';
import {
  REPORT_CASES,
  REPORT_EVENT_CASES,
  type ReportDelivery,
  validResultsCsv,
} from '../../helpers/bad-input/reports.js';
import {
  ACCOUNT_ID,
  aCreateJobRequest,
  FUNCTION_ARN,
  lambdaOperation,
  ROLE_ARN,
} from '../../helpers/jobs.js';
import { newBucket } from '../../support/aws.js';
import { type S3Proxy, startS3Proxy } from '../../support/s3-proxy.js';
import { fakeIo } from '../../unit/cli/fake-io.js';
import {
  type BadInputWorld,
  badInputWorld,
  DATA_KEYS,
  expectUnchanged,
  RecordingBatchJobs,
  RecordingNotifier,
  rejection,
  snapshot,
} from './bad-input-world.js';
import { seedObjects } from './rig.js';

let w: BadInputWorld;
let proxy: S3Proxy;

beforeAll(async () => {
  [w, proxy] = await Promise.all([badInputWorld(), startS3Proxy({ target: inject('motoEndpoint') })]);
});
afterAll(async () => {
  await proxy.stop();
});

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

describe('jobs for the local Batch engine', () => {
  let n = 0;

  /** The real re-encrypt handler, counting its invocations. */
  function engineWithCountingHandler() {
    const real = makeReencryptHandler(
      { s3: w.s3 },
      {
        bucketKey: true,
        strategy: 'auto',
        multipartThresholdBytes: SINGLE_COPY_LIMIT_BYTES,
        deletePriorVersion: false,
        updateRoute: 'disabled',
      },
    );
    const calls = { n: 0 };
    const handler: BatchHandler = (event, context) => {
      calls.n++;
      return real(event, context);
    };
    return { engine: new LocalBatchEngine({ s3: w.s3, handler, concurrency: 2 }), calls };
  }

  /** Writes a manifest of `rows` to the work bucket; returns the valid request for it. */
  async function manifestAndRequest(dataBucket: string, body?: (rows: readonly string[]) => string | Buffer) {
    n += 1;
    const rows = DATA_KEYS.map((k) => `${dataBucket},${encodeKey(k)}\n`);
    const key = 'plan/manifest.csv';
    const put = await w.s3.send(
      new PutObjectCommand({ Bucket: w.workBucket, Key: key, Body: body ? body(rows) : rows.join('') }),
    );
    const spec: CsvManifestSpec = {
      format: 'S3BatchOperations_CSV_20180820',
      bucket: w.workBucket,
      key,
      etag: (put.ETag ?? '').replace(/"/g, ''),
      fields: ['Bucket', 'Key'],
    };
    const request = aCreateJobRequest({
      clientRequestToken: `bad-input-${n}`,
      manifest: spec,
      operation: lambdaOperation({ userArguments: { targetKeyArn: w.targetKeyArn } }),
      report: { bucket: w.reportsBucket, prefix: 'reports', scope: 'AllTasks' },
    });
    return { spec, request };
  }

  it('runs the same job when it is valid (the cases fail for their own reason)', async () => {
    // Prepare: a bucket of its own, so the world's objects stay unencrypted
    const data = await newBucket(w.s3, { prefix: 'control' });
    await seedObjects(w.s3, data, DATA_KEYS);
    const { request } = await manifestAndRequest(data);
    const { engine, calls } = engineWithCountingHandler();
    // Act
    const job = await engine.waitFor((await engine.create(request)).jobId);
    // Assess
    expect(job).toMatchObject({ status: 'Complete', progress: { succeeded: 2, failed: 0 } });
    expect(calls.n).toBe(2);
  });

  it.each(ENGINE_JOB_CASES)('$name', async ({ input, names }) => {
    // Prepare
    const { engine, calls } = engineWithCountingHandler();
    const { spec, request } = await manifestAndRequest(
      w.dataBucket,
      input.kind === 'manifest' ? input.body : undefined,
    );
    const before = await snapshot(w);
    // Act + Assess
    if (input.kind === 'request') {
      const error = await rejection(engine.create(input.edit(request)));
      // refused at create(): no job exists
      expect(error).toBeInstanceOf(InvalidJobRequestError);
      expect((error as Error).message).toMatch(names);
      expect(await engine.list(ACCOUNT_ID)).toEqual([]);
    } else {
      const bad: CreateJobRequest = {
        ...request,
        manifest: input.spec ? input.spec(spec) : spec,
        report: { ...request.report, bucket: input.reportBucket ?? request.report.bucket },
      };
      const job = await engine.waitFor((await engine.create(bad)).jobId);
      // failed in Preparing, as Batch does, with the reason; no task ran and no report was written
      expect(job).toMatchObject({ status: 'Failed', progress: { succeeded: 0, failed: 0 } });
      expect(job.failureReasons).toEqual([{ code: input.code, reason: expect.stringMatching(names) }]);
    }
    expect(calls.n).toBe(0);
    await expectUnchanged(w, before);
  });
});

describe('completion reports and their events', () => {
  let n = 0;

  function useCase() {
    const jobs = new RecordingBatchJobs();
    const notifier = new RecordingNotifier();
    const settings: CompletionReportSettings = {
      reportBucket: w.reportsBucket,
      reportPrefix: 'reports',
      accountId: ACCOUNT_ID,
      sampleKeys: 3,
      keysEncoded: true,
      // Retry jobs on: a report read by mistake would show as a created job.
      retry: {
        enabled: true,
        maxAttempts: 2,
        accountId: ACCOUNT_ID,
        roleArn: ROLE_ARN,
        functionArn: FUNCTION_ARN,
        userArguments: { targetKeyArn: w.targetKeyArn },
        priority: 10,
        confirmationRequired: false,
      },
      cost: { region: 'us-east-1', bucketKey: true },
      claimMs: 60_000,
    };
    const run = makeCompletionReport({
      s3: w.s3,
      settings,
      metrics: new RecordingMetrics(),
      logger: silentLogger,
      notifier,
      jobs,
    });
    return { run, jobs, notifier };
  }

  /** Writes a report in the AWS layout (one result file) as the case describes; returns its location. */
  async function deliver(d: Omit<ReportDelivery, 'error'>) {
    n += 1;
    const jobId = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const loc = locationFor(w.reportsBucket, 'reports', jobId);
    const valid = validResultsCsv(w.dataBucket);
    const bytes = d.results ? d.results(valid) : valid;
    const resultKey = `reports/job-${jobId}/results/${createHash('sha1').update(jobId).digest('hex')}.csv`;
    if (!d.noResults)
      await w.s3.send(new PutObjectCommand({ Bucket: w.reportsBucket, Key: resultKey, Body: bytes }));
    const manifest = {
      Format: 'Report_CSV_20180820',
      ReportCreationDate: '2026-01-02T03:04:05.000Z',
      Results: [
        {
          TaskExecutionStatus: 'failed',
          Bucket: w.reportsBucket,
          MD5Checksum: d.staleMd5 ? md5(valid) : md5(bytes),
          Key: resultKey,
        },
      ],
      ReportSchema: 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage',
    };
    const doc = d.manifest ? d.manifest(manifest) : manifest;
    if (doc !== undefined)
      await w.s3.send(
        new PutObjectCommand({
          Bucket: w.reportsBucket,
          Key: loc.manifestKey,
          Body: typeof doc === 'string' ? doc : JSON.stringify(doc),
        }),
      );
    return loc;
  }

  it('summarises the same report when it is valid (the cases fail for their own reason)', async () => {
    // Prepare
    const { run, jobs, notifier } = useCase();
    const loc = await deliver({});
    // Act
    const outcome = await run({ kind: 'report-object', location: loc });
    // Assess: a summary, a retry job for the TemporaryFailure, a notification
    expect(outcome.status).toBe('summarised');
    expect(jobs.created).toHaveLength(1);
    expect(notifier.published).toHaveLength(1);
    const summary = await w.s3.send(new GetObjectCommand({ Bucket: loc.bucket, Key: summaryJsonKey(loc) }));
    expect(summary.ContentLength).toBeGreaterThan(0);
  });

  it.each(REPORT_CASES)('$name', async ({ input, names }) => {
    // Prepare: the report is written first; the snapshot covers it
    const { run, jobs, notifier } = useCase();
    const loc = await deliver(input);
    const before = await snapshot(w);
    // Act
    const error = await rejection(run({ kind: 'report-object', location: loc }));
    // Assess: no summary.json / summary.md, no retry manifest or job, no notification
    expect(error).toBeInstanceOf(input.error);
    expect((error as Error).message).toMatch(names);
    expect(jobs.created).toEqual([]);
    expect(notifier.published).toEqual([]);
    await expectUnchanged(w, before);
  });

  it.each(REPORT_EVENT_CASES)('event: $name', async ({ input, names }) => {
    // Prepare
    const { run, jobs, notifier } = useCase();
    const before = await snapshot(w);
    // Act: what the completion-report function does with an event
    const error = await rejection(
      (async () => {
        for (const trigger of parseReportEvent(input(w.reportsBucket)).triggers) await run(trigger);
      })(),
    );
    // Assess
    expect(error).toBeInstanceOf(ReportEventError);
    expect((error as Error).message).toMatch(names);
    expect(jobs.created).toEqual([]);
    expect(notifier.published).toEqual([]);
    await expectUnchanged(w, before);
  });
});

describe('command lines', () => {
  // Every command of the binary, as `s3-reencrypt` registers them.
  const COMMANDS = commands;
  const io = () => fakeIo({ AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
  const world = () => ({ bucket: w.dataBucket, targetKeyArn: w.targetKeyArn, endpoint: proxy.endpoint });

  it('reaches S3 with the same arguments when they are valid (the cases fail for their own reason)', async () => {
    // Prepare: the SDK reads credentials from the process environment
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'testing');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing');
    const out = io();
    proxy.resetCounts();
    // Act
    const code = await runCli(
      ['verify', '--bucket', w.dataBucket, '--target-key', w.targetKeyArn, '--endpoint-url', proxy.endpoint],
      out,
      COMMANDS,
      '0.0.0-test',
    );
    vi.unstubAllEnvs();
    // Assess: the world's objects are unencrypted, so verify finds them and exits 1
    expect(out.stderr.text()).toBe('');
    expect(code).toBe(1);
    expect(proxy.counts().total).toBeGreaterThan(0);
  });

  it.each(CLI_CASES)('$name', async ({ input, names }) => {
    // Prepare
    const out = io();
    const before = await snapshot(w);
    proxy.resetCounts();
    // Act
    const code = await runCli(input(world()), out, COMMANDS, '0.0.0-test');
    // Assess: exit 2, an error line naming the option (after the help text, for no command), nothing on
    // stdout, no request at all
    expect(code).toBe(2);
    const errorLines = out.stderr
      .text()
      .split('\n')
      .filter((l) => l.startsWith('error: '));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(names);
    expect(out.stdout.text()).toBe('');
    expect(proxy.counts().total).toBe(0);
    await expectUnchanged(w, before);
  });
});
