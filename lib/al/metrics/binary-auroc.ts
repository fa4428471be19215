/**
 * The area under the ROC curve of one binary problem, shared by the AUROC metrics: the
 * probability that a random positive scores above a random negative, ties counting ½ — the
 * Mann–Whitney U statistic divided by P·N, which is what average ranks give.
 */

/** First index in sorted `xs` with xs[i] ≥ v (lower = true) or xs[i] > v (lower = false). */
function bound(xs: Float64Array, v: number, lower: boolean): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lower ? xs[mid]! < v : xs[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * AUROC from positive and negative scores. Sorts the negatives once and locates each positive by
 * binary search: O((P + N) log N) with no index arrays, which matters for micro-averaging over
 * N×C scores. Null when either side is empty (the ROC curve is undefined).
 */
export function aurocFromScores(positives: Float64Array, negatives: Float64Array): number | null {
  if (positives.length === 0 || negatives.length === 0) return null;
  const sorted = Float64Array.from(negatives).sort();
  // Typed-array sort puts NaN last, so one look finds any NaN among the negatives.
  if (Number.isNaN(sorted[sorted.length - 1]!)) throw new RangeError("auroc: a negative score is NaN; check the model's outputs");
  let wins = 0;
  for (let i = 0; i < positives.length; i++) {
    const s = positives[i]!;
    if (Number.isNaN(s)) throw new RangeError(`auroc: positive score ${i} is NaN; check the model's outputs`);
    const below = bound(sorted, s, true);
    const notAbove = bound(sorted, s, false);
    wins += below + 0.5 * (notAbove - below);
  }
  return wins / (positives.length * negatives.length);
}

/** AUROC of `scores` against 0/1 flags (`positive[i]` ≠ 0 marks a positive). */
export function binaryAuroc(scores: ArrayLike<number>, positive: ArrayLike<number>): number | null {
  if (scores.length !== positive.length) {
    throw new RangeError(`binaryAuroc: ${scores.length} scores but ${positive.length} flags; pass one flag per score`);
  }
  let p = 0;
  for (let i = 0; i < positive.length; i++) if (positive[i] !== 0) p++;
  const pos = new Float64Array(p);
  const neg = new Float64Array(scores.length - p);
  let a = 0;
  let b = 0;
  for (let i = 0; i < scores.length; i++) {
    if (positive[i] !== 0) pos[a++] = scores[i]!;
    else neg[b++] = scores[i]!;
  }
  return aurocFromScores(pos, neg);
}
