/**
 * Overall-uncertainty stop (after Zhu, Wang & Hovy 2008): stop when the unlabelled pool as a
 * whole holds little uncertainty.
 */
import type { UncertaintyThresholdOptions } from "./max-uncertainty.ts";
import type { Series, StopResult } from "./stop-result.ts";
import { thresholdStop } from "./threshold-rule.ts";

/**
 * Stops at the first round where the mean uncertainty over the unlabelled pool is ≤ threshold for
 * `window` consecutive rounds (default 1).
 *
 * @param poolUncertainty per round, the pool's mean score (uncertaintySummary(..., { skip: labelled }).mean)
 */
export function overallUncertaintyStop(
  poolUncertainty: Series,
  quality: ArrayLike<number>,
  options: UncertaintyThresholdOptions,
): StopResult {
  return thresholdStop("overallUncertaintyStop", "poolUncertainty", poolUncertainty, quality, options.threshold, options.window ?? 1, "below");
}
