import { ConfigError } from './errors.js';

// Full key ARN only: UpdateObjectEncryption rejects aliases, and an alias on PUT resolves in the
// requester's account (aws-facts §6.1), so the pipeline always works with the resolved key ARN.
const KEY_ARN =
  /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):kms:([a-z0-9-]+):(\d{12}):key\/([A-Za-z0-9-]+)$/;

export interface KmsKeyArnParts {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly keyId: string;
}

export function parseKmsKeyArn(value: string, field = 'targetKeyArn'): KmsKeyArnParts {
  const m = KEY_ARN.exec(value);
  if (!m) {
    const hint = value.includes('alias/') ? ' (an alias is not accepted here; use the key ARN)' : '';
    throw new ConfigError(
      `${field} must be a full KMS key ARN like arn:aws:kms:<region>:<account>:key/<id>, got "${value}"${hint}`,
      { variable: field },
    );
  }
  return { partition: m[1]!, region: m[2]!, account: m[3]!, keyId: m[4]! };
}

export const isKmsKeyArn = (value: string): boolean => KEY_ARN.test(value);
