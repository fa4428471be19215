/**
 * The Runs page's blocks: what the runs.json loader emits per run (`RunRow`), a one-line status
 * summary, the failures with their messages, flat rows for a searchable table and a run's config
 * as pretty JSON. Stored strings (error messages, names, config values) are DOM text only: an
 * error may well contain `<script>`.
 */
import { GRID_AXIS_NAMES, type AxisLabels, type GridAxis } from "./grid-axes.js";

/** The loop's timed phases, in the order they run; `<phase>_seconds` in the rounds table. */
export const PHASES = ["train", "score", "select", "evaluate", "reference"] as const;
export type Phase = (typeof PHASES)[number];

export interface RunRow extends AxisLabels {
  run_id: string;
  sampler: string;
  mode: string;
  seed: number | null;
  kind: "al" | "baseline";
  baseline_percent: number | null;
  status: string;
  error: string | null;
  backend: string | null;
  versions: Record<string, string> | null;
  host: string | null;
  started_at: string | null;
  finished_at: string | null;
  seconds: number | null;
  data_checksum: string | null;
  data_files: unknown;
  config: unknown;
  /** Rounds stored for the run (a failed run may have fewer than planned). */
  stored_rounds: number;
  /** Seconds per phase summed over the stored rounds; null when no round timed that phase. */
  train_seconds: number | null;
  score_seconds: number | null;
  select_seconds: number | null;
  evaluate_seconds: number | null;
  reference_seconds: number | null;
}

export interface StatusCounts {
  total: number;
  done: number;
  failed: number;
  running: number;
  /** Any other stored status (none today; counted so the parts add up). */
  other: number;
}

export function statusCounts(rows: readonly RunRow[]): StatusCounts {
  const count = (s: string) => rows.filter((r) => r.status === s).length;
  const done = count("done");
  const failed = count("failed");
  const running = count("running");
  return { total: rows.length, done, failed, running, other: rows.length - done - failed - running };
}

/** "12 runs: 10 done, 1 failed, 1 running (8 active-learning runs, 4 naive baselines)." */
export function statusLine(rows: readonly RunRow[]): string {
  const c = statusCounts(rows);
  const parts = [`${c.done} done`, `${c.failed} failed`, `${c.running} running`];
  if (c.other > 0) parts.push(`${c.other} with another status`);
  const baselines = rows.filter((r) => r.kind === "baseline").length;
  const kinds = baselines > 0 ? ` (${rows.length - baselines} active-learning ${plural(rows.length - baselines, "run")}, ${baselines} naive ${plural(baselines, "baseline")})` : "";
  return `${c.total} ${plural(c.total, "run")}: ${parts.join(", ")}${kinds}.`;
}

/** A short name for a run: the varying axes, sampler, mode and seed (or the baseline's share). */
export function runLabel(row: RunRow, axes: readonly GridAxis[] = []): string {
  const what = row.kind === "baseline" ? `baseline ${row.baseline_percent ?? "?"}%` : row.sampler;
  return [...axes.map((a) => row[a]), what, row.mode, `seed ${row.seed ?? "—"}`].join(" · ");
}

/** The grid axes whose labels differ between runs: the ones a run's name must show. */
export function varyingAxes(rows: readonly RunRow[]): GridAxis[] {
  return GRID_AXIS_NAMES.filter((a) => new Set(rows.map((r) => r[a])).size > 1);
}

export interface BlockOptions {
  /** Document to create elements in; default the global one (pass jsdom's in Node). */
  document?: Document;
}

/** Failed runs, each with its label, id and message (text, in a <pre> so long traces wrap as written); null when none failed. */
export function failuresList(rows: readonly RunRow[], options: BlockOptions = {}): HTMLElement | null {
  const doc = options.document ?? document;
  const failed = rows.filter((r) => r.status === "failed");
  if (failed.length === 0) return null;
  const axes = varyingAxes(rows);
  const list = doc.createElement("ul");
  list.className = "run-failures";
  for (const row of failed) {
    const item = doc.createElement("li");
    item.dataset.runId = row.run_id;
    const name = doc.createElement("strong");
    name.textContent = runLabel(row, axes);
    const id = doc.createElement("code");
    id.textContent = row.run_id;
    const message = doc.createElement("pre");
    message.className = "run-error";
    message.textContent = row.error ?? "(no message stored)";
    item.append(name, " (", id, ")", message);
    list.append(item);
  }
  return list;
}

/** One flat row per run for Inputs.table: text and numbers only (Inputs renders them as text nodes). */
export interface RunTableRow {
  run: string;
  [column: string]: string | number | null;
}

export function runTableRows(rows: readonly RunRow[]): RunTableRow[] {
  const axes = varyingAxes(rows);
  return rows.map((r) => {
    const out: RunTableRow = { run: r.run_id };
    for (const a of axes) out[a] = r[a];
    Object.assign(out, {
      sampler: r.kind === "baseline" ? `baseline ${r.baseline_percent ?? "?"}%` : r.sampler,
      mode: r.mode,
      seed: r.seed,
      status: r.status,
      seconds: r.seconds,
      ...Object.fromEntries(PHASES.map((p) => [p, r[`${p}_seconds`]])),
      rounds: r.stored_rounds,
      backend: r.backend,
      host: r.host,
      started: r.started_at,
      error: r.error,
    });
    return out;
  });
}

/** Everything stored about one run as indented JSON in a <pre> (textContent). */
export function runDetails(row: RunRow, options: BlockOptions = {}): HTMLElement {
  const doc = options.document ?? document;
  const pre = doc.createElement("pre");
  pre.className = "run-config";
  pre.dataset.runId = row.run_id;
  const { config, versions, data_checksum, data_files, backend, host, started_at, finished_at, error } = row;
  pre.textContent = JSON.stringify({ run_id: row.run_id, config, provenance: { backend, versions, host, started_at, finished_at, data_checksum, data_files }, error }, null, 2);
  return pre;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
