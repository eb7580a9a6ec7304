import { describe, expect, it } from 'vitest';
import { formatUsd } from '../../../src/cost/line-item.js';
import { estimateMigration } from '../../../src/cost/migration.js';
import { estimateMonthly } from '../../../src/cost/monthly.js';
import { renderCostMarkdown } from '../../../src/cost/render.js';

describe('formatUsd', () => {
  it.each([
    [0, '$0.00'],
    [6.03, '$6.03'],
    [1234.5, '$1,234.50'],
    [0.0603, '$0.0603'],
    [0.06, '$0.06'],
    [0.00001234, '$0.000012'],
    [-0.06, '-$0.06'],
  ])('shows %s as %s', (usd, text) => {
    // Act / Assess
    expect(formatUsd(usd)).toBe(text);
  });
});

describe('renderCostMarkdown', () => {
  it('prints both Bucket Key variants, the arithmetic, assumptions and sources', () => {
    // Prepare
    const e = estimateMonthly({
      region: 'eu-west-2',
      getsPerMonth: 2_000_000,
      putsPerMonth: 10_000,
      bucketKey: false,
    });
    // Act
    const md = renderCostMarkdown(e);
    // Assess
    expect(md).toContain('**without S3 Bucket Keys**: $0.00 once, $7.03 per month');
    expect(md).toContain('with S3 Bucket Keys: $0.00 once, $1.06 per month');
    expect(md).toContain('2,010,000 requests × $0.03 / 10,000 = $6.03');
    expect(md).toContain('`bucketKeyReduction` = 0.99');
    expect(md).toContain('P3 (Third-party digest of the AWS Price List Bulk API for eu-west-2, 2026-10-06)');
  });

  it('flags unconfirmed prices', () => {
    // Prepare
    const e = estimateMigration(
      { groups: [{ route: 'copy', objects: 10, bytes: 10, storageClass: 'ONEZONE_IA' }] },
      { region: 'eu-west-2' },
    );
    // Act
    const md = renderCostMarkdown(e);
    // Assess
    expect(md).toContain('(UNCONFIRMED price)');
    expect(md).toContain('Some prices are UNCONFIRMED');
  });
});
