/**
 * Per-curve summaries for the sampler table: each seed's normalised area under the learning
 * curve (trapezoid over the labelled counts — or over what the labels cost — divided by their
 * range; the store's aulc_accuracy / aulc_cost_accuracy for the accuracy metric) and its final value, then mean and 95% CI over seeds for each curve
 * (every key column but seed and labelled; see seed-summary.ts). Pure.
 */
import { curveKeys, tQuantile975, type KeyValue, type RoundRow } from "./seed-summary.js";

export interface Interval {
  mean: number;
  ciLow: number;
  ciHigh: number;
}

export interface CurveSummaryRow {
  sampler: string;
  mode: string;
  /** Null when no seed's curve has two points. */
  area: Interval | null;
  final: Interval;
  /** Labelled count of the last point (the largest any seed reached). */
  finalLabelled: number;
  n: number;
  [key: string]: KeyValue | Interval | null;
}

/** One curve's points per seed: the key (every key column but seed and labelled) and [labelled, value] pairs sorted by labelled. */
export interface SeedCurves {
  key: Record<string, KeyValue> & { sampler: string; mode: string };
  seeds: Map<string, [number, number][]>;
}

/** What a curve's points are spread over: the labelled count, or what those labels cost (the `cost` metric). */
export type CurveX = "labelled" | "cost";

/**
 * Groups rounds into curves, each with its seeds' points [x, value]; rounds without a finite
 * metric value (or, for x = "cost", without a finite cost) are left out.
 */
export function seedCurves(rows: readonly RoundRow[], options: { metric?: string; keys?: readonly string[]; x?: CurveX } = {}): SeedCurves[] {
  const metric = options.metric ?? "accuracy";
  const xColumn = options.x ?? "labelled";
  if (rows.length === 0) return [];
  const first = rows[0] as Record<string, unknown>;
  const keys = options.keys ?? curveKeys(first);
  const curves = new Map<string, SeedCurves>();
  for (const row of rows as readonly Record<string, unknown>[]) {
    const y = typeof row[metric] === "number" && Number.isFinite(row[metric]) ? (row[metric] as number) : undefined;
    if (y === undefined) continue;
    const x = Number(row[xColumn]);
    if (xColumn === "cost" && (typeof row.cost !== "number" || !Number.isFinite(x))) continue;
    const key: Record<string, KeyValue> = {};
    for (const k of keys) key[k] = row[k] === undefined || row[k] === null ? null : typeof row[k] === "number" ? (row[k] as number) : String(row[k]);
    key.sampler = String(row.sampler);
    key.mode = String(row.mode);
    const id = JSON.stringify(key);
    let curve = curves.get(id);
    if (!curve) curves.set(id, (curve = { key: key as SeedCurves["key"], seeds: new Map() }));
    const seed = String(row.seed ?? "");
    let points = curve.seeds.get(seed);
    if (!points) curve.seeds.set(seed, (points = []));
    points.push([x, y]);
  }
  for (const curve of curves.values()) for (const points of curve.seeds.values()) points.sort((a, b) => a[0] - b[0]);
  return [...curves.values()];
}

export function curveSummary(rows: readonly RoundRow[], options: { metric?: string; keys?: readonly string[] } = {}): CurveSummaryRow[] {
  const out: CurveSummaryRow[] = [];
  for (const { key, seeds } of seedCurves(rows, options)) {
    const areas: number[] = [];
    const finals: number[] = [];
    let finalLabelled = -Infinity;
    for (const points of seeds.values()) {
      const area = normalisedArea(points);
      if (area !== undefined) areas.push(area);
      finals.push(points.at(-1)![1]);
      finalLabelled = Math.max(finalLabelled, points.at(-1)![0]);
    }
    out.push({ ...key, sampler: key.sampler, mode: key.mode, area: areas.length ? interval(areas) : null, final: interval(finals), finalLabelled, n: seeds.size });
  }
  return out;
}

/** Trapezoid area over [first, last] labelled count, divided by that range; undefined for one point. */
export function normalisedArea(points: readonly (readonly [number, number])[]): number | undefined {
  if (points.length < 2) return undefined;
  const range = points.at(-1)![0] - points[0]![0];
  if (!(range > 0)) return undefined;
  let area = 0;
  for (let i = 1; i < points.length; i++) area += ((points[i]![0] - points[i - 1]![0]) * (points[i]![1] + points[i - 1]![1])) / 2;
  return area / range;
}

/** Mean and Student-t 95% CI; a single value is its own interval. */
export function interval(values: readonly number[]): Interval {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  const half = n > 1 ? (tQuantile975(n - 1) * sd) / Math.sqrt(n) : 0;
  return { mean, ciLow: mean - half, ciHigh: mean + half };
}

/** "0.812 [0.790, 0.834]" */
export function formatInterval(value: Interval | null, digits = 3): string {
  if (value === null) return "—";
  return value.ciLow === value.ciHigh ? value.mean.toFixed(digits) : `${value.mean.toFixed(digits)} [${value.ciLow.toFixed(digits)}, ${value.ciHigh.toFixed(digits)}]`;
}

/** A stored per-run summary row (src/data/experiments/[experiment]/summaries.json). */
export type StoredSummary = Record<string, string | number | null>;

/**
 * Replaces each curve's computed area by the mean and CI of the stored per-run summary `name`
 * (al run's aulc_accuracy, say) where every seed of that curve has one; other curves keep the
 * computed area. Curves match on `keys` (the varying axes plus sampler and mode). Returns the
 * rows and whether any area came from the store.
 */
export function withStoredArea(
  table: readonly CurveSummaryRow[],
  stored: readonly StoredSummary[],
  options: { name: string; keys: readonly string[] },
): { rows: CurveSummaryRow[]; stored: boolean } {
  let used = false;
  const rows = table.map((row) => {
    const values = stored
      .filter((s) => s.name === options.name && s.kind !== "baseline" && options.keys.every((k) => s[k] === row[k]))
      .map((s) => s.value)
      .filter((v): v is number => typeof v === "number" && Number.isFinite(v));
    if (values.length === 0 || values.length !== row.n) return row;
    used = true;
    return { ...row, area: interval(values) };
  });
  return { rows, stored: used };
}
