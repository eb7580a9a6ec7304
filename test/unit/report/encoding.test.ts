import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ReportCsvError } from '../../../src/report/errors.js';
import { locationFor } from '../../../src/report/location.js';
import { summariseReport } from '../../../src/report/read.js';
import type { ReportSource } from '../../../src/report/source.js';
import { failedTask, reportLayout, succeededTask } from '../../helpers/report.js';

/** Report objects in memory, streamed in tiny chunks so multi-byte characters are split across them. */
function memorySource(objects: Map<string, Buffer>, chunkBytes: number): ReportSource {
  return {
    readText: async (bucket, key) => objects.get(`${bucket}/${key}`)?.toString('utf-8'),
    openStream: async (bucket, key) => {
      const body = objects.get(`${bucket}/${key}`);
      if (!body) return undefined;
      return (async function* () {
        for (let i = 0; i < body.length; i += chunkBytes) yield body.subarray(i, i + chunkBytes);
      })();
    },
  };
}

function layoutObjects(files: { key: string; body: Buffer }[], manifestKey: string, manifest: object) {
  const m = new Map<string, Buffer>();
  for (const f of files) m.set(`r/${f.key}`, f.body);
  m.set(`r/${manifestKey}`, Buffer.from(JSON.stringify(manifest)));
  return m;
}

describe('report text encoding', () => {
  it.each([1, 3, 5, 64])('reads non-ASCII keys and reasons split into %s-byte chunks', async (chunk) => {
    // Prepare: raw (not URL-encoded) non-ASCII key fields and a reason with emoji, mixed with ASCII rows.
    const tasks = [
      succeededTask('x', { route: 'copy', bytes: 1 }, { keyField: 'données/été.txt' }),
      ...Array.from({ length: 20 }, (_, i) => succeededTask(`ascii/${i}`, { route: 'skip', bytes: 2 })),
      failedTask('y', 'access-denied', { keyField: '漢字/✓ ok', reason: 'refusé 🚫 par la clé' }),
    ];
    const layout = reportLayout({ reportBucket: 'r', jobId: 'j', tasks });
    const files = layout.files.map((f) => ({ key: f.key, body: Buffer.from(f.body) }));
    const source = memorySource(layoutObjects(files, layout.manifestKey, layout.manifest), chunk);
    // Act
    const { summary } = await summariseReport(source, locationFor('r', '', 'j'), {
      sampleKeys: 5,
      keysEncoded: false,
    });
    // Assess
    expect(summary.tasks.total).toBe(22);
    expect(summary.failures.byCause[0]?.samples[0]).toMatchObject({
      key: '漢字/✓ ok',
      reason: 'refusé 🚫 par la clé',
    });
  });

  it('refuses a result file that is not UTF-8', async () => {
    // Prepare
    const layout = reportLayout({
      reportBucket: 'r',
      jobId: 'j',
      tasks: [succeededTask('a', { route: 'skip' })],
    });
    const f = layout.files[0];
    if (!f) throw new Error('no file');
    const body = Buffer.concat([
      Buffer.from(f.body.slice(0, 5)),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(f.body.slice(5)),
    ]);
    const manifest = {
      ...layout.manifest,
      Results: [
        {
          ...(layout.manifest.Results as object[])[0],
          MD5Checksum: createHash('md5').update(body).digest('hex'),
        },
      ],
    };
    const source = memorySource(layoutObjects([{ key: f.key, body }], layout.manifestKey, manifest), 4);
    // Act / Assess
    await expect(
      summariseReport(source, locationFor('r', '', 'j'), { sampleKeys: 5, keysEncoded: true }),
    ).rejects.toThrow(ReportCsvError);
  });
});
