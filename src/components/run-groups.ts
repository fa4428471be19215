/**
 * Rounds → runs: one entry per run (every curve key — grid axes, sampler, mode, kind, baseline —
 * plus the seed), its rounds in order with the metric and the round's compute seconds. The mode
 * and seed pages build on it, so "a run" means the same everywhere and two rows of one run at one
 * round (an axis left unpicked) are refused instead of silently averaged. Pure.
 */
import { curveKeys, toKey, toNumber, type KeyValue, type RoundRow } from "./seed-summary.js";

export interface RunPoint {
  round: number;
  labelled: number;
  /** The metric; undefined where the round has none (a gap, not a zero). */
  value: number | undefined;
  /** train + score + select + evaluate seconds of this round (a missing phase counts 0). */
  seconds: number;
}

export interface Run {
  /** The curve key columns (dataset, learner, …, sampler, mode) of this run. */
  key: Record<string, KeyValue>;
  seed: KeyValue;
  sampler: string;
  mode: string;
  /** Sorted by round. */
  points: RunPoint[];
}

export interface RunOptions {
  metric?: string;
  /** Columns that identify a curve; default curveKeys of the first row (seed-summary.ts). */
  keys?: readonly string[];
}

const PHASES = ["train_seconds", "score_seconds", "select_seconds", "evaluate_seconds"] as const;

export function groupRuns(rows: readonly RoundRow[], options: RunOptions = {}): Run[] {
  const metric = options.metric ?? "accuracy";
  if (rows.length === 0) return [];
  const first = rows[0] as Readonly<Record<string, unknown>>;
  const keys = [...new Set([...(options.keys ?? curveKeys(first)), "sampler", "mode"])];
  for (const column of [...keys, "labelled"]) {
    if (!(column in first)) throw new Error(`groupRuns: column "${column}" not found; available columns: ${Object.keys(first).join(", ")}`);
  }
  const runs = new Map<string, Run>();
  const seen = new Set<string>();
  for (const row of rows as readonly Readonly<Record<string, unknown>>[]) {
    const key: Record<string, KeyValue> = {};
    for (const k of keys) key[k] = toKey(row[k]);
    const seed = toKey(row.seed);
    const id = JSON.stringify([key, seed]);
    let run = runs.get(id);
    if (!run) runs.set(id, (run = { key, seed, sampler: String(row.sampler), mode: String(row.mode), points: [] }));
    const labelled = Number(row.labelled);
    const round = row.round === undefined || row.round === null ? run.points.length : Number(row.round);
    const at = JSON.stringify([id, round]);
    if (seen.has(at)) {
      throw new Error(`groupRuns: run ${describe(key, seed)} has two rows at round ${round}; the rows differ in a column not among the keys (${keys.join(", ")}): pick one value of it`);
    }
    seen.add(at);
    const seconds = PHASES.reduce((s, p) => s + (toNumber(row[p]) ?? 0), 0);
    run.points.push({ round, labelled, value: toNumber(row[metric]), seconds });
  }
  for (const run of runs.values()) run.points.sort((a, b) => a.round - b.round || a.labelled - b.labelled);
  return [...runs.values()];
}

/** The key without some columns (e.g. mode, to pair a run with its other-mode twin), as a string id. */
export function keyId(key: Record<string, KeyValue>, without: readonly string[] = []): string {
  return JSON.stringify(Object.entries(key).filter(([k]) => !without.includes(k)));
}

/** The last round that has a metric value; undefined when none has. */
export function lastPoint(run: Run): (RunPoint & { value: number }) | undefined {
  for (let i = run.points.length - 1; i >= 0; i--) {
    const p = run.points[i]!;
    if (p.value !== undefined) return p as RunPoint & { value: number };
  }
  return undefined;
}

/** Random is the baseline others are judged against: first; the rest alphabetical. */
export function orderSamplers(samplers: Iterable<string>): string[] {
  const all = [...new Set(samplers)];
  const rest = all.filter((s) => s !== "random").sort();
  return all.includes("random") ? ["random", ...rest] : rest;
}

/** retrain, keep-train, then any other mode alphabetically. */
export function orderModes(modes: Iterable<string>): string[] {
  const all = [...new Set(modes)];
  const known = ["retrain", "keep-train"].filter((m) => all.includes(m));
  return [...known, ...all.filter((m) => !known.includes(m)).sort()];
}

function describe(key: Record<string, KeyValue>, seed: KeyValue): string {
  return [...Object.entries(key).map(([k, v]) => `${k}=${v}`), `seed=${seed}`].join(", ");
}
