/**
 * One experiment's stored analysis, shaped for the Diagnostics page: per active-learning run its
 * grid-axis labels, sampler, mode, seed and status, the `stopping` rows (where each rule would
 * have stopped and what it would have lost) and the advisor's `advice` per round; plus what each
 * diagnostic metric and stopping rule means (lib/al/metrics' catalogue, lib/al/analysis' rules),
 * so the page explains them without importing lib/. Not a loader:
 * experiments/[experiment]/analysis.json.ts and analysis.parquet.ts call it (packAnalysis splits
 * it between them). Reads the store only.
 */
import { metricCatalogue, type MetricScope } from "../../lib/al/metrics/index.ts";
import type { Row, Store } from "../../lib/store/duckdb.ts";
import { GRID_AXIS_NAMES, gridAxisLabels, type AxisLabels } from "../components/grid-axes.ts";
import { ANALYSIS_ENTRY_COLUMNS, type AdviceEntry, type AnalysisEntry, type PackedAnalysis, type StoppingEntry } from "../components/analysis-data.ts";
import { rowsParquet, type ParquetValue } from "./parquet-rows.ts";
import { num, parseStoredJson, text } from "./store-access.ts";

// The shapes are the page's (src/components/analysis-data.ts unpacks what packAnalysis writes).
export type { AdviceEntry, StoppingEntry } from "../components/analysis-data.ts";

export type AnalysisRun = AxisLabels & {
  run_id: string;
  sampler: string;
  mode: string;
  seed: number | null;
  status: string;
  /** Whether al run's analysis has seen this run (it stores a final_accuracy summary for every run it analyses). */
  analysed: boolean;
  stopping: StoppingEntry[];
  advice: AdviceEntry[];
};

export interface DiagnosticInfo {
  key: string;
  scope: MetricScope;
  better: "higher" | "lower" | "neither";
  description: string;
  helps: string;
}

export interface RuleInfo {
  rule: string;
  /** The stored metric the rule reads. */
  reads: string;
  /** When it fires, with the thresholds lib/al/analysis.ts uses. */
  stops: string;
}

export interface AnalysisData {
  runs: AnalysisRun[];
  diagnostics: DiagnosticInfo[];
  rules: RuleInfo[];
}

/**
 * The stopping rules lib/al/analysis.ts applies (its `stoppingRules`, same order), in words; a
 * test keeps the two lists in step.
 */
export const STOPPING_RULES: readonly RuleInfo[] = [
  { rule: "stabilising_predictions", reads: "stability_kappa", stops: "κ between consecutive rounds' test predictions ≥ 0.99 for 3 rounds" },
  { rule: "max_uncertainty", reads: "batch_uncertainty_max", stops: "the selected batch's largest uncertainty ≤ 0.5" },
  { rule: "overall_uncertainty", reads: "pool_uncertainty_mean", stops: "the pool's mean uncertainty ≤ 0.1" },
  { rule: "uncertainty_variance", reads: "batch_uncertainty_variance", stops: "the batch's uncertainty variance fell for 3 consecutive rounds" },
  { rule: "contradiction", reads: "contradiction_ratio", stops: "contradiction ratio ≤ 0.02 for 2 rounds" },
  { rule: "selected_accuracy", reads: "batch_accuracy", stops: "the model's accuracy on its selected batch ≥ 0.9" },
];

/** Diagnostics are the per-round metrics not measured on the test set: changes, batches, the pool. */
export function diagnosticCatalogue(): DiagnosticInfo[] {
  return metricCatalogue
    .filter((m) => m.scope !== "test")
    .map(({ key, scope, better, description, helps }) => ({ key, scope, better, description, helps }));
}

export async function analysisRows(store: Store, experiment: string): Promise<AnalysisData> {
  const all = await store.query(
    `SELECT r.run_id, r.config, r.sampler, r.mode, r.seed, r.status,
            json_extract(r.config, '$.baseline') IS NOT NULL AS baseline
       FROM experiment_runs er JOIN runs r USING (run_id) WHERE er.experiment = ? ORDER BY r.run_id`,
    [experiment],
  );
  // Labelled over every run, as rounds-table.ts does, so a run's labels match its rounds' columns.
  const allLabels = gridAxisLabels(all.map((r) => parseStoredJson(r.config)));
  // Baselines (one fit on a random share of the pool) have no rounds to stop or advise on.
  const kept = all.flatMap((r, i) => (r.baseline === true ? [] : [{ r, axes: allLabels[i]! }]));
  const stopping = await store.query(
    `SELECT s.run_id, s.rule, s.stop_round, s.stop_labelled, s.lost_accuracy
       FROM stopping s JOIN experiment_runs er USING (run_id) WHERE er.experiment = ?`,
    [experiment],
  );
  const advice = await store.query(
    `SELECT a.run_id, a.round, a.action, a.use, a.reason
       FROM advice a JOIN experiment_runs er USING (run_id) WHERE er.experiment = ? ORDER BY a.run_id, a.round`,
    [experiment],
  );
  const analysed = new Set(
    (await store.query(
      `SELECT DISTINCT s.run_id FROM summaries s JOIN experiment_runs er USING (run_id) WHERE er.experiment = ? AND s.name = 'final_accuracy'`,
      [experiment],
    )).map((r) => String(r.run_id)),
  );

  const order = new Map(STOPPING_RULES.map((r, i) => [r.rule, i]));
  const rank = (rule: string) => order.get(rule) ?? STOPPING_RULES.length;
  const stopsOf = group(stopping, (r): StoppingEntry => ({
    rule: text(r.rule) ?? "",
    stop_round: num(r.stop_round),
    stop_labelled: num(r.stop_labelled),
    lost_accuracy: num(r.lost_accuracy),
  }));
  const adviceOf = group(advice, (r): AdviceEntry => ({
    round: num(r.round) ?? 0,
    action: text(r.action) ?? "",
    use: text(r.use),
    reason: text(r.reason) ?? "",
  }));

  return {
    runs: kept.map(({ r, axes: labels }) => {
      const id = String(r.run_id);
      const axes = Object.fromEntries(GRID_AXIS_NAMES.map((a) => [a, labels[a]])) as AxisLabels;
      return {
        ...axes,
        run_id: id,
        sampler: text(r.sampler) ?? "",
        mode: text(r.mode) ?? "",
        seed: num(r.seed),
        status: text(r.status) ?? "",
        analysed: analysed.has(id),
        // Known rules in lib/al/analysis.ts's order; a rule this site does not know yet goes last.
        stopping: (stopsOf.get(id) ?? []).sort((a, b) => rank(a.rule) - rank(b.rule) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)),
        advice: (adviceOf.get(id) ?? []).sort((a, b) => a.round - b.round),
      };
    }),
    diagnostics: diagnosticCatalogue(),
    rules: [...STOPPING_RULES],
  };
}

/** The fields of a run besides its stopping rows and advice. */
export type AnalysisRunFields = Omit<AnalysisRun, "stopping" | "advice">;
export type PackedAnalysisData = PackedAnalysis<AnalysisRunFields, DiagnosticInfo, RuleInfo>;

/**
 * What the Diagnostics page ships: `json` (analysis.json: each run's fields and the catalogue's
 * texts) and `entries` (analysis.parquet: every stopping row and advice message as a row of its
 * own, in the analysis order); src/components/analysis-data.ts, unpackAnalysis, gives `data`
 * back exactly. The advisor's sentences carry each run's numbers, so nearly every one is
 * distinct: as JSON they were most of the page's 3 MB at 1,000 runs × 20 rounds, as
 * dictionary-coded, snappy-compressed Parquet a fraction of it (bench/site.bench.ts).
 */
export function packAnalysis(data: AnalysisData): { json: PackedAnalysisData; entries: AnalysisEntry[] } {
  const none = { rule: null, stop_round: null, stop_labelled: null, lost_accuracy: null, round: null, action: null, use: null, reason: null };
  const entries: AnalysisEntry[] = [];
  for (const run of data.runs) {
    for (const s of run.stopping) entries.push({ ...none, run_id: run.run_id, kind: "stopping", ...s });
    for (const a of run.advice) entries.push({ ...none, run_id: run.run_id, kind: "advice", ...a });
  }
  return {
    json: { runs: data.runs.map(({ stopping: _s, advice: _a, ...run }) => run), diagnostics: data.diagnostics, rules: data.rules },
    entries,
  };
}

/** analysis.parquet's bytes for packAnalysis' entries. */
export function analysisEntriesParquet(entries: readonly AnalysisEntry[]): Promise<Uint8Array> {
  return rowsParquet(entries as unknown as readonly Record<string, ParquetValue>[], { columns: ANALYSIS_ENTRY_COLUMNS });
}

function group<T>(rows: readonly Row[], shape: (row: Row) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const id = String(row.run_id);
    const list = out.get(id) ?? [];
    list.push(shape(row));
    out.set(id, list);
  }
  return out;
}
