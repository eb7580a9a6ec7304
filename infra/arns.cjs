// Variable source for serverless.yml: expands the comma-separated `managedBuckets` parameter into
// explicit per-bucket ARNs, so every IAM statement names its resources (no wildcards over buckets).
'use strict';

const buckets = async (resolveVariable) =>
  String(await resolveVariable('param:managedBuckets'))
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);

const arn = (suffix) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:s3:::${suffix}` });

module.exports = {
  bucketArns: async ({ resolveVariable }) => (await buckets(resolveVariable)).map((b) => arn(b)),
  objectArns: async ({ resolveVariable }) => (await buckets(resolveVariable)).map((b) => arn(`${b}/*`)),
};
