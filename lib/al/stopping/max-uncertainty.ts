/**
 * Max-uncertainty stop (after Zhu, Wang & Hovy 2008): stop when even the most uncertain point
 * the sampler selects is no longer very uncertain.
 */
import type { Series, StopResult, WindowOptions } from "./stop-result.ts";
import { thresholdStop } from "./threshold-rule.ts";

export interface UncertaintyThresholdOptions extends WindowOptions {
  /** Required: the score's scale depends on the sampler (margin, entropy in nats, …). */
  threshold: number;
}

/**
 * Stops at the first round where the selected batch's largest uncertainty score is ≤ threshold
 * for `window` consecutive rounds (default 1).
 *
 * @param maxUncertainty per round, the batch's largest score (uncertaintySummary(...).max)
 */
export function maxUncertaintyStop(
  maxUncertainty: Series,
  quality: ArrayLike<number>,
  options: UncertaintyThresholdOptions,
): StopResult {
  return thresholdStop("maxUncertaintyStop", "maxUncertainty", maxUncertainty, quality, options.threshold, options.window ?? 1, "below");
}
