/**
 * A live progress display for terminals: an overall bar with ETA and one line per run in
 * flight (its round), redrawn in place on stderr. Finished runs scroll above as plain lines.
 */
import type { ProgressSink } from "../runner/progress.ts";

const WIDTH = 30;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "…";
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

export function progressBar(stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  const active = new Map<string, { label: string; round: number; rounds: number }>();
  let total = 0;
  let done = 0;
  let drawn = 0;
  const started = performance.now();
  const erase = (): void => {
    if (drawn > 0) stream.write(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
  };
  const draw = (): void => {
    erase();
    const elapsed = (performance.now() - started) / 1000;
    // Runs in flight count by the fraction of their rounds done, so the ETA moves smoothly.
    const partial = [...active.values()].reduce((a, r) => a + (r.rounds > 0 ? r.round / (r.rounds + 1) : 0), 0);
    const progress = total > 0 ? (done + partial) / total : 1;
    const filled = Math.round(progress * WIDTH);
    const eta = progress > 0 ? (elapsed / progress) * (1 - progress) : Infinity;
    const lines = [`[${"█".repeat(filled)}${"░".repeat(WIDTH - filled)}] ${done}/${total} runs · ${duration(elapsed)} elapsed · ETA ${duration(eta)}`];
    for (const r of active.values()) lines.push(`  ${r.label}: round ${r.round}/${r.rounds}`);
    const columns = stream.columns ?? 120;
    stream.write(lines.map((l) => l.slice(0, columns - 1)).join("\n") + "\n");
    drawn = lines.length;
  };
  const above = (line: string): void => {
    erase();
    stream.write(line + "\n");
    draw();
  };
  return {
    start(info) {
      total = info.pending;
      above(`${info.experiment}: ${info.total} runs (${info.total - info.pending} already stored, ${info.pending} to run) on ${info.backend}`);
    },
    runStart(run) {
      active.set(run.id, { label: run.label, round: run.resumedAfter !== undefined ? run.resumedAfter + 1 : 0, rounds: run.rounds });
      if (run.resumedAfter !== undefined) above(`${run.label}: resuming after round ${run.resumedAfter}`);
      else draw();
    },
    round(run) {
      active.set(run.id, { label: run.label, round: run.round + 1, rounds: run.rounds });
      draw();
    },
    runEnd(run) {
      active.delete(run.id);
      done++;
      above(`${run.label}: ${run.ok ? `done in ${run.seconds.toFixed(1)} s, ${run.detail}` : `FAILED: ${run.detail}`}`);
    },
    close() {
      erase();
    },
  };
}
