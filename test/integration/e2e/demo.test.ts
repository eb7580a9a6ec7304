import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type DemoEvent, runDemo } from '../../../src/demo/run-demo.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('the demo', () => {
  it('runs the whole pipeline on its own local S3 API and every seeded object ends as expected', async () => {
    // Prepare
    const events: DemoEvent[] = [];
    // Act
    const result = await runDemo({ root, progress: (e) => events.push(e), bulkObjects: 20 });
    // Assess
    expect(result.verification.objects.filter((o) => !o.ok)).toEqual([]);
    expect(result.verification.ok).toBe(true);
    const byRoute = Object.fromEntries(result.table.map((r) => [r.route, r.objects]));
    const seededBy = (route: string) =>
      result.verification.objects.filter((o) => o.expectedRoute === route).length;
    expect(byRoute).toEqual({
      skip: seededBy('skip'),
      copy: seededBy('copy'),
      multipart: 1,
      'blocked-before-job': seededBy('blocked'),
    });
    expect(result.pipeline.status).toBe('completed');
    expect(result.pipeline.totals.failed).toBe(0);
    expect(result.headlines).toHaveLength(result.pipeline.jobs.length);
    expect(result.cost.plan?.kind).toBe('migration');
    expect(result.cost.runs.map((r) => r.jobId)).toEqual(result.pipeline.jobs.map((j) => j.jobId));
    expect(events.some((e) => e.type === 'task' && e.outcome === 'succeeded')).toBe(true);
    expect(events.some((e) => e.type === 'line')).toBe(true);
    // The server was stopped.
    await expect(fetch(`${result.endpoint}/moto-api/`)).rejects.toThrow();
  });
});
