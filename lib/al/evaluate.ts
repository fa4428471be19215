/**
 * Per-round test-set metrics by their stored names. Experiments may list a subset in `metrics`;
 * by default every metric here is computed.
 */
import { argmaxRows, type Matrix } from "./matrix.ts";
import { accuracy } from "./metrics/accuracy.ts";
import { macroF1 } from "./metrics/macro-f1.ts";

interface TestMetric {
  description: string;
  compute(probs: Matrix, truth: Int32Array, predicted: Int32Array): number;
}

export const testMetrics: Record<string, TestMetric> = {
  accuracy: {
    description: "fraction of test points predicted correctly",
    compute: (_probs, truth, predicted) => accuracy(predicted, truth),
  },
  macro_f1: {
    description: "F1 averaged over classes, so rare classes count as much as common ones",
    compute: (probs, truth, predicted) => macroF1(predicted, truth, probs.c),
  },
};

export function checkMetricName(name: string, path: string): void {
  if (!Object.hasOwn(testMetrics, name)) {
    throw new Error(`${path}: unknown metric "${name}"; expected one of ${Object.keys(testMetrics).join(", ")}`);
  }
}

export function evaluate(probs: Matrix, truth: Int32Array, names: readonly string[] = Object.keys(testMetrics)): Record<string, number> {
  const predicted = argmaxRows(probs);
  const out: Record<string, number> = {};
  for (const name of names) out[name] = testMetrics[name]!.compute(probs, truth, predicted);
  return out;
}
