/** Micro-averaged F1: pool TP, FP and FN over all classes (or labels), then one F1. */
import type { Matrix } from "../matrix.ts";
import { checkLabelPair } from "./accuracy.ts";
import { checkMatrix } from "./check.ts";

/**
 * Single-label micro-F1 = 2·ΣTP / (2·ΣTP + ΣFP + ΣFN). Every wrong prediction is one FP (for the
 * predicted class) and one FN (for the true class), so it equals accuracy; it is stored anyway
 * so multi-class and multi-label runs share one column.
 */
export function microF1(predicted: Int32Array, truth: Int32Array): number {
  checkLabelPair("microF1", predicted, truth);
  let tp = 0;
  for (let i = 0; i < truth.length; i++) if (predicted[i] === truth[i]) tp++;
  const errors = truth.length - tp;
  return (2 * tp) / (2 * tp + 2 * errors);
}

/**
 * Multi-label micro-F1 over N×L 0/1 matrices (a value > 0.5 counts as 1, so thresholded sigmoid
 * outputs can be passed as they are). Returns 1 when neither matrix holds a single positive:
 * nothing to find and nothing wrongly found.
 */
export function multilabelMicroF1(predicted: Matrix, truth: Matrix): number {
  checkMatrix("multilabelMicroF1", "truth", truth);
  checkMatrix("multilabelMicroF1", "predicted", predicted, truth.n, truth.c);
  if (truth.n === 0) throw new RangeError("multilabelMicroF1: no test points; evaluate on a non-empty test set");
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < truth.data.length; i++) {
    const p = predicted.data[i]! > 0.5;
    const t = truth.data[i]! > 0.5;
    if (p && t) tp++;
    else if (p) fp++;
    else if (t) fn++;
  }
  const denominator = 2 * tp + fp + fn;
  return denominator === 0 ? 1 : (2 * tp) / denominator;
}
