/** Support-weighted F1: per-class F1 averaged with each class's share of the test set as its weight. */
import { checkLabelPair } from "./accuracy.ts";

/**
 * Σ_c (n_c / N) · F1_c with F1_c = 2·TP / (2·TP + FP + FN) and n_c the number of test points whose
 * true class is c — scikit-learn's `f1_score(average="weighted")`. A class absent from the truth
 * has weight 0 (predicting it only costs the other classes precision), so unlike macro-F1 the
 * score follows the test set's class balance; on a balanced set the two agree.
 *
 * @param classes number of classes; every label must lie in 0..classes-1.
 */
export function weightedF1(predicted: Int32Array, truth: Int32Array, classes: number): number {
  checkLabelPair("weightedF1", predicted, truth);
  if (!Number.isInteger(classes) || classes < 1) {
    throw new RangeError(`weightedF1: classes = ${classes} must be a whole number ≥ 1; pass the class count`);
  }
  const tp = new Float64Array(classes);
  const fp = new Float64Array(classes);
  const support = new Float64Array(classes);
  for (let i = 0; i < truth.length; i++) {
    const p = predicted[i]!;
    const t = truth[i]!;
    if (p < 0 || p >= classes) throw new RangeError(`weightedF1: predicted[${i}] = ${p} is outside 0..${classes - 1}; check the class count`);
    if (t < 0 || t >= classes) throw new RangeError(`weightedF1: truth[${i}] = ${t} is outside 0..${classes - 1}; check the class count`);
    support[t]!++;
    if (p === t) tp[t]!++;
    else fp[p]!++;
  }
  let sum = 0;
  for (let c = 0; c < classes; c++) {
    if (support[c] === 0) continue;
    // FN_c = support_c − TP_c; the denominator is ≥ support_c > 0.
    const fn = support[c]! - tp[c]!;
    sum += support[c]! * ((2 * tp[c]!) / (2 * tp[c]! + fp[c]! + fn));
  }
  return sum / truth.length;
}
