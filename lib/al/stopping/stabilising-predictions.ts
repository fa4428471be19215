/**
 * Stabilising predictions (Bloodgood & Vijay-Shanker, CoNLL 2009): stop once the model's labels
 * on a fixed, unlabelled stop set barely change between rounds, measured by Cohen's κ.
 */
import { cohenKappa } from "../stats/cohen-kappa.ts";
import {
  checkQuality,
  checkWindow,
  firstSustained,
  type StopResult,
  stopResult,
  type WindowOptions,
} from "./stop-result.ts";

export interface StabilisingOptions extends WindowOptions {
  /** κ at or above which two consecutive rounds count as agreeing (default 0.99). */
  threshold?: number;
}

/** κ between round r − 1's and round r's predictions on the stop set; null at round 0. */
export function kappaSeries(predictions: readonly Int32Array[]): Array<number | null> {
  return predictions.map((p, r) => (r === 0 ? null : cohenKappa(predictions[r - 1]!, p)));
}

/**
 * Stops at the first round r whose κ with the previous round, and the κ of the window − 1
 * rounds before it, are all ≥ threshold (defaults 0.99 and 3). The paper averages the last
 * three κ instead of requiring each; requiring each is slightly stricter.
 *
 * @param predictions per round, the predicted labels on the stop set (same points every round)
 * @param quality per round, the metric to report the loss in (e.g. test accuracy)
 */
export function stabilisingPredictionsStop(
  predictions: readonly Int32Array[],
  quality: ArrayLike<number>,
  options: StabilisingOptions = {},
): StopResult {
  const fn = "stabilisingPredictionsStop";
  checkQuality(fn, quality);
  if (predictions.length !== quality.length) {
    throw new RangeError(`${fn}: predictions has ${predictions.length} rounds but quality has ${quality.length}; pass one entry per round`);
  }
  const threshold = options.threshold ?? 0.99;
  const window = options.window ?? 3;
  checkWindow(fn, window);
  const kappas = kappaSeries(predictions);
  const stop = firstSustained(kappas.length, window, (r) => kappas[r] !== null && kappas[r]! >= threshold);
  return stopResult(stop, quality);
}
