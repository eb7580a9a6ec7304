/**
 * Command lines the CLI must refuse with exit code 2 and one `error:` line naming the option or command,
 * before it sends any request (architecture.md "Command line contract").
 */
import type { BadInputCase } from './types.js';

/** What a command line may name; `endpoint` is where any request would go (a counting proxy in the test). */
export interface CliWorld {
  readonly bucket: string;
  readonly targetKeyArn: string;
  readonly endpoint: string;
}

export type CliInput = (w: CliWorld) => readonly string[];

const verify = (w: CliWorld, ...rest: string[]) => [
  'verify',
  '--bucket',
  w.bucket,
  '--target-key',
  w.targetKeyArn,
  '--endpoint-url',
  w.endpoint,
  ...rest,
];
const enforce = (w: CliWorld, ...rest: string[]) => [
  'enforce',
  '--bucket',
  w.bucket,
  '--target-key',
  w.targetKeyArn,
  '--endpoint-url',
  w.endpoint,
  ...rest,
];
const estimate = (...rest: string[]) => [
  'estimate',
  '--objects',
  '10',
  '--bytes',
  '1000',
  '--gets-per-month',
  '0',
  '--puts-per-month',
  '0',
  ...rest,
];

/** `run` / `submit` with every required option valid; `rest` adds or repeats options (commander keeps the last). */
const job = (command: 'run' | 'submit', w: CliWorld, ...rest: string[]) => [
  command,
  '--manifest',
  `s3://${w.bucket}/plan/manifest.csv`,
  '--target-key',
  w.targetKeyArn,
  '--report',
  `s3://${w.bucket}/reports`,
  '--endpoint-url',
  w.endpoint,
  ...(command === 'submit'
    ? [
        '--role-arn',
        'arn:aws:iam::123456789012:role/batch',
        '--function-arn',
        'arn:aws:lambda:us-east-1:123456789012:function:reencrypt',
      ]
    : []),
  ...rest,
];
const JOB_ID = '8d1f3a6e-2b4c-4d5e-9f60-7a8b9c0d1e2f';

export const CLI_CASES: readonly BadInputCase<CliInput>[] = [
  {
    name: 'an unknown command',
    input: () => ['reencrypt-everything'],
    names: /unknown command 'reencrypt-everything'/,
  },
  { name: 'no command', input: () => [], names: /a command is required \(see s3-reencrypt --help\)/ },
  { name: 'an unknown option', input: (w) => verify(w, '--fast'), names: /unknown option '--fast'/ },
  {
    name: 'verify without --target-key',
    input: (w) => ['verify', '--bucket', w.bucket, '--endpoint-url', w.endpoint],
    names: /required option '--target-key <arn>' not specified/,
  },
  {
    name: 'a target key given as an alias',
    input: (w) => [
      'verify',
      '--bucket',
      w.bucket,
      '--target-key',
      'alias/data',
      '--endpoint-url',
      w.endpoint,
    ],
    names: /--target-key <arn>.*alias\/data.*an alias is not accepted/,
  },
  {
    name: 'a bucket given as an S3 URI',
    input: (w) => [
      'verify',
      '--bucket',
      `s3://${w.bucket}`,
      '--target-key',
      w.targetKeyArn,
      '--endpoint-url',
      w.endpoint,
    ],
    names: /--bucket <name>.*is not an S3 bucket name/,
  },
  {
    name: 'a concurrency above 256',
    input: (w) => verify(w, '--concurrency', '1000'),
    names: /--concurrency <n>.*from 1 to 256, got 1000/,
  },
  {
    name: 'a Region that is not one',
    input: (w) => verify(w, '--region', 'mars-1'),
    names: /--region <region>.*"mars-1" is not an AWS Region name/,
  },
  {
    name: 'an endpoint that is not http(s)',
    input: (w) => [
      'verify',
      '--bucket',
      w.bucket,
      '--target-key',
      w.targetKeyArn,
      '--endpoint-url',
      'ftp://127.0.0.1:21',
    ],
    names: /--endpoint-url <url>.*must start with http:\/\/ or https:\/\//,
  },
  {
    name: 'an --inventory that is not a manifest.json',
    input: (w) => verify(w, '--inventory', `s3://${w.bucket}/inventory/data.csv.gz`),
    names: /--inventory <s3-uri>.*expected the S3 URI of a manifest\.json/,
  },
  {
    name: 'a --bucket-key that is not a boolean',
    input: (w) => verify(w, '--bucket-key', 'perhaps'),
    names: /--bucket-key.*expected true or false, got "perhaps"/,
  },
  {
    name: 'enforce with zero days for incomplete uploads',
    input: (w) => enforce(w, '--abort-incomplete-uploads-days', '0'),
    names: /--abort-incomplete-uploads-days <n>.*from 1 to 365, got 0/,
  },
  {
    name: 'enforce with a reports bucket that is not a bucket name',
    input: (w) => enforce(w, '--reports-bucket', 'Batch_Reports'),
    names: /--reports-bucket <name>.*"Batch_Reports" is not an S3 bucket name/,
  },
  {
    name: 'estimate with a count that is not a number',
    input: () => [
      'estimate',
      '--objects',
      'ten',
      '--bytes',
      '1',
      '--gets-per-month',
      '0',
      '--puts-per-month',
      '0',
    ],
    names: /--objects <n>.*expected a whole number .* got "ten"/,
  },
  {
    name: 'estimate without --bytes',
    input: () => ['estimate', '--objects', '10', '--gets-per-month', '0', '--puts-per-month', '0'],
    names: /required option '--bytes <n>' not specified/,
  },
  {
    name: 'estimate with an unknown route',
    input: () => estimate('--route', 'teleport'),
    names: /--route.*teleport/,
  },
  {
    name: 'run with a manifest URL that is not S3',
    input: (w) => job('run', w, '--manifest', 'ftp://example.com/manifest.csv'),
    names:
      /--manifest <s3-uri\|path>.*expected s3:\/\/bucket\/key or a local path, got "ftp:\/\/example\.com\/manifest\.csv"/,
  },
  {
    name: 'run without --report',
    input: (w) => [
      'run',
      '--manifest',
      `s3://${w.bucket}/m.csv`,
      '--target-key',
      w.targetKeyArn,
      '--endpoint-url',
      w.endpoint,
    ],
    names: /required option '--report <s3-uri>' not specified/,
  },
  {
    name: 'run with a report bucket that is not a bucket name',
    input: (w) => job('run', w, '--report', 's3://Batch_Reports/r'),
    names: /--report <s3-uri>.*"Batch_Reports" is not an S3 bucket name/,
  },
  {
    name: 'run with a multipart threshold above 5 GiB',
    input: (w) => job('run', w, '--multipart-threshold', '6GiB'),
    names: /--multipart-threshold <bytes>.*from 1 to 5368709120, got "6GiB"/,
  },
  {
    name: 'run with a minimum size above the maximum',
    input: (w) => job('run', w, '--min-size', '10MiB', '--max-size', '1MiB'),
    names: /--min-size \(10485760\) is above --max-size \(1048576\)/,
  },
  {
    name: 'run on a local inventory manifest.json',
    input: (w) => job('run', w, '--manifest', './inventory/manifest.json'),
    names: /\.\/inventory\/manifest\.json: jobs read inventories from S3/,
  },
  {
    name: 'submit with a role that is not a role ARN',
    input: (w) => job('submit', w, '--role-arn', 'batch-role'),
    names: /--role-arn <arn>.*expected an IAM role ARN .* got "batch-role"/,
  },
  {
    name: 'submit with a function name instead of its ARN',
    input: (w) => job('submit', w, '--function-arn', 'reencrypt'),
    names: /--function-arn <arn>.*expected a Lambda function ARN/,
  },
  {
    name: 'submit with an unknown report scope',
    input: (w) => job('submit', w, '--report-scope', 'Some'),
    names: /--report-scope <scope>.*expected one of AllTasks, FailedTasksOnly, got "Some"/,
  },
  {
    name: 'plan without --inventory',
    input: (w) => ['plan', '--endpoint-url', w.endpoint],
    names: /required option '--inventory <s3-uri\|path>' not specified/,
  },
  {
    name: 'plan with an unknown strategy',
    input: (w) => [
      'plan',
      '--inventory',
      `s3://${w.bucket}/i/manifest.json`,
      '--strategy',
      'fast',
      '--endpoint-url',
      w.endpoint,
    ],
    names: /--strategy <auto\|copy\|update>.*expected one of auto, copy, update, got "fast"/,
  },
  {
    name: 'run with an unknown preflight',
    input: (w) => job('run', w, '--preflight', 'none'),
    names: /--preflight <head\|inventory>.*expected one of head, inventory, got "none"/,
  },
  {
    name: 'status of something that is not a job id',
    input: (w) => ['status', 'job-1', '--account-id', '123456789012', '--endpoint-url', w.endpoint],
    names: /"job-1" is not a Batch Operations job id/,
  },
  {
    name: 'status with an account id that is not 12 digits',
    input: (w) => ['status', JOB_ID, '--account-id', '1234', '--endpoint-url', w.endpoint],
    names: /--account-id <id>.*expected a 12-digit AWS account id, got "1234"/,
  },
  {
    name: 'report without its manifest URI',
    input: (w) => ['report', '--endpoint-url', w.endpoint],
    names: /missing required argument 'manifest-uri'/,
  },
  {
    name: 'report of an object that is not a report manifest',
    input: (w) => ['report', `s3://${w.bucket}/reports/summary.json`, '--endpoint-url', w.endpoint],
    names: /expected the S3 URI of a manifest\.json, got "s3:\/\/.*\/reports\/summary\.json"/,
  },
  {
    name: 'report of a manifest.json outside a job folder',
    input: (w) => ['report', `s3://${w.bucket}/reports/manifest.json`, '--endpoint-url', w.endpoint],
    names: /is not a completion report: expected s3:\/\/<bucket>\/<prefix>\/job-<id>\/manifest\.json/,
  },
];
