/**
 * What the Rankings page ranks: one row per done AL run of every stored experiment (baselines
 * left out, as `al compare` does), with its experiment, every grid-axis label, sampler, mode and
 * seed, and per stored test metric with a direction the normalised area under the learning curve
 * and the final value. Pages build blocks and rank in the browser, so the page's pickers stay
 * instant. Not a loader: `rankings.json.ts` calls it.
 */
import { normalisedArea } from "../../lib/al/curves/area-under-curve.ts";
import { finalValue } from "../../lib/al/curves/final-value.ts";
import { metricInfo } from "../../lib/al/metrics/index.ts";
import { runGaps } from "../../lib/runner/gaps.ts";
import type { Store } from "../../lib/store/duckdb.ts";
import { GRID_AXIS_NAMES, gridAxisLabels, type AxisLabels } from "../components/grid-axes.ts";
import { num, parseStoredJson, text } from "./store-access.ts";

export interface RankingMetric {
  name: string;
  better: "higher" | "lower";
}

export type RankingRow = AxisLabels & {
  experiment: string;
  /** The run id: one run can belong to several experiments. */
  run: string;
  sampler: string;
  mode: string;
  seed: number;
  /** metric → normalised area under its curve over the labelled counts (runs with ≥ 2 rounds). */
  area: Record<string, number>;
  /** metric → value at the last round. */
  final: Record<string, number>;
};

export interface RankingData {
  metrics: RankingMetric[];
  rows: RankingRow[];
  /** Done AL runs not ranked, and why (incomplete rounds, superseded by a newer identical run). */
  skipped: Array<{ experiment: string; run: string; why: string }>;
}

/** Rounds a number to 6 significant digits: the JSON stays small, ranks are unaffected in practice. */
export function round6(x: number): number {
  return x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(6));
}

/**
 * Test-set metrics with a good direction, per-class ones left out: those are what a ranking can
 * order. Everything else stored (batch, pool, change metrics; "neither" metrics) is not a score.
 */
export function rankableMetric(name: string): RankingMetric | undefined {
  const info = metricInfo(name);
  if (!info || info.scope !== "test" || info.key.includes("<") || info.better === "neither") return undefined;
  return { name, better: info.better };
}

export async function rankingRows(store: Store): Promise<RankingData> {
  const runs = await store.query(
    `SELECT er.experiment, r.run_id, r.sampler, r.mode, r.seed, r.config::VARCHAR AS config
       FROM experiment_runs er JOIN runs r USING (run_id)
      WHERE r.status = 'done' AND json_extract(r.config, '$.baseline') IS NULL
      ORDER BY er.experiment, r.finished_at, r.run_id`,
  );
  const stored = (await store.query("SELECT DISTINCT metric FROM metrics ORDER BY metric")).map((r) => String(r.metric));
  const metrics = stored.flatMap((m) => rankableMetric(m) ?? []);
  const names = metrics.map((m) => m.name);
  const ids = [...new Set(runs.map((r) => String(r.run_id)))];
  const gaps = await runGaps(store, ids);
  const curves = await storedCurves(store, names);

  // Labels over every run of the store, so one label means one value on every experiment the
  // page may rank together.
  const configs = new Map(runs.map((r) => [String(r.run_id), parseStoredJson(r.config)]));
  const labels = gridAxisLabels([...configs.values()]);
  const labelOf = new Map([...configs.keys()].map((id, i) => [id, labels[i]!]));

  const rows: RankingRow[] = [];
  const skipped: RankingData["skipped"] = [];
  // Runs of one experiment that agree on every label, sampler, mode and seed (made again after an
  // edit of the data file, say): the newest is ranked, as in `al compare`.
  const cellOf = new Map<string, number>();
  for (const r of runs) {
    const experiment = String(r.experiment);
    const run = String(r.run_id);
    const gap = gaps.get(run);
    if (gap) {
      skipped.push({ experiment, run, why: `stored rounds incomplete (${gap})` });
      continue;
    }
    const row = { experiment, run, ...labelOf.get(run)!, sampler: text(r.sampler) ?? "—", mode: text(r.mode) ?? "—", seed: num(r.seed) ?? 0, area: {}, final: {} } as RankingRow;
    const curve = curves.get(run);
    for (const m of names) {
      const values = curve?.values.get(m);
      if (!curve || !values || values.some((v) => v === null)) continue;
      const ys = values as number[];
      row.final[m] = round6(finalValue(ys));
      if (curve.labelled.length >= 2) row.area[m] = round6(normalisedArea(curve.labelled, ys));
    }
    const cell = JSON.stringify([experiment, ...GRID_AXIS_NAMES.map((a) => row[a]), row.sampler, row.mode, row.seed]);
    const earlier = cellOf.get(cell);
    if (earlier === undefined) {
      cellOf.set(cell, rows.length);
      rows.push(row);
    } else {
      skipped.push({ experiment, run: rows[earlier]!.run, why: `superseded by the newer run ${run} with the same settings` });
      rows[earlier] = row;
    }
  }
  return { metrics, rows, skipped };
}

interface Curve {
  labelled: number[];
  /** metric → value per round (null where the round lacks it). */
  values: Map<string, Array<number | null>>;
}

/** Every run's rounds in order with the given metrics' values. */
async function storedCurves(store: Store, metrics: readonly string[]): Promise<Map<string, Curve>> {
  const out = new Map<string, Curve>();
  const rounds = await store.query("SELECT run_id, round, labelled FROM rounds ORDER BY run_id, round");
  const position = new Map<string, number>();
  for (const r of rounds) {
    const id = String(r.run_id);
    let curve = out.get(id);
    if (!curve) out.set(id, (curve = { labelled: [], values: new Map(metrics.map((m) => [m, []])) }));
    position.set(`${id}\u0000${num(r.round)}`, curve.labelled.length);
    curve.labelled.push(num(r.labelled) ?? 0);
    for (const m of metrics) curve.values.get(m)!.push(null);
  }
  if (metrics.length === 0) return out;
  const values = await store.query(
    "SELECT run_id, round, metric, value FROM metrics WHERE metric IN (SELECT unnest(string_split(?, ',')))",
    [metrics.join(",")],
  );
  for (const v of values) {
    const id = String(v.run_id);
    const i = position.get(`${id}\u0000${num(v.round)}`);
    if (i !== undefined) out.get(id)!.values.get(String(v.metric))![i] = num(v.value);
  }
  return out;
}
