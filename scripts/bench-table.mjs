#!/usr/bin/env node
// Regenerates the benchmark table in README.md (between <!-- BENCH:START --> and <!-- BENCH:END -->)
// from bench/results/*.json, so the README never shows numbers that no run produced.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'bench', 'results');
const readme = join(root, 'README.md');
if (!existsSync(dir) || !existsSync(readme)) process.exit(0);
const rows = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
const n = (v) =>
  typeof v !== 'number' ? '' : Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2);
const met = (m) => (m === undefined ? '—' : m ? 'yes' : '**no**');
const lines = [
  '| benchmark | ours (median) | compared with | theirs (median) | ratio | target | met |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...rows.flatMap((r) => [
    `| ${r.title} | ${n(r.ours?.median)} ${r.unit} | ${r.comparison?.name ?? '—'} | ${r.comparison ? `${n(r.comparison.stats.median)} ${r.unit}` : '—'} | ${r.ratio === undefined ? '—' : `${r.ratio.toFixed(2)}${r.ratioMeaning ? ` (${r.ratioMeaning})` : ''}`} | ${r.target ?? '—'} | ${met(r.targetMet)} |`,
    // Opt-in settings measured in the same run, each under the headline it varies.
    ...(r.variants ?? []).map(
      (v) =>
        `| ↳ ${v.label} | ${n(v.ours?.median)} ${r.unit} | ${r.comparison?.name ?? '—'} | ${r.comparison ? `${n(r.comparison.stats.median)} ${r.unit}` : '—'} | ${v.ratio === undefined ? '—' : v.ratio.toFixed(2)} | ${v.caveat ?? r.target ?? '—'} | ${met(v.targetMet)} |`,
    ),
  ]),
  '',
  `Measured on ${rows[0]?.machine ? `${rows[0].machine.cores} cores, ${rows[0].machine.cpu}, Node ${rows[0].machine.node}` : 'this machine'}; raw results in \`bench/results/\`.`,
];
const text = readFileSync(readme, 'utf8');
const start = '<!-- BENCH:START -->';
const end = '<!-- BENCH:END -->';
const i = text.indexOf(start);
const j = text.indexOf(end);
if (i < 0 || j < 0) process.exit(0);
writeFileSync(readme, `${text.slice(0, i + start.length)}\n${lines.join('\n')}\n${text.slice(j)}`);
