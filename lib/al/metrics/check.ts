/**
 * Input checks shared by the metrics beyond `checkLabelPair`: a mismatch here means arrays
 * from different rounds or sets were paired, so the message names the metric and the fix.
 */
import type { Matrix } from "../matrix.ts";
import { checkProbabilityRows } from "../samplers/validate.ts";

/** Throws unless `m` is a well-formed matrix with `rows` rows (and `columns` columns if given). */
export function checkMatrix(metric: string, name: string, m: Matrix, rows?: number, columns?: number): void {
  if (m.data.length !== m.n * m.c) {
    throw new RangeError(`${metric}: ${name} data has ${m.data.length} values, expected ${m.n}×${m.c}; build it with matrix()`);
  }
  if (rows !== undefined && m.n !== rows) {
    throw new RangeError(`${metric}: ${name} has ${m.n} rows but ${rows} were expected; pass one row per point`);
  }
  if (columns !== undefined && m.c !== columns) {
    throw new RangeError(`${metric}: ${name} has ${m.c} columns but ${columns} were expected; use the same feature space`);
  }
}

/** Throws unless every label lies in 0..classes−1. */
export function checkClassRange(metric: string, name: string, labels: Int32Array, classes: number): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (v < 0 || v >= classes) {
      throw new RangeError(`${metric}: ${name}[${i}] = ${v} is outside 0..${classes - 1}; check the class count`);
    }
  }
}

/**
 * Probabilities N×C with one true class per row: the shape of every probabilistic metric. Each
 * row must be a softmax distribution (the samplers' check, validate.ts): a NaN that is not the
 * top probability, or an all-zero row, would otherwise bias the score without a trace.
 */
export function checkProbsTruth(metric: string, probs: Matrix, truth: Int32Array): void {
  if (truth.length === 0) throw new RangeError(`${metric}: no test points; evaluate on a non-empty test set`);
  checkMatrix(metric, "probs", probs, truth.length);
  checkClassRange(metric, "truth", truth, probs.c);
  checkProbabilityRows(metric, "probs", probs.data, probs.n, probs.c, "distribution");
}

/** Throws unless every index lies in 0..size−1; returns nothing. */
export function checkIndices(metric: string, name: string, indices: ArrayLike<number>, size: number): void {
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= size) {
      throw new RangeError(`${metric}: ${name}[${i}] = ${v} is not an index into the ${size} points; pass pool indices`);
    }
  }
}
