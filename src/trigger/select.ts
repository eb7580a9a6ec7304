import type { S3Client } from '@aws-sdk/client-s3';
import { classifyRow, type SelectionOptions } from '../inventory/filter.js';
import { dataFileRowBatches } from '../inventory/s3-read.js';
import { StatsCollector } from '../inventory/stats.js';
import type { InventoryDataFile, InventoryManifest } from '../inventory/types.js';
import type { ManifestSet } from '../manifest/manifest-set.js';

/**
 * Streams the rows of `files` through the filter into `set` and `stats`. On any error the set is
 * aborted (no output object appears) and the error is rethrown.
 */
export async function filterFiles(
  s3: S3Client,
  manifest: InventoryManifest,
  files: readonly InventoryDataFile[],
  options: SelectionOptions,
  set: ManifestSet,
  stats: StatsCollector = new StatsCollector(),
): Promise<StatsCollector> {
  try {
    for (const file of files) {
      // Batches, not rows: an async iteration per row costs more than classifying the row.
      for await (const batch of dataFileRowBatches(s3, manifest, file)) {
        for (const row of batch) {
          const decision = classifyRow(row, options);
          stats.add(row, decision);
          if (decision.kind === 'work' || decision.kind === 'blocked') await set.add(row, decision);
        }
      }
    }
  } catch (e) {
    await set.abort(e as Error);
    throw e;
  }
  return stats;
}
