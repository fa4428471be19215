/**
 * The annotator a run asks for labels: perfect (no oracle), uniform label flips (`noise`),
 * class-dependent flips (`confusion`, row = true class, column = given class), or a real
 * annotator's answers in a column of the user's table (`column`). The label given for a pool
 * point is a pure function of (run seed, point index, true label) — or the point's own cell — so
 * a resumed run, a run split over workers, and two samplers of one seed all see the same answers.
 * On multi-label data the oracle answers every label of a point yes or no (`givenLabelSet`).
 */
import type { Matrix } from "./matrix.ts";
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
 * Problems of an oracle against a data set with `classes` classes (multi-label: labels), as
 * `field: what` lines (the caller prefixes the experiment file). Empty when it can be used.
 * On multi-label data the oracle answers each label yes/no: `noise` flips each answer with that
 * chance, and `confusion` is one 2×2 matrix for every label (row = truly absent / present,
 * column = answered absent / present), so missed and extra labels can differ.
 */
export function oracleProblem(oracle: OracleConfig, classes: number, task: "multiclass" | "multilabel" = "multiclass"): string | undefined {
  // A column's values were mapped to the classes (or refused) when the file was read.
  if ("column" in oracle) return undefined;
  if ("noise" in oracle) {
    if (!(oracle.noise >= 0 && oracle.noise < 1)) return `oracle.noise: expected a share in [0, 1), got ${oracle.noise}`;
    if (oracle.noise > 0 && classes < 2 && task === "multiclass") return `oracle.noise: flipping a label needs at least 2 classes, the data set has ${classes}`;
    return undefined;
  }
  const m = oracle.confusion;
  const rows = task === "multilabel" ? 2 : classes;
  if (m.length !== rows) {
    return task === "multilabel"
      ? `oracle.confusion: on multi-label data expected one 2×2 matrix for every label ([[absent→absent, absent→present], [present→absent, present→present]]), got ${m.length} rows`
      : `oracle.confusion: expected ${classes} rows (one per class of the data set), got ${m.length}`;
  }
  for (let t = 0; t < m.length; t++) {
    const row = m[t]!;
    if (row.length !== rows) return `oracle.confusion[${t}]: expected ${rows} entries (a square matrix), got ${row.length}`;
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

/**
 * Multi-label: the label set the oracle gives pool point `index` whose true 0/1 set is
 * `truth` (one entry per label), written into `out`. Label l's answer is draw l of the stream
 * (seed, "oracle", index), so it is independent of every other point and of the round.
 */
export function givenLabelSet(oracle: SimulatedOracle, seed: number, index: number, truth: ArrayLike<number>, out: Float32Array | number[]): void {
  const random = createRandom(seed, "oracle", index);
  for (let l = 0; l < truth.length; l++) {
    const present = truth[l] === 1 ? 1 : 0;
    const u = random.next();
    // The chance this answer comes out present: flips for noise, the matrix row's second entry.
    const yes = "noise" in oracle ? (present ? 1 - oracle.noise : oracle.noise) : oracle.confusion[present]![1]!;
    out[l] = u < yes ? 1 : 0;
  }
}

/** Multi-label answers for every pool point: the given 0/1 sets and each set's first label (-1 for an empty set). */
export interface LabelSetAnswers {
  sets: Matrix;
  primary: Int32Array;
}

/**
 * The oracle's label set for every pool point of a multi-label set. A column oracle reads the
 * annotator's sets (`pool.annotatorSets`, with the first label the annotator listed as the
 * primary); a simulated one keeps the true primary label when it survives, else takes the
 * lowest given label, so stratified initial sets are drawn by what the annotator said.
 */
export function poolAnswerSets(
  oracle: OracleConfig,
  seed: number,
  pool: { y: Int32Array; labelSets?: Matrix; annotatorSets?: Record<string, Matrix>; annotators?: Record<string, Int32Array> },
  dataset: string,
): LabelSetAnswers {
  const truth = pool.labelSets;
  if (!truth) throw new Error(`oracle: data set "${dataset}" is multi-label but has no label sets`);
  if ("column" in oracle) {
    const sets = pool.annotatorSets?.[oracle.column];
    const primary = pool.annotators?.[oracle.column];
    if (!sets || !primary) throw new Error(`oracle.column: data set "${dataset}" was read without column "${oracle.column}"; name a column of a user's table file (dataset: { file, … })`);
    return { sets, primary };
  }
  const { n, c } = truth;
  const data = new Float32Array(n * c);
  const primary = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = data.subarray(i * c, (i + 1) * c);
    givenLabelSet(oracle, seed, i, truth.data.subarray(i * c, (i + 1) * c), row);
    const keep = pool.y[i]!;
    primary[i] = row[keep] === 1 ? keep : row.indexOf(1);
  }
  return { sets: { data, n, c }, primary };
}
