import { type CostBreakdown, type CostEstimate, formatUsd } from './line-item.js';
import { PriceSources } from './sources.js';

const esc = (s: string) => s.replace(/\|/g, '\\|');

function table(b: CostBreakdown): string[] {
  const rows = ['| Item | Arithmetic | Cost | |', '| --- | --- | ---: | --- |'];
  for (const l of b.lines) {
    const flag = l.price.confirmed ? '' : ' (UNCONFIRMED price)';
    rows.push(
      `| ${esc(l.label)}${flag} | ${esc(l.arithmetic)} | ${formatUsd(l.usd)} | ${l.recurrence === 'monthly' ? 'per month' : 'once'} |`,
    );
  }
  return rows;
}

/** Markdown for humans (summary.md, the CLI): both Bucket Key variants, assumptions, sources. */
export function renderCostMarkdown(e: CostEstimate, heading = '## Cost'): string {
  const chosen = e[e.chosen];
  const other = e.chosen === 'withBucketKeys' ? e.withoutBucketKeys : e.withBucketKeys;
  const label = (v: 'withBucketKeys' | 'withoutBucketKeys') =>
    v === 'withBucketKeys' ? 'with S3 Bucket Keys' : 'without S3 Bucket Keys';
  const otherName = e.chosen === 'withBucketKeys' ? 'withoutBucketKeys' : 'withBucketKeys';
  const lines = [
    heading,
    '',
    `Prices: ${e.region}${e.substitutedRegion ? ` (no table for ${e.requestedRegion}; ${e.region} prices used)` : ''}, USD, list prices — check the AWS pricing pages before quoting.`,
    '',
    `**${label(e.chosen)}**: ${formatUsd(chosen.oneTimeUsd)} once, ${formatUsd(chosen.monthlyUsd)} per month. ` +
      `${label(otherName)}: ${formatUsd(other.oneTimeUsd)} once, ${formatUsd(other.monthlyUsd)} per month.`,
    '',
    ...table(chosen),
    '',
    'Assumptions:',
    '',
    ...e.assumptions.map((a) => `- \`${a.name}\` = ${String(a.value)}: ${a.note}`),
    '',
    `Sources: ${e.sources.map((t) => `${t} (${PriceSources[t].title}, ${PriceSources[t].asOf})`).join('; ')}.`,
  ];
  if (e.usesUnconfirmedPrices)
    lines.push(
      '',
      'Some prices are UNCONFIRMED for this Region (no source was read); treat those lines as rough.',
    );
  return lines.join('\n');
}
