import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type CfnTemplate = {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
} & Record<string, unknown>;

/** Runs `serverless package` (offline, osls) into `dir` with extra CLI args, unless already there. */
export function packageTemplate(
  dir = '.serverless',
  args: string[] = [],
): { path: string; template: CfnTemplate } {
  const path = join(repoRoot, dir, 'cloudformation-template-update-stack.json');
  if (!existsSync(path) || args.length > 0) {
    const r = spawnSync('node', ['scripts/sls-package.mjs', '--package', dir, ...args], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`serverless package failed:\n${r.stdout}\n${r.stderr}`);
  }
  return { path, template: JSON.parse(readFileSync(path, 'utf8')) as CfnTemplate };
}

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, unknown>;
  Principal?: unknown;
}

/** Every statement of every inline policy of every IAM role, with the role's logical id. */
export function roleStatements(t: CfnTemplate): { role: string; statement: PolicyStatement }[] {
  const out: { role: string; statement: PolicyStatement }[] = [];
  for (const [id, r] of Object.entries(t.Resources)) {
    if (r.Type !== 'AWS::IAM::Role') continue;
    const policies = (r.Properties?.Policies ?? []) as { PolicyDocument: { Statement: PolicyStatement[] } }[];
    for (const p of policies)
      for (const s of p.PolicyDocument.Statement) out.push({ role: id, statement: s });
  }
  return out;
}

export const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
