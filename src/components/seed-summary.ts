/**
 * Collapses per-seed rounds into one row per curve point: the statistics a learning curve
 * plots. A curve is every column that tells runs apart except the seed — data set, learner,
 * sizes, epochs, sampler, mode, kind, baseline — so two data sets are never pooled into one
 * "seed band". Pure, so it can be tested with hand-computed numbers.
 */
import { CURVE_KEYS } from "./grid-axes.js";

/**
 * One round: any object with the key columns, labelled and metric properties (`object`, so both
 * typed interfaces and parsed Parquet records fit). Integer columns may be BigInt (INT64).
 */
export type RoundRow = object;

export type KeyValue = string | number | null;

export interface SeedSummaryRow {
  sampler: string;
  mode: string;
  labelled: number;
  mean: number;
  /** Sample standard deviation over seeds (n − 1 denominator); 0 when n = 1. */
  sd: number;
  min: number;
  max: number;
  /** 95% confidence interval of the mean over seeds (Student t); the mean itself when n = 1. */
  ciLow: number;
  ciHigh: number;
  /** Number of seeds with a value at this point. */
  n: number;
  /** The curve's other key columns (dataset, learner, …) as they appear in the rows. */
  [key: string]: KeyValue;
}

export interface SeedSummaryOptions {
  /** Column to summarise; default "accuracy". */
  metric?: string;
  /**
   * Columns that identify a curve (besides labelled). Default: every one of experiment and the
   * grid columns (src/components/grid-axes.ts CURVE_KEYS) that the rows have.
   */
  keys?: readonly string[];
}

/** The default curve keys present in `row`. */
export function curveKeys(row: object): string[] {
  return ["experiment", ...CURVE_KEYS].filter((k) => k in row);
}

export function seedSummary(rows: readonly RoundRow[], options: SeedSummaryOptions = {}): SeedSummaryRow[] {
  const metric = options.metric ?? "accuracy";
  if (rows.length === 0) throw new Error("seedSummary: no rows to summarise (is the experiment's data empty?)");
  const first = rows[0] as Readonly<Record<string, unknown>>;
  const keys = options.keys ?? curveKeys(first);
  for (const column of ["sampler", "mode", "labelled", ...keys, metric]) {
    if (!(column in first)) {
      throw new Error(
        `seedSummary: column "${column}" not found; available columns: ${Object.keys(first).join(", ")}`,
      );
    }
  }
  const hasSeed = "seed" in first;

  const groups = new Map<string, { key: Record<string, KeyValue>; values: number[]; seeds: Set<string> }>();
  for (const row of rows as readonly Readonly<Record<string, unknown>>[]) {
    const value = toNumber(row[metric]);
    // A missing metric value (null/NaN) is a gap, not a zero: leave it out of the statistics.
    if (value === undefined) continue;
    const key: Record<string, KeyValue> = {};
    for (const k of keys) key[k] = toKey(row[k]);
    key.sampler = String(row.sampler);
    key.mode = String(row.mode);
    key.labelled = Number(row.labelled);
    const id = JSON.stringify(key);
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { key, values: [], seeds: new Set() }));
    if (hasSeed) {
      // Two values for one seed at one point: the rows vary on a column that is not a key.
      const seed = String(row.seed);
      if (group.seeds.has(seed)) {
        throw new Error(
          `seedSummary: seed ${seed} has two "${metric}" values at ${describeKey(key)}; the rows differ in a column not among the keys (${keys.join(", ")}): pass options.keys with it`,
        );
      }
      group.seeds.add(seed);
    }
    group.values.push(value);
  }
  if (groups.size === 0) throw new Error(`seedSummary: column "${metric}" has no numeric values`);

  const out: SeedSummaryRow[] = [];
  for (const { key, values } of groups.values()) {
    const n = values.length;
    const mean = values.reduce((a, b) => a + b, 0) / n;
    const sd = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
    const half = n > 1 ? tQuantile975(n - 1) * (sd / Math.sqrt(n)) : 0;
    out.push({
      ...key,
      sampler: key.sampler as string,
      mode: key.mode as string,
      labelled: key.labelled as number,
      mean,
      sd,
      min: Math.min(...values),
      max: Math.max(...values),
      ciLow: mean - half,
      ciHigh: mean + half,
      n,
    });
  }
  const order = [...keys.filter((k) => k !== "sampler" && k !== "mode"), "sampler", "mode"];
  return out.sort((a, b) => order.reduce((c, k) => c || cmp(a[k], b[k]), 0) || a.labelled - b.labelled);
}

/** Student t 0.975 quantiles for 1–30 degrees of freedom; the normal 1.96 beyond. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export function tQuantile975(df: number): number {
  return df >= 1 && df <= 30 ? T975[Math.round(df) - 1]! : 1.96;
}

function describeKey(key: Record<string, KeyValue>): string {
  return Object.entries(key).map(([k, v]) => `${k}=${v}`).join(", ");
}

/** A row's value as a grouping key (BigInt counts as numbers, anything else as text). */
export function toKey(value: unknown): KeyValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number" || typeof value === "string") return value;
  return String(value);
}

/** A row's value as a finite number, or undefined. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "bigint") return Number(value);
  return undefined;
}

function cmp(a: KeyValue | undefined, b: KeyValue | undefined): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The last point of each curve (every key but labelled): the final-round score a table reports. */
export function finalRounds(summary: readonly SeedSummaryRow[]): SeedSummaryRow[] {
  const last = new Map<string, SeedSummaryRow>();
  for (const row of summary) {
    const { labelled: _l, mean: _m, sd: _s, min: _a, max: _b, ciLow: _c, ciHigh: _d, n: _n, ...key } = row;
    const id = JSON.stringify(key);
    const seen = last.get(id);
    if (!seen || row.labelled > seen.labelled) last.set(id, row);
  }
  return [...last.values()];
}
