import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  booleanValue,
  bucketName,
  collect,
  endpointUrl,
  integerIn,
  kmsKeyArn,
  regionName,
  regionOfKeyArn,
  s3Uri,
} from '../../../src/cli/options.js';

const KEY = 'arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('option parsers', () => {
  it.each([
    ['bucket', () => bucketName('my-bucket.logs'), 'my-bucket.logs'],
    ['key ARN', () => kmsKeyArn(KEY), KEY],
    ['true', () => booleanValue('TRUE'), true],
    ['no', () => booleanValue('no'), false],
    ['integer', () => integerIn(1, 256)('16'), 16],
    ['endpoint', () => endpointUrl('http://127.0.0.1:5000'), 'http://127.0.0.1:5000'],
    ['region', () => regionName('us-gov-west-1'), 'us-gov-west-1'],
    ['list', () => collect(bucketName)('a-1,b-2', ['c-3']), ['c-3', 'a-1', 'b-2']],
    [
      'S3 URI',
      () => s3Uri('manifest.json')('s3://inv-1/a/b/manifest.json'),
      { bucket: 'inv-1', key: 'a/b/manifest.json' },
    ],
  ])('accepts a valid %s', (_name, parse, expected) => {
    expect(parse()).toEqual(expected);
  });

  it.each([
    ['an s3:// URI as bucket', () => bucketName('s3://my-bucket'), /give the name, not s3:\/\//],
    ['an upper-case bucket', () => bucketName('MyBucket'), /not an S3 bucket name/],
    ['an alias as key', () => kmsKeyArn('alias/data'), /an alias is not accepted/],
    ['a key id as key', () => kmsKeyArn('1234abcd-12ab-34cd-56ef-1234567890ab'), /full KMS key ARN/],
    ['a word as boolean', () => booleanValue('maybe'), /true or false/],
    ['zero concurrency', () => integerIn(1, 256)('0'), /from 1 to 256, got 0/],
    ['a fraction', () => integerIn(1, 256)('1.5'), /whole number/],
    ['a path as endpoint', () => endpointUrl('localhost:5000'), /must start with http/],
    ['a made-up region', () => regionName('europe'), /not an AWS Region name/],
    ['a path as S3 URI', () => s3Uri()('/tmp/manifest.json'), /expected s3:\/\/bucket\/key/],
    [
      'an S3 URI of the wrong file',
      () => s3Uri('manifest.json')('s3://inv-1/a/b.csv.gz'),
      /S3 URI of a manifest\.json/,
    ],
  ])('refuses %s with a message naming the expected form', (_name, parse, message) => {
    expect(parse).toThrow(InvalidArgumentError);
    expect(parse).toThrow(message);
  });

  it('reads the Region of a key ARN', () => {
    expect(regionOfKeyArn(KEY)).toBe('eu-west-2');
    expect(regionOfKeyArn('alias/x')).toBeUndefined();
  });
});
