/** Labels needed to reach a target value: "how many labels does this sampler save?" */
import { checkCurve } from "./check.ts";

/**
 * The labelled count at which the curve first reaches `target`, interpolated linearly between
 * the last round below it and the first round at or above it; null when no round reaches it
 * (explicitly "not reached", never the budget). A curve that starts at or above the target
 * returns the first labelled count.
 */
export function labelsToReach(labelled: ArrayLike<number>, values: ArrayLike<number>, target: number): number | null {
  checkCurve("labelsToReach", labelled, values);
  if (!Number.isFinite(target)) throw new RangeError(`labelsToReach: target = ${target} must be a finite number`);
  if (values[0]! >= target) return labelled[0]!;
  for (let i = 1; i < values.length; i++) {
    if (values[i]! >= target) {
      const x0 = labelled[i - 1]!;
      const y0 = values[i - 1]!;
      // y0 < target ≤ y1, so the denominator is positive.
      return x0 + ((target - y0) / (values[i]! - y0)) * (labelled[i]! - x0);
    }
  }
  return null;
}
