/** Expected calibration error: does a model that says "80 % sure" get 80 % of those right? */
import type { Matrix } from "../matrix.ts";
import { checkProbsTruth } from "./check.ts";

export interface CalibrationOptions {
  /** Number of equal-width confidence bins over [0, 1] (default 15). */
  bins?: number;
}

/**
 * ECE = Σ_b (|b| / N)·|accuracy(b) − mean confidence(b)| over equal-width bins of the top-class
 * confidence max_c p(c). Bins are right-closed, (k/B, (k+1)/B], with confidence 0 in the first.
 * The prediction is the most probable class, lowest index on ties (as argmaxRows).
 */
export function expectedCalibrationError(probs: Matrix, truth: Int32Array, options: CalibrationOptions = {}): number {
  checkProbsTruth("expectedCalibrationError", probs, truth);
  const bins = options.bins ?? 15;
  if (!Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`expectedCalibrationError: bins = ${bins} must be a whole number ≥ 1`);
  }
  const count = new Float64Array(bins);
  const correct = new Float64Array(bins);
  const confidence = new Float64Array(bins);
  const { data, c } = probs;
  for (let i = 0; i < truth.length; i++) {
    let best = 0;
    let top = -Infinity;
    for (let j = 0; j < c; j++) {
      const v = data[i * c + j]!;
      if (v > top) {
        top = v;
        best = j;
      }
    }
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(top * bins) - 1));
    count[b]!++;
    confidence[b]! += top;
    if (best === truth[i]) correct[b]!++;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    if (count[b] === 0) continue;
    ece += Math.abs(correct[b]! - confidence[b]!) / truth.length; // (|b|/N)·|acc − conf| = |Σcorrect − Σconf| / N
  }
  return ece;
}
