/**
 * Variance-of-uncertainty stop (after Ghayoomi 2010's variance model): once the uncertainty of
 * the selected batches keeps getting less spread out, the uncertain region is being used up.
 */
import {
  checkQuality,
  checkSeries,
  checkWindow,
  firstSustained,
  type Series,
  type StopResult,
  stopResult,
  type WindowOptions,
} from "./stop-result.ts";

/**
 * Stops at the first round r where the selected batch's score variance has decreased
 * round-on-round for `window` consecutive rounds (default 3): v[r−w+1] < v[r−w] … v[r] < v[r−1].
 *
 * @param batchVariance per round, the variance of the selected batch's scores (uncertaintySummary(...).variance)
 */
export function uncertaintyVarianceStop(batchVariance: Series, quality: ArrayLike<number>, options: WindowOptions = {}): StopResult {
  const fn = "uncertaintyVarianceStop";
  checkQuality(fn, quality);
  checkSeries(fn, "batchVariance", batchVariance, quality.length);
  const window = options.window ?? 3;
  checkWindow(fn, window);
  const stop = firstSustained(batchVariance.length, window, (r) => {
    if (r === 0) return false;
    const now = batchVariance[r];
    const before = batchVariance[r - 1];
    return now !== null && now !== undefined && before !== null && before !== undefined && now < before;
  });
  return stopResult(stop, quality);
}
