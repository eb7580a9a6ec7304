import { DescribeKeyCommand, type KeyMetadata, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  TargetKeyCheckError,
  TargetKeyNotFoundError,
  TargetKeyRegionError,
  TargetKeyStateError,
  TargetKeyTypeError,
} from '../../../src/kms/errors.js';
import { regionOfKeyReference, validateTargetKey } from '../../../src/kms/validate.js';

// KMS states moto cannot produce (pending deletion, AWS managed keys, access denied) come from a client mock.
const kmsMock = mockClient(KMSClient);
const kms = new KMSClient({ region: 'us-east-1' });
const ARN = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';

const meta = (overrides: Partial<KeyMetadata> = {}): KeyMetadata => ({
  KeyId: '11111111-2222-3333-4444-555555555555',
  Arn: ARN,
  AWSAccountId: '123456789012',
  Enabled: true,
  KeyState: 'Enabled',
  KeySpec: 'SYMMETRIC_DEFAULT',
  KeyUsage: 'ENCRYPT_DECRYPT',
  KeyManager: 'CUSTOMER',
  ...overrides,
});

describe('validateTargetKey', () => {
  afterEach(() => kmsMock.reset());

  it('returns the key ARN of an alias after one DescribeKey', async () => {
    // Prepare
    kmsMock.on(DescribeKeyCommand).resolves({ KeyMetadata: meta() });
    // Act
    const key = await validateTargetKey(kms, 'alias/data-key', 'us-east-1');
    // Assess
    expect(key).toEqual({
      keyArn: ARN,
      keyId: '11111111-2222-3333-4444-555555555555',
      region: 'us-east-1',
      account: '123456789012',
      alias: 'alias/data-key',
      keyManager: 'CUSTOMER',
    });
    expect(kmsMock).toHaveReceivedCommandWith(DescribeKeyCommand, { KeyId: 'alias/data-key' });
  });

  it.each<[string, Partial<KeyMetadata>, typeof TargetKeyStateError | typeof TargetKeyTypeError, RegExp]>([
    [
      'pending deletion',
      { Enabled: false, KeyState: 'PendingDeletion' },
      TargetKeyStateError,
      /is PendingDeletion; it must be Enabled/,
    ],
    ['disabled', { Enabled: false, KeyState: 'Disabled' }, TargetKeyStateError, /is Disabled/],
    ['an RSA key', { KeySpec: 'RSA_2048' }, TargetKeyTypeError, /RSA_2048; S3 needs a symmetric/],
    ['an HMAC key', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, TargetKeyTypeError, /HMAC_256/],
    [
      'a symmetric key for MACs',
      { KeyUsage: 'GENERATE_VERIFY_MAC' },
      TargetKeyTypeError,
      /usage GENERATE_VERIFY_MAC/,
    ],
    ['the AWS managed aws/s3 key', { KeyManager: 'AWS' }, TargetKeyTypeError, /AWS managed key/],
  ])('refuses a key that is %s', async (_name, overrides, type, message) => {
    // Prepare
    kmsMock.on(DescribeKeyCommand).resolves({ KeyMetadata: meta(overrides) });
    // Act
    const act = validateTargetKey(kms, ARN, 'us-east-1');
    // Assess
    await expect(act).rejects.toThrow(type);
    await expect(validateTargetKey(kms, ARN, 'us-east-1')).rejects.toThrow(message);
  });

  it('refuses a key ARN of another Region without asking KMS', async () => {
    // Act
    const act = validateTargetKey(kms, ARN.replace('us-east-1', 'eu-west-2'), 'us-east-1');
    // Assess
    await expect(act).rejects.toThrow(TargetKeyRegionError);
    expect(kmsMock).not.toHaveReceivedCommand(DescribeKeyCommand);
  });

  it('refuses an alias whose key turns out to be in another Region', async () => {
    kmsMock
      .on(DescribeKeyCommand)
      .resolves({ KeyMetadata: meta({ Arn: ARN.replace('us-east-1', 'us-west-2') }) });
    await expect(validateTargetKey(kms, 'alias/x', 'us-east-1')).rejects.toThrow(
      /in us-west-2 but the bucket is in us-east-1/,
    );
  });

  it('names a missing key', async () => {
    kmsMock
      .on(DescribeKeyCommand)
      .rejects(Object.assign(new Error('Alias not found'), { name: 'NotFoundException' }));
    await expect(validateTargetKey(kms, 'alias/nope', 'us-east-1')).rejects.toThrow(TargetKeyNotFoundError);
  });

  it('reports a key it may not describe as unchecked, not as bad', async () => {
    kmsMock
      .on(DescribeKeyCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    await expect(validateTargetKey(kms, ARN, 'us-east-1')).rejects.toThrow(TargetKeyCheckError);
  });
});

describe('regionOfKeyReference', () => {
  it.each([
    [ARN, 'us-east-1'],
    ['arn:aws:kms:eu-west-2:123456789012:alias/data', 'eu-west-2'],
    ['alias/data', undefined],
    ['11111111-2222-3333-4444-555555555555', undefined],
  ])('reads the Region of %s', (ref, region) => {
    expect(regionOfKeyReference(ref)).toBe(region);
  });
});
