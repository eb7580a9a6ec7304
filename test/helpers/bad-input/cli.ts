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
];
