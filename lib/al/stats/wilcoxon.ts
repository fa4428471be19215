/**
 * Wilcoxon signed-rank test for paired scores (two samplers on the same data sets or seeds):
 * does one tend to score higher than the other, without assuming normal differences?
 */
import { checkPaired, finiteValues } from "./check.ts";
import { normalCdf } from "./distributions.ts";
import { rankWithTies } from "./ranks.ts";

/**
 * What to do with pairs whose difference is exactly 0:
 * - `"wilcox"` (default): drop them, then rank the rest (Wilcoxon 1945; scipy's default).
 * - `"pratt"`: rank them with the others, then drop their ranks (Pratt 1959).
 * - `"zsplit"`: rank them with the others and give half of their rank sum to each side, as in
 *   Demšar (2006); their ranks count in the null distribution as if signed at random.
 */
export type ZeroMethod = "wilcox" | "pratt" | "zsplit";

export interface WilcoxonOptions {
  zeroMethod?: ZeroMethod;
  /** "two-sided" (default), "greater" (a tends to exceed b) or "less". */
  alternative?: "two-sided" | "greater" | "less";
  /**
   * "auto" (default): the exact null distribution when at most `exactUpTo` ranks take part,
   * else the normal approximation; or force one.
   */
  method?: "auto" | "exact" | "normal";
  /** Largest number of ranks for which "auto" is exact (default 50; counts stay below 2⁵³). */
  exactUpTo?: number;
  /** Continuity correction of ½ in the normal approximation (default true). */
  continuity?: boolean;
}

export interface WilcoxonResult {
  /** pairs given */
  n: number;
  /** pairs with a zero difference */
  zeros: number;
  /** ranks that take part in the null distribution */
  ranked: number;
  zeroMethod: ZeroMethod;
  /** rank sum of positive differences (a > b), with half the zero ranks under "zsplit" */
  wPlus: number;
  /** rank sum of negative differences (a < b), with half the zero ranks under "zsplit" */
  wMinus: number;
  /** min(W+, W−), the statistic tables are indexed by */
  statistic: number;
  pValue: number;
  method: "exact" | "normal";
  /** the standardised W+ under the normal approximation; null when exact */
  z: number | null;
  /** One sentence stating how zeros and ties were handled. */
  note: string;
}

/**
 * Null distribution of T = Σ sᵢ·rᵢ (sᵢ ∈ {0, 1} with probability ½ each) for the given ranks,
 * by dynamic programming over doubled ranks (average ranks are multiples of ½, so doubled ranks
 * are integers and ties are handled exactly). Returns counts per doubled sum and the total.
 */
function exactCounts(doubled: number[]): Float64Array {
  let total = 0;
  for (const r of doubled) total += r;
  const counts = new Float64Array(total + 1);
  counts[0] = 1;
  let reach = 0;
  for (const r of doubled) {
    for (let s = reach; s >= 0; s--) if (counts[s]! > 0) counts[s + r]! += counts[s]!;
    reach += r;
  }
  return counts;
}

export function wilcoxonSignedRank(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: WilcoxonOptions = {},
): WilcoxonResult {
  checkPaired("wilcoxonSignedRank", a, b);
  const xs = finiteValues("wilcoxonSignedRank", "a", a);
  const ys = finiteValues("wilcoxonSignedRank", "b", b);
  const zeroMethod = options.zeroMethod ?? "wilcox";
  const alternative = options.alternative ?? "two-sided";
  const method = options.method ?? "auto";
  const exactUpTo = options.exactUpTo ?? 50;
  const continuity = options.continuity ?? true;
  const n = xs.length;
  if (n === 0) throw new RangeError("wilcoxonSignedRank: no pairs; pass at least one pair");

  const diffs = xs.map((x, i) => x - ys[i]!);
  const zeros = diffs.filter((d) => d === 0).length;
  const kept = zeroMethod === "wilcox" ? diffs.filter((d) => d !== 0) : diffs;
  const ranks = rankWithTies(kept.map(Math.abs));

  let wPlus = 0;
  let wMinus = 0;
  let zeroRanks = 0;
  // Ranks that are signed at random under H0: nonzero ones, plus zero ones under "zsplit".
  const participating: number[] = [];
  kept.forEach((d, i) => {
    const r = ranks[i]!;
    if (d > 0) wPlus += r;
    else if (d < 0) wMinus += r;
    else zeroRanks += r;
    if (d !== 0 || zeroMethod === "zsplit") participating.push(r);
  });
  if (zeroMethod === "zsplit") {
    wPlus += zeroRanks / 2;
    wMinus += zeroRanks / 2;
  }
  const ranked = participating.length;
  const tied = new Set(participating).size < ranked;
  const zeroNote =
    zeros === 0
      ? "no zero differences"
      : zeroMethod === "wilcox"
        ? `${zeros} zero difference(s) dropped before ranking (Wilcoxon)`
        : zeroMethod === "pratt"
          ? `${zeros} zero difference(s) ranked, then dropped (Pratt)`
          : `${zeros} zero difference(s) ranked and split evenly between W+ and W− (Demšar)`;
  const statistic = Math.min(wPlus, wMinus);

  if (ranked === 0) {
    return {
      n, zeros, ranked, zeroMethod, wPlus, wMinus, statistic, pValue: 1, method: "exact", z: null,
      note: `${zeroNote}; every difference is zero, so there is no evidence either way (p = 1)`,
    };
  }

  const useExact = method === "exact" || (method === "auto" && ranked <= exactUpTo);
  let total = 0;
  let squares = 0;
  for (const r of participating) {
    total += r;
    squares += r * r;
  }
  const mean = total / 2;

  if (useExact && ranked > 1000) {
    // 2^ranked sign patterns overflow a double beyond ~1023; the normal approximation is exact enough long before.
    throw new RangeError(`wilcoxonSignedRank: method "exact" with ${ranked} ranks is too large; use method "normal" or "auto"`);
  }
  if (useExact) {
    const doubled = participating.map((r) => Math.round(2 * r));
    const counts = exactCounts(doubled);
    const all = 2 ** ranked;
    // Observed W+ on the doubled scale: an integer, also under "zsplit" (the zeros hold ranks
    // 1..z averaged, whose sum z(z + 1)/2 is whole); the slack only absorbs rounding.
    const observed = 2 * wPlus;
    let lower = 0; // P(T ≤ observed)
    let upper = 0; // P(T ≥ observed)
    for (let s = 0; s < counts.length; s++) {
      if (counts[s] === 0) continue;
      if (s <= observed + 1e-9) lower += counts[s]!;
      if (s >= observed - 1e-9) upper += counts[s]!;
    }
    lower /= all;
    upper /= all;
    const pValue =
      alternative === "greater" ? upper : alternative === "less" ? lower : Math.min(1, 2 * Math.min(lower, upper));
    return {
      n, zeros, ranked, zeroMethod, wPlus, wMinus, statistic, pValue, method: "exact", z: null,
      note: `${zeroNote}; exact null distribution over ${ranked} rank(s)${tied ? ", conditional on the tied ranks" : ""}`,
    };
  }

  // Normal approximation. Var = Σ r²/4 equals n(n+1)(2n+1)/24 minus the usual tie correction
  // Σ(t³ − t)/48 when the ranks are 1..n with ties averaged; computing it from the ranks themselves
  // also covers Pratt's ranks, which do not start at 1.
  const sd = Math.sqrt(squares / 4);
  // Under "zsplit" both W+ and the mean include half the zero ranks, which cancel.
  const deviation = wPlus - mean;
  const shift = continuity ? 0.5 : 0;
  const zFor = (dev: number): number => (sd === 0 ? 0 : dev / sd);
  let pValue: number;
  let z: number;
  if (alternative === "greater") {
    z = zFor(deviation - shift);
    pValue = normalCdf(-z);
  } else if (alternative === "less") {
    z = zFor(deviation + shift);
    pValue = normalCdf(z);
  } else {
    const magnitude = Math.max(Math.abs(deviation) - shift, 0);
    z = Math.sign(deviation) * zFor(magnitude);
    pValue = Math.min(1, 2 * normalCdf(-Math.abs(z)));
  }
  return {
    n, zeros, ranked, zeroMethod, wPlus, wMinus, statistic, pValue, method: "normal", z,
    note: `${zeroNote}; normal approximation${tied ? " with tie correction" : ""}${continuity ? " and continuity correction" : ""}`,
  };
}
