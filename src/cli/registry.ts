import type { CliCommand } from './command.js';
import { demoCommand } from './commands/demo.js';
import { enforceCommand } from './commands/enforce.js';
import { estimateCommand } from './commands/estimate.js';
import { planCommand } from './commands/plan.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { statusCommand } from './commands/status.js';
import { submitCommand } from './commands/submit.js';
import { verifyCommand } from './commands/verify.js';

/**
 * Every subcommand, in the order `--help` lists them. Adding one = one file in commands/ exporting a
 * `defineCommand({...})` and one line here.
 */
export const commands: readonly CliCommand<never>[] = [
  demoCommand,
  planCommand,
  runCommand,
  submitCommand,
  statusCommand,
  reportCommand,
  estimateCommand,
  enforceCommand,
  verifyCommand,
];
