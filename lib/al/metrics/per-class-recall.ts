/** Per-class recall: the fraction of each class's test points the model gets right. */
import { checkLabelPair } from "./accuracy.ts";
import { checkClassRange } from "./check.ts";

/**
 * recall[c] = TP_c / (number of test points of class c), or null for a class absent from the
 * test truth (no defined recall). Shows which classes a sampler neglects — uncertainty samplers
 * can starve an easy class of labels while the mean accuracy hides it.
 */
export function perClassRecall(predicted: Int32Array, truth: Int32Array, classes: number): Array<number | null> {
  checkLabelPair("perClassRecall", predicted, truth);
  if (!Number.isInteger(classes) || classes < 1) {
    throw new RangeError(`perClassRecall: classes = ${classes} must be a whole number ≥ 1; pass the class count`);
  }
  checkClassRange("perClassRecall", "truth", truth, classes);
  checkClassRange("perClassRecall", "predicted", predicted, classes);
  const total = new Float64Array(classes);
  const hit = new Float64Array(classes);
  for (let i = 0; i < truth.length; i++) {
    total[truth[i]!]!++;
    if (predicted[i] === truth[i]) hit[truth[i]!]!++;
  }
  return Array.from(total, (t, c) => (t === 0 ? null : hit[c]! / t));
}
