/** Contradiction stop: stop when few test predictions still change from round to round. */
import type { Series, StopResult, WindowOptions } from "./stop-result.ts";
import { thresholdStop } from "./threshold-rule.ts";

export interface ContradictionStopOptions extends WindowOptions {
  /** C(t) at or below which the model counts as settled (default 0.02 = 2 % of the test set). */
  threshold?: number;
}

/**
 * Stops at the first round ending `window` (default 2) consecutive rounds with contradiction
 * ratio C(t) ≤ threshold.
 *
 * @param contradiction per round, C(t) (null at round 0)
 */
export function contradictionStop(contradiction: Series, quality: ArrayLike<number>, options: ContradictionStopOptions = {}): StopResult {
  return thresholdStop("contradictionStop", "contradiction", contradiction, quality, options.threshold ?? 0.02, options.window ?? 2, "below");
}
