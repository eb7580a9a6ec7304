import { estimateMigration, PlanRoutes } from '../../cost/migration.js';
import { estimateMonthly } from '../../cost/monthly.js';
import { type StorageClass, StorageClasses } from '../../cost/prices.js';
import { renderCostMarkdown } from '../../cost/render.js';
import { SINGLE_COPY_LIMIT_BYTES } from '../../reencrypt/types.js';
import { defineCommand } from '../command.js';
import { ExitCodes } from '../exit-codes.js';
import { booleanValue, choiceOf, integerIn, regionName } from '../options.js';

interface EstimateOptions {
  readonly objects: number;
  readonly bytes: number;
  readonly getsPerMonth: number;
  readonly putsPerMonth: number;
  readonly bucketKey: boolean;
  readonly route: 'update' | 'copy';
  readonly storageClass: StorageClass;
  readonly versioned?: boolean;
  readonly fallbackPriceRegion?: string;
}

const MAX = Number.MAX_SAFE_INTEGER;

export const estimateCommand = defineCommand<EstimateOptions>({
  name: 'estimate',
  summary: 'the cost model alone: one-time re-encryption and monthly KMS cost',
  description:
    'Prices re-encrypting N objects / B bytes (S3 requests, KMS calls, Batch and Lambda) and the monthly KMS cost of reading and writing them under SSE-KMS, with and without S3 Bucket Keys. Uses --region (default AWS_REGION, then us-east-1) for prices. Calls no AWS API.',
  examples: [
    's3-reencrypt estimate --objects 10000 --bytes 10995116277760 --gets-per-month 2000000 --puts-per-month 10000 --region eu-west-2',
    's3-reencrypt estimate --objects 2500000 --bytes 5000000000000 --gets-per-month 0 --puts-per-month 0 --route update --json',
  ],
  configure: (cmd) => {
    cmd
      .requiredOption('--objects <n>', 'objects to re-encrypt', integerIn(0, MAX))
      .requiredOption('--bytes <n>', 'their total size in bytes', integerIn(0, MAX))
      .requiredOption('--gets-per-month <n>', 'reads of SSE-KMS objects a month', integerIn(0, MAX))
      .requiredOption('--puts-per-month <n>', 'writes of SSE-KMS objects a month', integerIn(0, MAX))
      .option(
        '--bucket-key [true|false]',
        'the Bucket Key setting the estimate highlights',
        booleanValue,
        true,
      )
      .option(
        '--route <update|copy>',
        'update (SSE-S3/SSE-KMS sources on AWS, no data moved) or copy (unencrypted sources, S3-compatible stores: the upper bound)',
        choiceOf(['update', 'copy'] as const),
        'copy',
      )
      .option(
        '--storage-class <class>',
        'storage class of the objects',
        choiceOf(Object.values(StorageClasses)),
        StorageClasses.STANDARD,
      )
      .option('--versioned', 'the bucket keeps the versions a copy replaces (billed until expired)')
      .option(
        '--fallback-price-region <region>',
        'prices to use when --region has no price table',
        regionName,
      );
  },
  async run(options, ctx) {
    const average = options.objects === 0 ? 0 : options.bytes / options.objects;
    // The copy route switches to multipart copy above S3's single-copy limit.
    const route =
      options.route === 'copy' && average > SINGLE_COPY_LIMIT_BYTES ? PlanRoutes.multipart : options.route;
    const prices = {
      region: ctx.aws.region,
      bucketKey: options.bucketKey,
      ...(options.fallbackPriceRegion ? { fallbackRegion: options.fallbackPriceRegion } : {}),
    };
    const migration = estimateMigration(
      {
        groups: [
          { route, objects: options.objects, bytes: options.bytes, storageClass: options.storageClass },
        ],
        ...(options.versioned ? { versioned: true } : {}),
      },
      prices,
    );
    const monthly = estimateMonthly({
      ...prices,
      getsPerMonth: options.getsPerMonth,
      putsPerMonth: options.putsPerMonth,
    });
    return {
      exitCode: ExitCodes.ok,
      data: { command: 'estimate', route, migration, monthly },
      text: [
        renderCostMarkdown(migration, `## One-time re-encryption (${route} route)`),
        '',
        renderCostMarkdown(monthly, '## Ongoing KMS cost'),
      ].join('\n'),
    };
  },
});
