/**
 * Sampling k items without replacement with probabilities proportional to weights, by the
 * Gumbel-top-k trick: perturb each log-weight with independent Gumbel noise and keep the k
 * largest. The result is distributed as k successive weighted draws without replacement
 * (Plackett–Luce), in one O(N log k) pass instead of k renormalisations.
 */
import type { Random } from "../random.ts";
import { topK } from "./top-k.ts";

/** A standard Gumbel variate −ln(−ln u) with u strictly inside (0, 1). */
export function gumbel(random: Random): number {
  const u = (random.uint32() + 0.5) / 4294967296;
  return -Math.log(-Math.log(u));
}

/**
 * k distinct eligible indices drawn without replacement with P ∝ exp(logWeights[i]), in draw
 * order. Exactly one uniform is read per eligible index, in index order, so the picks are a
 * function of the stream's seed. Zero weights (log-weight −∞ or NaN) are drawn only once every
 * positive weight is taken, then uniformly at random, so k can always be filled.
 */
export function gumbelTopK(logWeights: ArrayLike<number>, k: number, eligible: Uint8Array, random: Random): Int32Array {
  const n = logWeights.length;
  if (eligible.length !== n) {
    throw new RangeError(`gumbelTopK: eligible mask has ${eligible.length} entries but there are ${n} weights; pass one flag per weight`);
  }
  const keys = new Float64Array(n);
  const positive = new Uint8Array(n);
  const zero = new Uint8Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    if (eligible[i] === 0) continue;
    const g = gumbel(random);
    const w = logWeights[i]!;
    if (w > -Infinity) {
      // +∞ (a weight that overflowed) stays +∞ and is taken first, lowest index on ties.
      keys[i] = w + g;
      positive[i] = 1;
      positives++;
    } else {
      keys[i] = g;
      zero[i] = 1;
    }
  }
  const zeros = countOnes(zero);
  if (!Number.isInteger(k) || k < 0 || k > positives + zeros) {
    throw new RangeError(`gumbelTopK: k = ${k} must be a whole number between 0 and the ${positives + zeros} eligible indices`);
  }
  if (positives >= k) return topK(keys, k, positive);
  const out = new Int32Array(k);
  out.set(topK(keys, positives, positive));
  out.set(topK(keys, k - positives, zero), positives);
  return out;
}

function countOnes(mask: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < mask.length; i++) count += mask[i]!;
  return count;
}
