// S3 requests per object, counted at the test proxy in front of moto, on a fresh inventory: the pipeline
// (trigger with task hints → local Batch engine → re-encrypt handler → report) against the seed recipe
// `aws s3 cp s3://b/ s3://b/ --recursive --sse aws:kms --sse-kms-key-id K` on the same objects.
// The proxy emulates UpdateObjectEncryption (moto lacks it) in unversioned buckets, as S3 answers it;
// its own look-ups are not counted. Attributes are compared field by field before and after.
import type { ObjectOwnership } from '@aws-sdk/client-s3';
import { generateInventory } from '../src/inventory/generate.js';
import { runLocalPipeline } from '../src/pipeline/index.js';
import type { RequestLogEntry } from '../test/support/proxy/stats.js';
import { startS3Proxy } from '../test/support/s3-proxy.js';
import { type Stats, stats, writeResult } from './lib.js';
import { ensureAwsCli, runSeedRecipe, seedRecipeCommand } from './support/aws-cli.js';
import {
  type Fidelity,
  fidelityOf,
  mixedObjects,
  type ObjectSpec,
  putObjects,
  type Start,
  statesOf,
} from './support/objects.js';
import { clientsFor, newBucket, newKey, REGION, withMoto } from './support/world.js';

const OBJECTS = Number(process.env.BENCH_RPO_OBJECTS ?? 300);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET = 1.05;
/** The route the pipeline takes for each starting state when S3 implements UpdateObjectEncryption. */
const ROUTE_OF: Readonly<Record<Start, 'update' | 'copy' | 'skip'>> = {
  'SSE-S3': 'update',
  'NOT-SSE': 'copy',
  'kms-target': 'skip',
};

interface Counted {
  /** S3 requests on the data bucket (objects and bucket-level calls). */
  readonly dataBucket: number;
  /** S3 requests on every other bucket (inventory, manifests, reports). */
  readonly elsewhere: number;
  readonly kms: number;
  readonly byOperation: Record<string, number>;
  readonly byRoute: Record<
    string,
    { objects: number; requests: number; byOperation: Record<string, number> }
  >;
}

function count(log: readonly RequestLogEntry[], data: string, specs: readonly ObjectSpec[]): Counted {
  const routeOfKey = new Map(specs.map((s) => [s.key, ROUTE_OF[s.start]]));
  const byRoute: Counted['byRoute'] = {};
  const routeEntry = (route: string) => {
    byRoute[route] ??= { objects: 0, requests: 0, byOperation: {} };
    return byRoute[route];
  };
  for (const s of specs) routeEntry(ROUTE_OF[s.start]).objects += 1;
  const byOperation: Record<string, number> = {};
  let dataBucket = 0;
  let elsewhere = 0;
  let kms = 0;
  for (const e of log) {
    if (e.operation.startsWith('kms:')) {
      kms += 1;
      continue;
    }
    if (e.bucket !== data) {
      elsewhere += 1;
      continue;
    }
    dataBucket += 1;
    byOperation[e.operation] = (byOperation[e.operation] ?? 0) + 1;
    const route = e.key !== undefined ? routeOfKey.get(e.key) : undefined;
    const r = routeEntry(route ?? 'bucket-level');
    r.requests += 1;
    r.byOperation[e.operation] = (r.byOperation[e.operation] ?? 0) + 1;
  }
  return { dataBucket, elsewhere, kms, byOperation, byRoute };
}

interface RunResult {
  readonly pipeline: Counted & { readonly fidelity: Fidelity; readonly seconds: number };
  readonly cli: Counted & { readonly fidelity: Fidelity; readonly seconds: number };
  readonly workObjects: number;
}

const aws = ensureAwsCli();
/** Bucket ownership × preflight: the default (HEAD before a copy) in both bucket kinds, and the opt-in. */
const VARIANTS = [
  { name: 'aclsDisabled', ownership: 'BucketOwnerEnforced', preflight: 'head' },
  { name: 'aclsWithGrants', ownership: 'ObjectWriter', preflight: 'head' },
  { name: 'aclsDisabledPreflightInventory', ownership: 'BucketOwnerEnforced', preflight: 'inventory' },
] as const satisfies readonly { name: string; ownership: ObjectOwnership; preflight: 'head' | 'inventory' }[];
type VariantName = (typeof VARIANTS)[number]['name'];
const results: Record<VariantName, RunResult[]> = {
  aclsDisabled: [],
  aclsWithGrants: [],
  aclsDisabledPreflightInventory: [],
};
let cliCommand = '';

await withMoto(async (moto) => {
  const direct = clientsFor(moto.endpoint);
  const proxy = await startS3Proxy({
    target: moto.endpoint,
    updateObjectEncryption: 'emulate',
    logLimit: 1_000_000,
  });
  try {
    const proxied = clientsFor(proxy.endpoint);
    const keyArn = await newKey(direct.kms);
    for (let run = 0; run < RUNS; run++) {
      for (const v of VARIANTS) results[v.name].push(await oneRun(v.ownership, v.preflight));
    }

    async function oneRun(ownership: ObjectOwnership, preflight: 'head' | 'inventory'): Promise<RunResult> {
      const { s3 } = direct;
      const acl = ownership !== 'BucketOwnerEnforced';
      const specs = mixedObjects(OBJECTS, { keyArn, grants: acl });
      const keys = specs.map((s) => s.key);
      const workObjects = specs.filter((s) => ROUTE_OF[s.start] !== 'skip').length;
      const [ours, theirs, inventory, work] = await Promise.all([
        newBucket(s3, 'rpo-data', ownership),
        newBucket(s3, 'rpo-cli', ownership),
        newBucket(s3, 'rpo-inventory'),
        newBucket(s3, 'rpo-work'),
      ]);
      await Promise.all([putObjects(s3, ours, specs), putObjects(s3, theirs, specs)]);
      const inv = await generateInventory(s3, { sourceBucket: ours, destinationBucket: inventory });
      const [beforeOurs, beforeTheirs] = await Promise.all([
        statesOf(s3, ours, keys, acl),
        statesOf(s3, theirs, keys, acl),
      ]);

      proxy.resetCounts();
      let t0 = performance.now();
      const result = await runLocalPipeline(proxied, {
        source: { kind: 'inventory', uri: `s3://${inventory}/${inv.ref.key}` },
        targetKey: keyArn,
        region: REGION,
        // The proxy implements UpdateObjectEncryption as S3 does, so the run routes as it would on AWS.
        updateRoute: 'enabled',
        preflight,
        reports: { bucket: work },
        manifests: { bucket: work },
      });
      const pipelineSeconds = (performance.now() - t0) / 1000;
      const pipelineLog = proxy.log();
      const { routes, failed } = result.totals;
      if (failed > 0 || routes.update.objects + routes.copy.objects !== workObjects)
        throw new Error(`pipeline run did not re-encrypt every object: ${JSON.stringify(result.totals)}`);
      if (result.jobs.every((j) => j.kind !== 'lambda-hinted'))
        throw new Error('the trigger wrote no task-hints manifest; the run would not show the hinted path');

      proxy.resetCounts();
      t0 = performance.now();
      const cli = await runSeedRecipe({ aws, endpoint: proxy.endpoint, bucket: theirs, keyArn });
      cliCommand = cli.command.replace(theirs, '<bucket>').replace(theirs, '<bucket>');
      const cliLog = proxy.log();

      const [afterOurs, afterTheirs] = await Promise.all([
        statesOf(s3, ours, keys, acl),
        statesOf(s3, theirs, keys, acl),
      ]);
      return {
        workObjects,
        pipeline: {
          ...count(pipelineLog, ours, specs),
          fidelity: fidelityOf(beforeOurs, afterOurs, keyArn),
          seconds: pipelineSeconds,
        },
        cli: {
          ...count(cliLog, theirs, specs),
          fidelity: fidelityOf(beforeTheirs, afterTheirs, keyArn),
          seconds: cli.seconds,
        },
      };
    }
  } finally {
    await proxy.stop();
  }
});

const perWork = (runs: readonly RunResult[], who: 'pipeline' | 'cli') =>
  stats(runs.map((r) => r[who].dataBucket / r.workObjects));
const perObject = (runs: readonly RunResult[], who: 'pipeline' | 'cli') =>
  stats(runs.map((r) => r[who].dataBucket / OBJECTS));
const withOverhead = (runs: readonly RunResult[]) =>
  stats(runs.map((r) => (r.pipeline.dataBucket + r.pipeline.elsewhere) / r.workObjects));
interface RouteStats {
  readonly objects: number;
  readonly requestsPerObject?: Stats;
  /** Bucket-level calls (GetBucketOwnershipControls) belong to no object: counted per run. */
  readonly requestsPerRun?: Stats;
  readonly byOperationLastRun: Record<string, number>;
}
const routeStats = (runs: readonly RunResult[], who: 'pipeline' | 'cli'): Record<string, RouteStats> => {
  const routes = Object.keys(runs[0]![who].byRoute);
  return Object.fromEntries(
    routes.map((route): [string, RouteStats] => {
      const objects = runs[0]![who].byRoute[route]!.objects;
      const per = stats(runs.map((r) => r[who].byRoute[route]!.requests / (objects || 1)));
      const byOperationLastRun = runs[runs.length - 1]![who].byRoute[route]!.byOperation;
      return [
        route,
        objects > 0
          ? { objects, requestsPerObject: per, byOperationLastRun }
          : { objects, requestsPerRun: per, byOperationLastRun },
      ];
    }),
  );
};
const variant = (runs: readonly RunResult[]) => {
  const last = runs[runs.length - 1]!;
  return {
    objects: OBJECTS,
    objectsNeedingWork: last.workObjects,
    pipeline: {
      s3RequestsPerObjectNeedingWork: perWork(runs, 'pipeline'),
      s3RequestsPerObjectInBucket: perObject(runs, 'pipeline'),
      s3RequestsPerObjectNeedingWorkWithTriggerAndReport: withOverhead(runs),
      byRoute: routeStats(runs, 'pipeline'),
      kmsRequestsPerRun: stats(runs.map((r) => r.pipeline.kms)),
      seconds: stats(runs.map((r) => r.pipeline.seconds)),
      fidelityLastRun: last.pipeline.fidelity,
    },
    cli: {
      s3RequestsPerObjectNeedingWork: perWork(runs, 'cli'),
      s3RequestsPerObjectInBucket: perObject(runs, 'cli'),
      byOperationLastRun: last.cli.byOperation,
      seconds: stats(runs.map((r) => r.cli.seconds)),
      fidelityLastRun: last.cli.fidelity,
    },
  };
};

const enforced = results.aclsDisabled;
const acls = results.aclsWithGrants;
const inventoryPreflight = results.aclsDisabledPreflightInventory;
const oursInventory = perWork(inventoryPreflight, 'pipeline');
const inventoryCopyRoute = routeStats(inventoryPreflight, 'pipeline').copy?.requestsPerObject?.median;
// moto keeps a website redirect on a copy that does not resend it; S3 drops it (aws-facts §5.2).
const redirectsOnCopyRoute = mixedObjects(OBJECTS, { keyArn: 'k' }).filter(
  (s) => ROUTE_OF[s.start] === 'copy' && s.put.WebsiteRedirectLocation !== undefined,
).length;
const ours = perWork(enforced, 'pipeline');
const theirs = perWork(enforced, 'cli');
const fullFidelity = [...enforced, ...acls].every(
  (r) => r.pipeline.fidelity.objectsWithLoss === 0 && r.pipeline.fidelity.underTargetKey === OBJECTS,
);
const updateRoute = routeStats(enforced, 'pipeline').update?.requestsPerObject?.median;
const copyRoute = routeStats(enforced, 'pipeline').copy?.requestsPerObject?.median;
const aclCopyRoute = routeStats(acls, 'pipeline').copy?.requestsPerObject?.median;
writeResult('requests-per-object', {
  title: 'S3 requests per object that needed re-encryption (mixed bucket, counted at the proxy)',
  unit: 'requests/object',
  ours,
  comparison: { name: 'aws s3 cp --recursive (seed recipe)', stats: theirs, command: cliCommand },
  ratio: ours.median / theirs.median,
  ratioMeaning: 'lower is better: our requests per object over the CLI recipe’s',
  target: `≤ ${TARGET} S3 requests per object with full attribute fidelity`,
  targetMet: ours.median <= TARGET && fullFidelity,
  variants: [
    {
      label: 'opt-in `--preflight inventory` (no HEAD before a copy)',
      ours: oursInventory,
      ratio: oursInventory.median / theirs.median,
      // Full fidelity on moto, but S3 would drop the redirects this mode never reads.
      targetMet: oursInventory.median <= TARGET && redirectsOnCopyRoute === 0,
      caveat: `≤ ${TARGET} met in count; not full fidelity on S3: ${redirectsOnCopyRoute} copy-route objects with a website redirect in a bucket serving no website would lose it`,
    },
  ],
  commands: [
    'npm run bench -- requests-per-object',
    `generateInventory (CSV) → runLocalPipeline(updateRoute: enabled) through test/support/s3-proxy (UpdateObjectEncryption emulated)`,
    seedRecipeCommand('<bucket>', '<key-arn>'),
  ],
  details: {
    objectMix:
      'per 10 objects: 5 SSE-S3 (update route), 2 unencrypted (copy route), 3 already SSE-KMS under the target key with Bucket Key (skip); attributes cycle: plain, metadata+content headers+tags, STANDARD_IA, SHA-256 checksum, website redirect',
    runs: RUNS,
    aclsDisabledBucket: variant(enforced),
    aclBucketWithGrants: variant(acls),
    aclsDisabledBucketPreflightInventory: {
      ...variant(inventoryPreflight),
      copyRouteObjectsWithWebsiteRedirect: redirectsOnCopyRoute,
      fidelityCaveat:
        'moto keeps a website redirect on a copy that does not resend it; on S3 these objects would lose it',
    },
  },
  notes:
    `Bucket with ACLs disabled (S3's default since 2023): the update route takes ${updateRoute?.toFixed(2)} request per object ` +
    `(UpdateObjectEncryption alone: the task hints replace the HEAD), the copy route ${copyRoute?.toFixed(2)} ` +
    `(HEAD + CopyObject), so the average over objects needing work depends on the share of unencrypted objects. ` +
    `In a bucket that still uses ACLs the copy route adds GetObjectAcl (${aclCopyRoute?.toFixed(2)} per object) so ` +
    'that the grants are carried. The copy route HEADs because S3 Inventory does not carry everything a faithful ' +
    'CopyObject must resend (website redirect location, checksum algorithm, exact Object Lock settings), and the ' +
    'ACL must be read where ACLs count. The CLI sends one CopyObject per object in the bucket, compliant ones ' +
    'included, and loses what the fidelity check lists (storage class, and on S3 also ACL grants and the website ' +
    'redirect, which moto happens to keep). Requests of the trigger and the report (inventory reads, manifests, ' +
    'completion report, summary) are counted apart (…WithTriggerAndReport); KMS requests apart too. ' +
    `With the opt-in preflight=inventory (job argument; \`--preflight inventory\`) the copy route takes ` +
    `${inventoryCopyRoute?.toFixed(2)} request per object and the average over objects needing work is ` +
    `${oursInventory.median.toFixed(2)}: the hints carry the checksum algorithm and a known lock-free state, and ` +
    'one GetBucketWebsite per bucket shows that no redirect can be serving. Its price: a website redirect on an ' +
    `object in a bucket that serves no website is not carried (${redirectsOnCopyRoute} such copy-route objects in ` +
    'this mix; moto keeps them, S3 would not). The headline stays the default (full fidelity, HEAD before a copy).',
});
