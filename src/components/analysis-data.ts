/**
 * The Diagnostics page's analysis files, unpacked. The loaders (src/data/analysis-rows.ts,
 * packAnalysis) ship two files: analysis.json with each run's fields (grid-axis labels, sampler,
 * mode, seed, status) and what each diagnostic and rule means, and analysis.parquet with every
 * stopping row and advice message as a row of its own. At 1,000 runs × 20 rounds the advisor's
 * sentences (numbers in templated text, nearly all distinct) were 1.4 MB of JSON; as
 * dictionary-coded, snappy-compressed Parquet they are a fifth of that (bench/site.bench.ts).
 * unpackAnalysis gives back exactly what analysisRows built, so the page and its components see
 * plain objects. readAnalysisEntries takes bytes, not a URL: the page fetches. No lib/ imports.
 */
import { parquetReadObjects } from "hyparquet";

export interface StoppingEntry {
  rule: string;
  /** Null: the rule never fired in this run. */
  stop_round: number | null;
  stop_labelled: number | null;
  /** Quality at the end minus at the stop round (a fraction; negative = stopping would have been better). */
  lost_accuracy: number | null;
}

export interface AdviceEntry {
  round: number;
  action: string;
  /** The reference to switch to ("random", "k-means") for an `explore` advice; null otherwise. */
  use: string | null;
  reason: string;
}

/** A run's fields besides its stopping rows and advice (grid-axis labels, sampler, mode, …). */
export interface RunFields {
  run_id: string;
  sampler: string;
  mode: string;
  seed: number | null;
  status: string;
  analysed: boolean;
  [axis: string]: string | number | boolean | null;
}

/** One row of analysis.parquet: a stopping row (kind "stopping") or an advice message (kind "advice"); the other kind's columns are null. */
export interface AnalysisEntry {
  run_id: string;
  kind: "stopping" | "advice";
  rule: string | null;
  stop_round: number | null;
  stop_labelled: number | null;
  lost_accuracy: number | null;
  round: number | null;
  action: string | null;
  use: string | null;
  reason: string | null;
}

/** The Parquet column types of analysis.parquet (DuckDB names), in file order. */
export const ANALYSIS_ENTRY_COLUMNS = {
  run_id: "VARCHAR",
  kind: "VARCHAR",
  rule: "VARCHAR",
  stop_round: "INTEGER",
  stop_labelled: "INTEGER",
  lost_accuracy: "DOUBLE",
  round: "INTEGER",
  action: "VARCHAR",
  use: "VARCHAR",
  reason: "VARCHAR",
} as const satisfies Record<keyof AnalysisEntry, string>;

/** What analysis.json ships: the runs without their stopping rows and advice, and the catalogue's texts. */
export interface PackedAnalysis<R extends RunFields = RunFields, D = unknown, U = unknown> {
  runs: R[];
  diagnostics: D[];
  rules: U[];
}

export type UnpackedRun<R extends RunFields = RunFields> = R & { stopping: StoppingEntry[]; advice: AdviceEntry[] };

export interface UnpackedAnalysis<R extends RunFields = RunFields, D = unknown, U = unknown> {
  runs: UnpackedRun<R>[];
  diagnostics: D[];
  rules: U[];
}

/** The runs of analysis.json with their entries from analysis.parquet, each list in file order. */
export function unpackAnalysis<R extends RunFields, D, U>(packed: PackedAnalysis<R, D, U>, entries: readonly AnalysisEntry[]): UnpackedAnalysis<R, D, U> {
  const runs = packed.runs.map((run): UnpackedRun<R> => ({ ...run, stopping: [], advice: [] }));
  const byId = new Map(runs.map((r) => [r.run_id, r]));
  for (const e of entries) {
    const run = byId.get(e.run_id);
    if (!run) throw new Error(`analysis.parquet: a ${e.kind} row for run ${e.run_id}, which analysis.json lacks; rebuild the site (the two files are out of step)`);
    if (e.kind === "stopping") run.stopping.push({ rule: e.rule ?? "", stop_round: e.stop_round, stop_labelled: e.stop_labelled, lost_accuracy: e.lost_accuracy });
    else if (e.kind === "advice") run.advice.push({ round: e.round ?? 0, action: e.action ?? "", use: e.use, reason: e.reason ?? "" });
    else throw new Error(`analysis.parquet: row kind ${JSON.stringify(e.kind)} for run ${e.run_id}; expected "stopping" or "advice" (rebuild the site)`);
  }
  return { runs, diagnostics: packed.diagnostics, rules: packed.rules };
}

/** analysis.parquet's rows as AnalysisEntry objects (numbers as numbers, absent values null). */
export async function readAnalysisEntries(bytes: ArrayBuffer): Promise<AnalysisEntry[]> {
  const rows = await parquetReadObjects({ file: bytes });
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const numOf = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return rows.map((r) => ({
    run_id: String(r.run_id),
    kind: String(r.kind) as AnalysisEntry["kind"],
    rule: str(r.rule),
    stop_round: numOf(r.stop_round),
    stop_labelled: numOf(r.stop_labelled),
    lost_accuracy: numOf(r.lost_accuracy),
    round: numOf(r.round),
    action: str(r.action),
    use: str(r.use),
    reason: str(r.reason),
  }));
}
