/** Ranks with ties averaged (the "fractional" or "mid" ranks every rank test here uses). */
import { finiteValues } from "./check.ts";

export interface RankOptions {
  /** Rank 1 = the largest value instead of the smallest (default false). */
  descending?: boolean;
}

/**
 * 1-based ranks of the values; tied values share the mean of the ranks they span (two values
 * tied for 2nd and 3rd both get 2.5), so the ranks always sum to n(n + 1)/2.
 */
export function rankWithTies(values: ArrayLike<number>, options: RankOptions = {}): Float64Array {
  const xs = finiteValues("rankWithTies", "values", values);
  const n = xs.length;
  const order = Array.from({ length: n }, (_, i) => i);
  const sign = options.descending ? -1 : 1;
  order.sort((i, j) => sign * (xs[i]! - xs[j]!) || i - j);
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && xs[order[end]!] === xs[order[start]!]) end++;
    // positions start..end−1 (0-based) hold ranks start+1..end: their mean is (start + 1 + end) / 2
    const rank = (start + 1 + end) / 2;
    for (let p = start; p < end; p++) ranks[order[p]!] = rank;
    start = end;
  }
  return ranks;
}

/** Sizes of the groups of tied values (groups of one included), for tie corrections. */
export function tieGroupSizes(values: ArrayLike<number>): number[] {
  const sorted = Float64Array.from(finiteValues("tieGroupSizes", "values", values)).sort();
  const sizes: number[] = [];
  let start = 0;
  for (let i = 1; i <= sorted.length; i++) {
    if (i === sorted.length || sorted[i] !== sorted[start]) {
      sizes.push(i - start);
      start = i;
    }
  }
  return sizes;
}
