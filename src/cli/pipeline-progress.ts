import type { PipelineEvent } from '../pipeline/types.js';
import type { CommandContext } from './context.js';
import type { Progress } from './progress.js';

/**
 * Turns the local pipeline's events into stage lines and one progress bar over every job's tasks, on
 * stderr and only on a terminal (the contract: progress never reaches stdout or a pipe).
 */
export function pipelineProgress(ctx: CommandContext, label: string) {
  const tty = ctx.io.stderr.isTTY === true;
  const totals = new Map<string, number>();
  let bar: Progress | undefined;
  return {
    onProgress(e: PipelineEvent): void {
      if (!tty) return;
      if (e.type === 'stage') {
        if (!bar) ctx.io.stderr.write(`${e.message} ...\n`);
        return;
      }
      if (e.type !== 'task') return;
      bar ??= ctx.progress({ label });
      if (!totals.has(e.jobId)) {
        totals.set(e.jobId, e.progress.totalTasks);
        bar.addTotal(e.progress.totalTasks);
        bar.totalKnown();
      }
      // A redrive is retried later: only final outcomes move the bar.
      if (e.outcome !== 'redrive') bar.tick({ failed: e.outcome === 'failed' });
    },
    stop(): void {
      bar?.stop();
    },
  };
}
