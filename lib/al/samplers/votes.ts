/** Committee votes: each MC sample (or ensemble member) votes for its most probable class. */
import type { Samples } from "./sampler.ts";

/**
 * Fills `counts` (length C) with how many of point i's T samples have each class as their argmax
 * (lowest class on ties, so a sample of exact zeros votes for class 0), and returns the largest
 * count. Reuses the caller's buffer: no allocation per point.
 */
export function voteCounts(samples: Samples, i: number, counts: Int32Array): number {
  const { data, t, c } = samples;
  counts.fill(0);
  let top = 0;
  for (let j = i * t * c, end = j + t * c; j < end; j += c) {
    let best = 0;
    let bestValue = data[j]!;
    for (let l = 1; l < c; l++) {
      const v = data[j + l]!;
      if (v > bestValue) {
        bestValue = v;
        best = l;
      }
    }
    const count = ++counts[best]!;
    if (count > top) top = count;
  }
  return top;
}
