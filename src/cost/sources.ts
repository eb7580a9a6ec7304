/**
 * Where each price comes from (the tags of aws-facts.md §0). `asOf` is the date the source itself
 * says its figures were read; AWS changes prices, so every estimate prints these with its numbers.
 */
export const PriceSources = {
  P1: {
    tag: 'P1',
    title: 'Copy of aws.amazon.com/s3/pricing rendered for Middle East (UAE) (Batch Operations fees)',
    url: 'https://aws.amazon.com/s3/pricing/',
    asOf: '2026',
  },
  P2: {
    tag: 'P2',
    title: 'Third-party S3 pricing digest, us-east-1, from the AWS Price List API (S3 offer of 2026-09-28)',
    url: 'https://aws.amazon.com/s3/pricing/',
    asOf: '2026-10-03',
  },
  P3: {
    tag: 'P3',
    title: 'Third-party digest of the AWS Price List Bulk API for eu-west-2',
    url: 'https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/index.json',
    asOf: '2026-10-06',
  },
  P4: {
    tag: 'P4',
    title: 'AWS KMS pricing page',
    url: 'https://aws.amazon.com/kms/pricing/',
    asOf: '2026-08',
  },
  P5: {
    tag: 'P5',
    title: 'Third-party KMS, S3 request and Lambda pricing guides (us-east-1)',
    url: 'https://aws.amazon.com/lambda/pricing/',
    asOf: '2026-03',
  },
  A11: {
    tag: 'A11',
    title:
      'S3 User Guide, update-sse-encryption: UpdateObjectEncryption is billed as a PUT at the S3 Standard rate',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/update-sse-encryption.html',
    asOf: '2026',
  },
  BLOG: {
    tag: 'BLOG',
    title:
      'AWS Storage Blog, "Reducing AWS Key Management Service costs by up to 99% with Amazon S3 Bucket Keys"',
    url: 'https://aws.amazon.com/blogs/storage/reducing-aws-key-management-service-costs-by-up-to-99-with-s3-bucket-keys/',
    asOf: '2021',
  },
  UNCONFIRMED: {
    tag: 'UNCONFIRMED',
    title:
      'Not read from a source for this Region: commonly published list price; confirm on the AWS pricing page',
    url: 'https://aws.amazon.com/pricing/',
    asOf: 'unknown',
  },
} as const;
export type PriceSourceTag = keyof typeof PriceSources;
export type PriceSource = (typeof PriceSources)[PriceSourceTag];
