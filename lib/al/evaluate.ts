import { argmaxRows, type Matrix } from "./matrix.ts";
import { accuracy } from "./metrics/accuracy.ts";
import { macroF1 } from "./metrics/macro-f1.ts";

/** The per-round test metrics, keyed by their stored names. */
export function evaluate(probs: Matrix, truth: Int32Array): Record<string, number> {
  const predicted = argmaxRows(probs);
  return {
    accuracy: accuracy(predicted, truth),
    macro_f1: macroF1(predicted, truth, probs.c),
  };
}
