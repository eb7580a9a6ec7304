import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { syntheticColumns, writeSyntheticCsvGz } from '../../../src/inventory/synthetic.js';
import { measureFilter } from '../../../src/inventory/throughput.js';
import { selectionOptions } from '../../helpers/inventory.js';

async function synthetic(rows: number) {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  const counts = await writeSyntheticCsvGz(sink, { rows, allVersions: true, seed: 7 });
  return { counts, bytes: Buffer.concat(chunks) };
}

describe('filter throughput (unit-level run)', () => {
  it('filters a synthetic inventory and agrees with the generator on every count', async () => {
    // Prepare
    const { counts, bytes } = await synthetic(30_000);
    // Act
    const m = await measureFilter(Readable.from([bytes]), syntheticColumns(true), selectionOptions());
    // Assess: the figures printed here feed SINGLE_RUN_MAX_BYTES (no assertion on time)
    console.info(
      `filter: ${m.rows} rows in ${m.seconds.toFixed(2)} s = ${Math.round(m.rowsPerSecond)} rows/s, ` +
        `${Math.round(m.rowsPerCpuSecond)} rows/CPU-s, ${(bytes.length / m.rows).toFixed(1)} compressed bytes/row, ` +
        `peak RSS ${Math.round(m.peakRssBytes / 2 ** 20)} MiB`,
    );
    expect(m.rows).toBe(counts.rows);
    expect(m.stats.excluded['delete-marker']?.objects).toBe(counts.deleteMarkers);
    const byEncryption: Record<string, number> = {};
    for (const c of m.stats.breakdown)
      byEncryption[c.encryption] = (byEncryption[c.encryption] ?? 0) + c.objects;
    expect(byEncryption).toEqual(counts.byEncryption);
    expect(m.selected).toBe(
      m.stats.byRoute.update.objects + m.stats.byRoute.copy.objects + m.stats.byRoute.multipart.objects,
    );
    expect(m.stats.versions.noncurrent.objects).toBeGreaterThan(0);
    // A shared 2-core machine can be slow; the time limit is generous, the test asserts no speed.
  }, 60_000);

  it('generates the same file for the same seed', async () => {
    const a = await synthetic(2_000);
    const b = await synthetic(2_000);
    expect(a.bytes.equals(b.bytes)).toBe(true);
  });
});
