/**
 * Awkward keys end to end against moto: each key is written, named in a Batch event the way S3 sends
 * it (schema 1.0 with %20, schema 2.0 form-style with +), re-encrypted by the handler, and read back.
 * A wrong decode would fail the task (no such key) or write a second object; both are checked.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeKey } from '../../../src/batch/keys.js';
import type { BatchEvent } from '../../../src/batch/types.js';
import { AWKWARD_KEYS } from '../../helpers/objects.js';
import { motoClients, newBucket, newKmsKey } from '../../support/aws.js';
import { eventV1, eventV2 } from '../../unit/reencrypt/support/events.js';
import { motoHandler, parsedResults } from './support.js';

const { s3, kms } = motoClients();

interface Run {
  readonly bucket: string;
  readonly codes: Map<string, string>;
  readonly listed: string[];
  readonly after: Map<string, { sse?: string; keyId?: string; body: string }>;
}

async function listAll(client: S3Client, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

let targetKeyArn: string;
const runs = new Map<'1.0' | '2.0', Run>();

async function runSchema(schema: '1.0' | '2.0'): Promise<Run> {
  const bucket = await newBucket(s3, { prefix: `keys${schema.replace('.', '')}` });
  await Promise.all(
    AWKWARD_KEYS.map(({ key }) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }))),
  );
  const tasks = AWKWARD_KEYS.map(({ key, label }) => ({
    bucket,
    key,
    taskId: label,
    // Schema 2.0 gets the form-style encoding Powertools says arrives (+ for space, aws-facts §1.4).
    ...(schema === '2.0' ? { rawKey: encodeKey(key).replace(/%20/g, '+') } : {}),
  }));
  const event: BatchEvent = schema === '1.0' ? eventV1(tasks) : eventV2(tasks, { targetKeyArn });
  const response = await motoHandler(s3, targetKeyArn).handler(event, {
    getRemainingTimeInMillis: () => 900_000,
  });
  const codes = new Map(parsedResults(response).map((r) => [r.taskId, `${r.code}/${r.result.route}`]));
  const after = new Map(
    await Promise.all(
      AWKWARD_KEYS.map(async ({ key }) => {
        const [h, g] = await Promise.all([
          s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })),
          s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })),
        ]);
        const state = {
          body: (await g.Body?.transformToString()) ?? '',
          ...(h.ServerSideEncryption ? { sse: h.ServerSideEncryption } : {}),
          ...(h.SSEKMSKeyId ? { keyId: h.SSEKMSKeyId } : {}),
        };
        return [key, state] as const;
      }),
    ),
  );
  return { bucket, codes, listed: await listAll(s3, bucket), after };
}

beforeAll(async () => {
  targetKeyArn = await newKmsKey(kms, 'keys target');
  const [v1, v2] = await Promise.all([runSchema('1.0'), runSchema('2.0')]);
  runs.set('1.0', v1);
  runs.set('2.0', v2);
}, 120_000);

describe('awkward keys through both event schemas (moto)', () => {
  it('uses at least 30 awkward keys, all distinct', () => {
    expect(AWKWARD_KEYS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(AWKWARD_KEYS.map((k) => k.key)).size).toBe(AWKWARD_KEYS.length);
  });

  describe.each(['1.0', '2.0'] as const)('schema %s', (schema) => {
    it.each(AWKWARD_KEYS)('re-encrypts "$label" in place', ({ key, label }) => {
      const run = runs.get(schema)!;
      expect(run.codes.get(label)).toBe('Succeeded/copy');
      expect(run.after.get(key)).toEqual({ sse: 'aws:kms', keyId: targetKeyArn, body: key });
    });

    it('leaves exactly the original keys in the bucket (0 mismatches)', () => {
      const run = runs.get(schema)!;
      const expected = AWKWARD_KEYS.map((k) => k.key).sort();
      const mismatches = [
        ...run.listed.filter((k) => !expected.includes(k)).map((k) => `extra ${JSON.stringify(k)}`),
        ...expected.filter((k) => !run.listed.includes(k)).map((k) => `missing ${JSON.stringify(k)}`),
      ];
      expect(mismatches).toEqual([]);
    });
  });
});
