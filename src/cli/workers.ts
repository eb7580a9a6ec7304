import { availableParallelism } from 'node:os';
import { bundledWorkers, type SummariserWorkers } from '../report/workers.js';

/**
 * One report-summarising worker thread per core, from the `summarise-worker.js` built beside the CLI
 * bundle (scripts/build.mjs); none when run from the TypeScript sources or on one core.
 */
export const cliSummariserWorkers = (): SummariserWorkers | undefined =>
  bundledWorkers(new URL('./summarise-worker.js', import.meta.url), availableParallelism());
