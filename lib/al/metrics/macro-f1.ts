/** Macro-averaged F1: every class counts equally, so rare classes are not drowned out. */
import { checkLabelPair } from "./accuracy.ts";

/**
 * Mean over classes of F1 = 2·TP / (2·TP + FP + FN) (the same as 2PR / (P + R)).
 *
 * Averaged over the classes that occur in truth OR predictions: a class absent from both has
 * no defined F1 and is skipped rather than counted as 0 or 1, so a small test set missing a
 * class is not penalised or rewarded for it. A class that occurs but is never predicted
 * correctly (precision + recall = 0) scores 0.
 *
 * @param classes number of classes; every label must lie in 0..classes-1.
 */
export function macroF1(predicted: Int32Array, truth: Int32Array, classes: number): number {
  checkLabelPair("macroF1", predicted, truth);
  if (!Number.isInteger(classes) || classes < 1) {
    throw new RangeError(`macroF1: classes = ${classes} must be a whole number ≥ 1; pass the class count`);
  }
  const tp = new Float64Array(classes);
  const fp = new Float64Array(classes);
  const fn = new Float64Array(classes);
  for (let i = 0; i < truth.length; i++) {
    const p = predicted[i]!;
    const t = truth[i]!;
    if (p < 0 || p >= classes) {
      throw new RangeError(`macroF1: predicted[${i}] = ${p} is outside 0..${classes - 1}; check the class count`);
    }
    if (t < 0 || t >= classes) {
      throw new RangeError(`macroF1: truth[${i}] = ${t} is outside 0..${classes - 1}; check the class count`);
    }
    if (p === t) {
      tp[t]!++;
    } else {
      fp[p]!++;
      fn[t]!++;
    }
  }
  let sum = 0;
  let present = 0;
  for (let c = 0; c < classes; c++) {
    const denominator = 2 * tp[c]! + fp[c]! + fn[c]!;
    if (denominator === 0) continue; // class in neither truth nor predictions
    sum += (2 * tp[c]!) / denominator;
    present++;
  }
  // present ≥ 1: the test set is non-empty, so some class occurs in truth.
  return sum / present;
}
