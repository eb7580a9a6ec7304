import type { CostEstimator, CostEstimate as PlanCostEstimate } from '../manifest/plan-estimate.js';
import { CostError } from './errors.js';
import { planFromCostInputs } from './from-plan.js';
import { estimateMigration } from './migration.js';

/**
 * The full cost model as the trigger's `plan.json` estimator: one-time migration cost for the
 * configured Bucket Key setting, every line with its arithmetic. A Region without a price table is
 * priced with us-east-1 and says so in the notes.
 */
export function fullModelEstimator(options: {
  readonly hints: boolean;
  readonly deletePriorVersion: boolean;
}): CostEstimator {
  return (inputs): PlanCostEstimate => {
    try {
      const e = estimateMigration(planFromCostInputs(inputs), {
        region: inputs.region,
        fallbackRegion: 'us-east-1',
        bucketKey: inputs.bucketKey,
        hints: options.hints,
        deletePriorVersion: options.deletePriorVersion,
      });
      const chosen = e[e.chosen];
      const notes = [
        ...e.assumptions.map((a) => `${a.name} = ${String(a.value)}: ${a.note}`),
        ...(e.substitutedRegion ? [`no price table for ${e.requestedRegion}; ${e.region} prices used`] : []),
        ...(e.usesUnconfirmedPrices ? ['some prices are unconfirmed for this Region (see the sources)'] : []),
      ];
      return {
        model: `s3-reencrypt cost model (${e.chosen === 'withBucketKeys' ? 'with' : 'without'} Bucket Keys)`,
        currency: 'USD',
        total: chosen.oneTimeUsd,
        lines: chosen.lines.map((l) => ({
          item: `${l.label}: ${l.arithmetic}`,
          quantity: l.quantity,
          usd: l.usd,
        })),
        notes,
      };
    } catch (error) {
      if (!(error instanceof CostError)) throw error;
      return { model: 'unpriced', currency: 'USD', total: 0, lines: [], notes: [error.message] };
    }
  };
}
