/**
 * Selected-accuracy stop: when the model already labels correctly the points it picked as most
 * informative, the sampler has run out of points that teach it something.
 */
import type { Series, StopResult, WindowOptions } from "./stop-result.ts";
import { thresholdStop } from "./threshold-rule.ts";

export interface SelectedAccuracyOptions extends WindowOptions {
  /** Accuracy on the selected batch at or above which to stop (default 0.9). */
  threshold?: number;
}

/**
 * Stops at the first round ending `window` (default 1) consecutive rounds whose selected-batch
 * accuracy (batchAccuracy once the labels arrive) is ≥ threshold.
 */
export function selectedAccuracyStop(batchAccuracy: Series, quality: ArrayLike<number>, options: SelectedAccuracyOptions = {}): StopResult {
  return thresholdStop("selectedAccuracyStop", "batchAccuracy", batchAccuracy, quality, options.threshold ?? 0.9, options.window ?? 1, "above");
}
