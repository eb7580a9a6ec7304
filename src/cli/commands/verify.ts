import { type AuditFinding, type AuditSummary, auditBucket } from '../../verify/audit.js';
import { defineCommand } from '../command.js';
import { ExitCodes } from '../exit-codes.js';
import { booleanValue, bucketName, integerIn, kmsKeyArn, regionOfKeyArn, s3Uri } from '../options.js';
import { plural, table } from '../render.js';

interface VerifyOptions {
  readonly bucket: string;
  readonly targetKey: string;
  readonly prefix?: string;
  readonly allVersions?: boolean;
  readonly bucketKey: boolean;
  readonly concurrency: number;
  readonly inventory?: { readonly bucket: string; readonly key: string };
}

/** Rows of the text table; --json always carries the full list. */
const TEXT_ROWS = 20;

export const verifyCommand = defineCommand<VerifyOptions>({
  name: 'verify',
  summary: "audit every object's encryption; exit 1 when any is not compliant",
  description:
    'Lists every object (or every version) and checks it with HEAD: compliant means SSE-KMS under the target key ARN with the wanted Bucket Key state. Read-only. Exits 1 and lists the objects that are not compliant.',
  examples: [
    's3-reencrypt verify --bucket my-data --target-key arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    's3-reencrypt verify --bucket my-data --target-key arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab --prefix logs/ --all-versions --json',
    's3-reencrypt verify --bucket my-data --target-key arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab --inventory s3://my-inventory/my-data/daily/2026-11-20T01-00Z/manifest.json',
  ],
  configure: (cmd) => {
    cmd
      .requiredOption('--bucket <name>', 'bucket to audit', bucketName)
      .requiredOption('--target-key <arn>', 'full ARN of the KMS key every object must be under', kmsKeyArn)
      .option('--prefix <prefix>', 'audit only keys that start with this')
      .option('--all-versions', 'audit every object version, not only current ones')
      .option('--bucket-key [true|false]', 'wanted S3 Bucket Key state', booleanValue, true)
      .option('--concurrency <n>', 'HEAD requests in flight at once (1-256)', integerIn(1, 256), 16)
      .option(
        '--inventory <s3-uri>',
        'audit from this S3 Inventory manifest.json instead of listing: only objects it shows under SSE-KMS get a HEAD (inventory has no key column); as fresh as the inventory',
        s3Uri('manifest.json'),
      );
  },
  // SSE-KMS needs the bucket in the key's Region, so that is where to look unless told otherwise.
  regionFrom: (options) => regionOfKeyArn(options.targetKey),
  async run(options, ctx) {
    const progress = ctx.progress({ label: 'verify', failureLabel: 'not compliant' });
    let summary: AuditSummary;
    try {
      summary = await auditBucket(
        { s3: ctx.clients.s3() },
        {
          bucket: options.bucket,
          ...(options.prefix ? { prefix: options.prefix } : {}),
          allVersions: options.allVersions === true,
          target: { keyArn: options.targetKey, bucketKey: options.bucketKey },
          concurrency: options.concurrency,
          ...(options.inventory ? { inventory: options.inventory } : {}),
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        },
        {
          listed: (n) => progress.addTotal(n),
          listingComplete: () => progress.totalKnown(),
          checked: (finding) => progress.tick({ failed: finding !== undefined }),
        },
      );
    } finally {
      progress.stop();
    }
    return {
      exitCode: summary.nonCompliant > 0 ? ExitCodes.objectsFailed : ExitCodes.ok,
      data: { command: 'verify', allCompliant: summary.nonCompliant === 0, ...summary },
      text: renderText(summary),
    };
  },
});

function renderText(s: AuditSummary): string {
  const where = `s3://${s.bucket}/${s.prefix}`;
  const what = s.allVersions ? 'object versions' : 'objects';
  const lines = [
    `${where}: ${s.checked} ${what} checked, ${s.compliant} compliant, ${s.nonCompliant} not compliant`,
    `target: ${s.target.keyArn}, Bucket Key ${s.target.bucketKey ? 'on' : 'off'}`,
  ];
  if (s.inventory)
    lines.push(
      `from inventory ${s.inventory.manifest} of ${s.inventory.createdAt}; ${plural(s.headRequests, 'HEAD request')}`,
    );
  if (s.deleteMarkersSkipped) lines.push(`skipped ${plural(s.deleteMarkersSkipped, 'delete marker')}`);
  if (s.vanished) lines.push(`${plural(s.vanished, 'object')} deleted during the audit`);
  if (s.nonCompliant === 0) return lines.join('\n');
  const reasons = Object.entries(s.byReason)
    .sort(([, a], [, b]) => (b ?? 0) - (a ?? 0))
    .map(([reason, n]) => `${reason} ${n}`);
  lines.push(`not compliant by reason: ${reasons.join(', ')}`, '');
  const header = s.allVersions ? ['KEY', 'VERSION', 'REASON', 'FOUND'] : ['KEY', 'REASON', 'FOUND'];
  const rows = s.findings.slice(0, TEXT_ROWS).map((f) => {
    const row = [f.key, f.reason, found(f)];
    return s.allVersions
      ? [f.key, `${f.versionId ?? ''}${f.isLatest ? '' : ' (noncurrent)'}`, f.reason, found(f)]
      : row;
  });
  lines.push(table(header, rows));
  if (s.findings.length > TEXT_ROWS)
    lines.push(`... and ${s.findings.length - TEXT_ROWS} more (use --json for the full list)`);
  return lines.join('\n');
}

function found(f: AuditFinding): string {
  if (f.error) return f.error;
  const e = f.encryption;
  if (!e) return '';
  if (e.algorithm !== 'aws:kms') return e.algorithm;
  return `aws:kms ${e.kmsKeyArn ?? '(no key id)'}${e.bucketKeyEnabled ? ' +BucketKey' : ''}`;
}
