/**
 * One experiment's rounds, shaped for the report page: the store's pivoted rounds view joined
 * with each run's grid-axis labels, written as Parquet by an in-memory DuckDB (the store itself
 * is only read). Not a loader: `experiments/[experiment]/rounds.parquet.ts` calls it.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Store } from "../../lib/store/duckdb.ts";
import { metricNamesQuery, roundsQuery, sqlString } from "../../lib/store/views.ts";
import { GRID_AXIS_NAMES, gridAxisLabels } from "../components/grid-axes.ts";
import { num, parseStoredJson, text } from "./store-access.ts";

const TIMINGS = ["train_seconds", "score_seconds", "select_seconds", "evaluate_seconds", "reference_seconds"] as const;

export async function roundsRows(store: Store, experiment: string): Promise<{ metrics: string[]; rows: Record<string, string | number | null>[] }> {
  const names = metricNamesQuery({ experiment });
  const metrics = (await store.query(names.sql, names.params)).map((r) => String(r.metric));
  const runs = await store.query(
    "SELECT r.run_id, r.config FROM experiment_runs er JOIN runs r USING (run_id) WHERE er.experiment = ? ORDER BY r.run_id",
    [experiment],
  );
  const labels = gridAxisLabels(runs.map((r) => parseStoredJson(r.config)));
  const axesOf = new Map(runs.map((r, i) => [String(r.run_id), labels[i]!]));
  const q = roundsQuery(metrics, { experiment });
  const rows = (await store.query(q.sql, q.params)).map((r) => {
    const axes = axesOf.get(String(r.run_id));
    const row: Record<string, string | number | null> = {};
    for (const axis of GRID_AXIS_NAMES) row[axis] = axes?.[axis] ?? text(r[axis]) ?? "—";
    row.sampler = text(r.sampler);
    row.mode = text(r.mode);
    row.seed = num(r.seed);
    row.kind = text(r.kind);
    row.baseline_percent = num(r.baseline_percent);
    row.round = num(r.round);
    row.labelled = num(r.labelled);
    for (const m of metrics) row[m] = num(r[m]);
    for (const t of TIMINGS) row[t] = num(r[t]);
    row.backend = text(r.backend);
    return row;
  });
  return { metrics, rows };
}

/**
 * Numbers are stored as exact decimals where that keeps them (scaled integers, which Parquet v2
 * delta-encodes in a few bits along a run's rounds), float32 otherwise: a page with 1,000 runs
 * then loads about a third of the DOUBLE file's bytes (bench/site.bench.ts). hyparquet (the
 * browser reader) decodes DECIMAL to plain numbers and needs nothing beyond snappy.
 */
export const METRIC_SCALE = 6;
export const TIMING_SCALE = 4;
/** Largest relative change a value may take from the decimal (5 significant digits). */
export const RELATIVE_TOLERANCE = 1e-5;

/**
 * The column type a numeric column is written with: DECIMAL(18, scale) when every value keeps its
 * size and `relative` precision at `scale` decimals (counts over a test set, accuracies, seconds);
 * FLOAT (float32: 7 significant digits) when one would not (a variance of 1e-9, a loss of 1e15).
 * `relative: false` (timings) only asks that the value fit: 0.1 ms is finer than any phase shown.
 */
export function numericColumnType(values: readonly (number | null)[], scale: number, options: { relative?: boolean } = {}): string {
  const relative = options.relative ?? true;
  const factor = 10 ** scale;
  // 18 digits in an INT64, kept well inside 2^53 so the scaled value is exact in a double.
  const limit = 2 ** 52 / factor;
  for (const v of values) {
    if (v === null) continue;
    if (!(Math.abs(v) < limit)) return "FLOAT";
    if (relative && Math.abs(Math.round(v * factor) / factor - v) > RELATIVE_TOLERANCE * Math.abs(v)) return "FLOAT";
  }
  return `DECIMAL(18, ${scale})`;
}

export async function roundsParquet(store: Store, experiment: string): Promise<Uint8Array> {
  const { metrics, rows } = await roundsRows(store, experiment);
  return roundsRowsParquet(metrics, rows);
}

/** Rows as roundsRows shapes them → the Parquet bytes the page reads (split out so tests can feed rows directly). */
export async function roundsRowsParquet(metrics: readonly string[], rows: readonly Record<string, string | number | null>[]): Promise<Uint8Array> {
  const column = (name: string) => rows.map((r) => r[name] as number | null);
  const columns: Record<string, string> = {};
  for (const axis of GRID_AXIS_NAMES) columns[axis] = "VARCHAR";
  Object.assign(columns, { sampler: "VARCHAR", mode: "VARCHAR", seed: "INTEGER", kind: "VARCHAR", baseline_percent: "DOUBLE", round: "INTEGER", labelled: "INTEGER" });
  for (const m of metrics) columns[m] = numericColumnType(column(m), METRIC_SCALE);
  for (const t of TIMINGS) columns[t] = numericColumnType(column(t), TIMING_SCALE, { relative: false });
  columns.backend = "VARCHAR";
  const spec = Object.entries(columns).map(([k, v]) => `${sqlString(k)}: '${v}'`).join(", ");
  const quoted = (k: string) => `"${k.replaceAll('"', '""')}"`;
  // A run's rounds in a row, runs grouped by their labels: text repeats (run-length dictionary
  // codes) and each number differs little from the one before it (small deltas).
  const order = [...GRID_AXIS_NAMES, "kind", "baseline_percent", "sampler", "mode", "seed", "round"].map(quoted).join(", ");

  const dir = await mkdtemp(join(tmpdir(), "al-site-rounds-"));
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    const json = join(dir, "rounds.json");
    const out = join(dir, "rounds.parquet");
    await writeFile(json, JSON.stringify(rows));
    // An empty experiment still yields a file with the right columns.
    const source = rows.length === 0
      ? `SELECT ${Object.entries(columns).map(([k, v]) => `NULL::${v} AS ${quoted(k)}`).join(", ")} LIMIT 0`
      : `SELECT * FROM read_json(${sqlString(json)}, format = 'array', columns = {${spec}}) ORDER BY ${order}`;
    // Parquet v2 pages: delta-encoded integers and decimals; snappy is the codec hyparquet reads unaided.
    await conn.run(`COPY (${source}) TO ${sqlString(out)} (FORMAT parquet, PARQUET_VERSION V2, COMPRESSION snappy)`);
    return new Uint8Array(await readFile(out));
  } finally {
    conn.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The stored curve summaries (al run's analysis: aulc_accuracy, final_accuracy, …), one row per
 * run × summary, with the same axis labels, sampler, mode, seed and kind as the rounds.
 */
export async function summaryRows(store: Store, experiment: string): Promise<Record<string, string | number | null>[]> {
  const runs = await store.query(
    `SELECT r.run_id, r.config, r.sampler, r.mode, r.seed,
            CASE WHEN json_extract(r.config, '$.baseline') IS NULL THEN 'al' ELSE 'baseline' END AS kind
       FROM experiment_runs er JOIN runs r USING (run_id) WHERE er.experiment = ? ORDER BY r.run_id`,
    [experiment],
  );
  const labels = gridAxisLabels(runs.map((r) => parseStoredJson(r.config)));
  const byRun = new Map(runs.map((r, i) => [String(r.run_id), { ...labels[i]!, sampler: text(r.sampler), mode: text(r.mode), seed: num(r.seed), kind: text(r.kind) }]));
  const stored = await store.query(
    "SELECT s.run_id, s.name, s.value FROM summaries s JOIN experiment_runs er USING (run_id) WHERE er.experiment = ? ORDER BY s.run_id, s.name",
    [experiment],
  );
  return stored.flatMap((s) => {
    const run = byRun.get(String(s.run_id));
    return run ? [{ ...run, name: text(s.name), value: num(s.value) }] : [];
  });
}
