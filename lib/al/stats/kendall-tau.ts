/** Kendall's τ-b: how similarly two rankings (e.g. of samplers on two data sets) order the same items. */
import { checkPaired, finiteValues } from "./check.ts";

/**
 * τ-b = (C − D) / √((n₀ − n₁)(n₀ − n₂)) over all n₀ = n(n − 1)/2 pairs, where C and D count
 * concordant and discordant pairs and n₁, n₂ the pairs tied in a or in b. Ties in either ranking
 * shrink the denominator, so two identical rankings with ties still score 1. Null when one
 * ranking is constant (every pair tied): agreement is undefined, not 0.
 */
export function kendallTau(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  checkPaired("kendallTau", a, b);
  const xs = finiteValues("kendallTau", "a", a);
  const ys = finiteValues("kendallTau", "b", b);
  const n = xs.length;
  if (n < 2) throw new RangeError(`kendallTau: ${n} item(s); a ranking needs at least 2 items`);
  let concordant = 0;
  let discordant = 0;
  let tiedA = 0;
  let tiedB = 0;
  // O(n²): rankings here have a handful of samplers or data sets.
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign(xs[i]! - xs[j]!);
      const dy = Math.sign(ys[i]! - ys[j]!);
      if (dx === 0) tiedA++;
      if (dy === 0) tiedB++;
      if (dx !== 0 && dy !== 0) {
        if (dx === dy) concordant++;
        else discordant++;
      }
    }
  }
  const pairs = (n * (n - 1)) / 2;
  const denominator = Math.sqrt((pairs - tiedA) * (pairs - tiedB));
  return denominator === 0 ? null : (concordant - discordant) / denominator;
}
