/**
 * Progress of an `al run`, as events. The runner reports; a sink decides how to show it: plain
 * lines (logs, loaders, CI) or a live bar on a terminal (lib/cli/progress-bar.ts).
 */
export interface ProgressSink {
  /** The grid is known: `total` runs, `pending` of them to compute. */
  start(info: { experiment: string; total: number; pending: number; workers: number; backend: string }): void;
  runStart(run: { id: string; label: string; rounds: number; resumedAfter?: number }): void;
  round(run: { id: string; label: string; round: number; rounds: number; metrics: Record<string, number> }): void;
  runEnd(run: { id: string; label: string; ok: boolean; seconds: number; detail: string }): void;
  /** Called once at the end (success or not), to restore the terminal. */
  close(): void;
}

/** One line per event worth a line; rounds are silent (a grid has thousands of them). */
export function plainProgress(log: (line: string) => void): ProgressSink {
  let finished = 0;
  let pending = 0;
  return {
    start(info) {
      pending = info.pending;
      log(
        `${info.experiment}: ${info.total} runs (${info.total - info.pending} already stored, ${info.pending} to run) on ${info.backend}` +
          (info.pending > 1 ? ` with ${Math.min(info.workers, info.pending)} worker(s)` : ""),
      );
    },
    runStart(run) {
      if (run.resumedAfter !== undefined) log(`${run.label}: resuming after round ${run.resumedAfter}`);
    },
    round() {},
    runEnd(run) {
      log(`[${++finished}/${pending}] ${run.label}: ${run.ok ? `done in ${run.seconds.toFixed(1)} s, ${run.detail}` : `FAILED: ${run.detail}`}`);
    },
    close() {},
  };
}
