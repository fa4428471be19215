/**
 * The annotator a run asks for labels: perfect (no oracle), uniform label flips (`noise`),
 * class-dependent flips (`confusion`, row = true class, column = given class), or a real
 * annotator's answers in a column of the user's table (`column`). The label given for a pool
 * point is a pure function of (run seed, point index, true label) — or the point's own cell — so
 * a resumed run, a run split over workers, and two samplers of one seed all see the same answers.
 */
import { createRandom } from "./random.ts";

/** `noise`: the share of labels replaced by a uniformly drawn *other* class. */
export interface NoiseOracle {
  noise: number;
}

/** `confusion[t][g]`: the chance that a point of true class t is labelled g (rows sum to 1). */
export interface ConfusionOracle {
  confusion: number[][];
}

/** `column`: the labels an annotator gave, read from that column of the data file. */
export interface ColumnOracle {
  column: string;
}

/** The simulated annotators: answers drawn from the seed. */
export type SimulatedOracle = NoiseOracle | ConfusionOracle;

export type OracleConfig = SimulatedOracle | ColumnOracle;

/** How far a confusion row's sum may stray from 1 (hand-typed decimals like 0.33 + 0.67). */
export const ROW_SUM_TOLERANCE = 1e-6;

/**
 * Problems of an oracle against a data set with `classes` classes, as `field: what` lines
 * (the caller prefixes the experiment file). Empty when it can be used.
 */
export function oracleProblem(oracle: OracleConfig, classes: number): string | undefined {
  // A column's values were mapped to the classes (or refused) when the file was read.
  if ("column" in oracle) return undefined;
  if ("noise" in oracle) {
    if (!(oracle.noise >= 0 && oracle.noise < 1)) return `oracle.noise: expected a share in [0, 1), got ${oracle.noise}`;
    if (oracle.noise > 0 && classes < 2) return `oracle.noise: flipping a label needs at least 2 classes, the data set has ${classes}`;
    return undefined;
  }
  const m = oracle.confusion;
  if (m.length !== classes) return `oracle.confusion: expected ${classes} rows (one per class of the data set), got ${m.length}`;
  for (let t = 0; t < m.length; t++) {
    const row = m[t]!;
    if (row.length !== classes) return `oracle.confusion[${t}]: expected ${classes} entries (a square matrix), got ${row.length}`;
    const bad = row.findIndex((p) => !(p >= 0 && p <= 1));
    if (bad >= 0) return `oracle.confusion[${t}][${bad}]: expected a probability in [0, 1], got ${row[bad]}`;
    const sum = row.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) return `oracle.confusion[${t}]: the row sums to ${+sum.toFixed(9)}, expected 1 (each row is a distribution over given labels)`;
  }
  return undefined;
}

/**
 * The label the oracle gives pool point `index` whose true label is `label`. One draw from the
 * stream (seed, "oracle", index): independent of the round, the sampler and every other point.
 */
export function givenLabel(oracle: SimulatedOracle, seed: number, index: number, label: number, classes: number): number {
  const u = createRandom(seed, "oracle", index).next();
  if ("noise" in oracle) {
    if (u >= oracle.noise) return label;
    // u / noise is again uniform in [0, 1): it picks one of the other classes.
    const other = Math.min(classes - 2, Math.floor((u / oracle.noise) * (classes - 1)));
    return other >= label ? other + 1 : other;
  }
  const row = oracle.confusion[label]!;
  let cumulative = 0;
  for (let g = 0; g < row.length; g++) {
    cumulative += row[g]!;
    if (u < cumulative) return g;
  }
  // Rounding left the row's sum a hair below 1 and u above it: the last class with mass.
  for (let g = row.length - 1; g >= 0; g--) if (row[g]! > 0) return g;
  return label;
}

/** The given labels of `indices` (pool points), each from its true label in `y`. */
export function givenLabels(oracle: SimulatedOracle, seed: number, indices: ArrayLike<number>, y: Int32Array, classes: number): Int32Array {
  const out = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = givenLabel(oracle, seed, indices[i]!, y[indices[i]!]!, classes);
  return out;
}

/**
 * The oracle's answer for every pool point. `pool.annotators` holds the columns the data set was
 * read with (lib/data/table.ts); a column oracle on a set without that column is a bug upstream
 * (the grid names the columns to read), so it throws rather than fall back to the true labels.
 */
export function poolAnswers(oracle: OracleConfig, seed: number, pool: { y: Int32Array; annotators?: Record<string, Int32Array> }, classes: number, dataset: string): Int32Array {
  if ("column" in oracle) {
    const answers = pool.annotators?.[oracle.column];
    if (!answers) throw new Error(`oracle.column: data set "${dataset}" was read without column "${oracle.column}"; name a column of a user's table file (dataset: { file, … })`);
    return answers;
  }
  return givenLabels(oracle, seed, Int32Array.from({ length: pool.y.length }, (_, i) => i), pool.y, classes);
}
