/** Log loss (cross-entropy): how much probability the model puts on the true class, on average. */
import type { Matrix } from "../matrix.ts";
import { checkProbsTruth } from "./check.ts";

export interface LogLossOptions {
  /**
   * Probabilities below this are raised to it (default 1e-7, about float32's resolution near 1),
   * so one confidently wrong point costs at most −ln(1e-7) ≈ 16.1 instead of infinity.
   */
  epsilon?: number;
}

/** Mean over test points of −ln p(true class). Lower is better; 0 = certain and right. */
export function logLoss(probs: Matrix, truth: Int32Array, options: LogLossOptions = {}): number {
  checkProbsTruth("logLoss", probs, truth);
  const epsilon = options.epsilon ?? 1e-7;
  if (!(epsilon > 0 && epsilon < 1)) {
    throw new RangeError(`logLoss: epsilon = ${epsilon} must lie strictly between 0 and 1`);
  }
  let sum = 0;
  for (let i = 0; i < truth.length; i++) {
    const p = probs.data[i * probs.c + truth[i]!]!;
    sum -= Math.log(Math.max(p, epsilon));
  }
  return sum / truth.length;
}
