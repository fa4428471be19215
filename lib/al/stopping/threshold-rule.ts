/** The "value crosses a threshold for w rounds" rule that several stopping criteria share. */
import {
  checkQuality,
  checkSeries,
  checkThreshold,
  checkWindow,
  firstSustained,
  type Series,
  type StopResult,
  stopResult,
} from "./stop-result.ts";

/** Stops at the first round ending `window` consecutive rounds with series[r] at or `side` the threshold. */
export function thresholdStop(
  fn: string,
  name: string,
  series: Series,
  quality: ArrayLike<number>,
  threshold: number | undefined,
  window: number,
  side: "below" | "above",
): StopResult {
  checkQuality(fn, quality);
  checkSeries(fn, name, series, quality.length);
  const t = checkThreshold(fn, threshold);
  checkWindow(fn, window);
  const stop = firstSustained(series.length, window, (r) => {
    const v = series[r];
    if (v === null || v === undefined) return false;
    return side === "below" ? v <= t : v >= t;
  });
  return stopResult(stop, quality);
}
