/**
 * Each sampler's learning curve minus random's, paired by seed: for every round of a non-random
 * run, its metric minus that of the random run with the same seed, the same grid cell (every key
 * column but sampler: data set, learner, sizes, mode, …) and the same labelled count. Paired
 * differences remove what a seed shares between samplers (initial set, weights), so the band
 * over seeds is the spread of the gain itself. Pure; learningCurve draws the result (metric
 * "difference").
 */
import { curveKeys, toKey, toNumber, type KeyValue, type RoundRow } from "./seed-summary.js";

export interface RandomDifferenceOptions {
  /** Metric column; default "accuracy". */
  metric?: string;
  /** The sampler subtracted; default "random". */
  reference?: string;
  /** Columns that identify a curve besides labelled (sampler and mode among them); default every key column present. */
  keys?: readonly string[];
}

export interface DifferenceRow {
  sampler: string;
  mode: string;
  seed: number | string;
  labelled: number;
  /** value − reference */
  difference: number;
  /** The sampler's metric value. */
  value: number;
  /** The reference sampler's value at the same seed, cell and labelled count. */
  reference: number;
  /** The curve's other key columns, as in the rows. */
  [key: string]: KeyValue;
}

export function randomDifference(rows: readonly RoundRow[], options: RandomDifferenceOptions = {}): DifferenceRow[] {
  const { metric = "accuracy", reference = "random" } = options;
  if (rows.length === 0) return [];
  const keys = (options.keys ?? curveKeys(rows[0]!)).filter((k) => k !== "sampler" && k !== "labelled" && k !== "seed");
  const pointId = (row: Readonly<Record<string, unknown>>): string =>
    JSON.stringify([...keys.map((k) => toKey(row[k])), String(row.mode), String(row.seed), Number(row.labelled)]);
  const referenceAt = new Map<string, number>();
  for (const row of rows as readonly Readonly<Record<string, unknown>>[]) {
    const y = toNumber(row[metric]);
    if (String(row.sampler) !== reference || y === undefined) continue;
    const id = pointId(row);
    // Two reference values for one point: an axis outside the keys varies, and pairing would be arbitrary.
    if (referenceAt.has(id)) throw new Error(`randomDifference: ${reference} has two "${metric}" values at seed ${String(row.seed)}, ${Number(row.labelled)} labelled; pass options.keys with the column that tells them apart`);
    referenceAt.set(id, y);
  }
  const out: DifferenceRow[] = [];
  for (const row of rows as readonly Readonly<Record<string, unknown>>[]) {
    const y = toNumber(row[metric]);
    if (String(row.sampler) === reference || y === undefined) continue;
    const base = referenceAt.get(pointId(row));
    if (base === undefined) continue;
    const key: Record<string, KeyValue> = {};
    for (const k of keys) key[k] = toKey(row[k]);
    out.push({
      ...key,
      sampler: String(row.sampler),
      mode: String(row.mode),
      seed: typeof row.seed === "number" || typeof row.seed === "string" ? row.seed : String(row.seed),
      labelled: Number(row.labelled),
      difference: y - base,
      value: y,
      reference: base,
    });
  }
  return out;
}

/**
 * Plain sentences on what the difference view cannot show for these rows: no reference sampler
 * at all, a mode the reference lacks, or a sampler × mode with no point paired with it. Empty
 * when everything pairs.
 */
export function randomDifferenceGaps(rows: readonly RoundRow[], options: RandomDifferenceOptions = {}): string[] {
  const { metric = "accuracy", reference = "random" } = options;
  const valued = (rows as readonly Readonly<Record<string, unknown>>[]).filter((r) => toNumber(r[metric]) !== undefined);
  const referenceModes = new Set(valued.filter((r) => String(r.sampler) === reference).map((r) => String(r.mode)));
  if (referenceModes.size === 0) return [`This experiment has no ${reference} sampler with ${metric} values here, so there is no difference to ${reference} to show.`];
  const gaps: string[] = [];
  const others = [...new Set(valued.filter((r) => String(r.sampler) !== reference).map((r) => String(r.mode)))];
  for (const mode of others.filter((m) => !referenceModes.has(m)).sort()) {
    gaps.push(`${reference} has no ${mode} runs, so the ${mode} curves have no difference to ${reference}.`);
  }
  const paired = new Set(randomDifference(rows, options).map((d) => JSON.stringify([d.sampler, d.mode])));
  const curves = [...new Set(valued.filter((r) => String(r.sampler) !== reference && referenceModes.has(String(r.mode))).map((r) => JSON.stringify([String(r.sampler), String(r.mode)])))].sort();
  for (const id of curves.filter((c) => !paired.has(c))) {
    const [sampler, mode] = JSON.parse(id) as [string, string];
    gaps.push(`${sampler} (${mode}) shares no seed and labelled count with ${reference}, so it has no paired difference.`);
  }
  return gaps;
}
