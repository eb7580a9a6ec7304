import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInvocation, parseTask } from '../../../src/reencrypt/event.js';
import { resolveJobSettings } from '../../../src/reencrypt/settings.js';
import { SINGLE_COPY_LIMIT_BYTES } from '../../../src/reencrypt/types.js';

const dir = join(import.meta.dirname, '..', '..', '..', 'events', 'batch');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const load = (f: string): unknown => JSON.parse(readFileSync(join(dir, f), 'utf8'));
const defaults = {
  target: {
    keyArn: 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000',
    bucketKey: true,
  },
  bucketKey: true,
  strategy: 'auto',
  multipartThresholdBytes: SINGLE_COPY_LIMIT_BYTES,
  deletePriorVersion: false,
} as const;

describe('events/batch samples', () => {
  it('holds both schemas and a hinted job', () => {
    expect(files).toEqual(
      expect.arrayContaining(['schema-1.0.json', 'schema-2.0.json', 'schema-2.0-hinted.json']),
    );
  });

  it.each(files)('%s parses into tasks with decoded keys', (f) => {
    // Act
    const inv = parseInvocation(load(f));
    const settings = resolveJobSettings(inv, defaults);
    const tasks = inv.tasks.map((t, i) => parseTask(t, i, inv.schemaVersion, settings.hints));
    // Assess
    expect(tasks.length).toBeGreaterThan(0);
    for (const t of tasks) expect(t.key).not.toMatch(/%[0-9A-F]{2}/);
  });

  it('uses the exact field names of each schema (s3BucketArn in 1.0, s3Bucket + userArguments in 2.0)', () => {
    const v1 = load('schema-1.0.json') as { tasks: Record<string, unknown>[]; job: Record<string, unknown> };
    const v2 = load('schema-2.0.json') as { tasks: Record<string, unknown>[]; job: Record<string, unknown> };
    expect(Object.keys(v1.tasks[0]!).sort()).toEqual(['s3BucketArn', 's3Key', 's3VersionId', 'taskId']);
    expect(Object.keys(v2.tasks[0]!).sort()).toEqual(['s3Bucket', 's3Key', 's3VersionId', 'taskId']);
    expect(v1.job).not.toHaveProperty('userArguments');
    expect(v2.job).toHaveProperty('userArguments');
  });

  it('decodes the sample keys form-style', () => {
    const inv = parseInvocation(load('schema-1.0.json'));
    expect(parseTask(inv.tasks[0]!, 0, '1.0', false).key).toBe('photos/2024/red flower (1).jpg');
  });
});
