/**
 * Collapses per-seed rounds into one row per (sampler, mode, labelled): the statistics a
 * learning curve plots. Pure, so it can be tested with hand-computed numbers.
 */

/**
 * One round: any object with sampler, mode, labelled and metric properties (`object`, so both
 * typed interfaces and parsed Parquet records fit). Integer columns may be BigInt (INT64).
 */
export type RoundRow = object;

export interface SeedSummaryRow {
  sampler: string;
  mode: string;
  labelled: number;
  mean: number;
  /** Sample standard deviation over seeds (n − 1 denominator); 0 when n = 1. */
  sd: number;
  min: number;
  max: number;
  /** Number of seeds with a value at this point. */
  n: number;
}

export interface SeedSummaryOptions {
  /** Column to summarise; default "accuracy". */
  metric?: string;
}

const KEY_COLUMNS = ["sampler", "mode", "labelled"] as const;

export function seedSummary(rows: readonly RoundRow[], options: SeedSummaryOptions = {}): SeedSummaryRow[] {
  const metric = options.metric ?? "accuracy";
  if (rows.length === 0) throw new Error("seedSummary: no rows to summarise (is the experiment's data empty?)");
  const first = rows[0] as Readonly<Record<string, unknown>>;
  for (const column of [...KEY_COLUMNS, metric]) {
    if (!(column in first)) {
      throw new Error(
        `seedSummary: column "${column}" not found; available columns: ${Object.keys(first).join(", ")}`,
      );
    }
  }

  const groups = new Map<string, { sampler: string; mode: string; labelled: number; values: number[] }>();
  for (const row of rows as readonly Readonly<Record<string, unknown>>[]) {
    const sampler = String(row.sampler);
    const mode = String(row.mode);
    const labelled = Number(row.labelled);
    const value = toNumber(row[metric]);
    // A missing metric value (null/NaN) is a gap, not a zero: leave it out of the statistics.
    if (value === undefined) continue;
    const key = JSON.stringify([sampler, mode, labelled]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { sampler, mode, labelled, values: [] }));
    group.values.push(value);
  }
  if (groups.size === 0) throw new Error(`seedSummary: column "${metric}" has no numeric values`);

  const out: SeedSummaryRow[] = [];
  for (const { sampler, mode, labelled, values } of groups.values()) {
    const n = values.length;
    const mean = values.reduce((a, b) => a + b, 0) / n;
    const sd = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
    out.push({ sampler, mode, labelled, mean, sd, min: Math.min(...values), max: Math.max(...values), n });
  }
  return out.sort(
    (a, b) => cmp(a.sampler, b.sampler) || cmp(a.mode, b.mode) || a.labelled - b.labelled,
  );
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "bigint") return Number(value);
  return undefined;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The last point of each (sampler, mode) curve: the final-round score a table reports. */
export function finalRounds(summary: readonly SeedSummaryRow[]): SeedSummaryRow[] {
  const last = new Map<string, SeedSummaryRow>();
  for (const row of summary) {
    const key = JSON.stringify([row.sampler, row.mode]);
    const seen = last.get(key);
    if (!seen || row.labelled > seen.labelled) last.set(key, row);
  }
  return [...last.values()];
}
