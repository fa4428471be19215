/**
 * The area under the ROC curve of one binary problem, shared by the AUROC metrics: the
 * probability that a random positive scores above a random negative, ties counting ½ — the
 * Mann–Whitney U statistic divided by P·N, which is what average ranks give.
 */

type Scores = Float32Array | Float64Array;

/**
 * AUROC from positive and negative scores (both arrays are sorted in place). Sorting both sides
 * natively and walking them together is O((P + N) log(P + N)) with no index arrays, which
 * matters for micro-averaging over N×C scores. Null when either side is empty (the ROC curve is
 * undefined).
 */
export function aurocFromScores(positives: Scores, negatives: Scores): number | null {
  if (positives.length === 0 || negatives.length === 0) return null;
  positives.sort();
  negatives.sort();
  // Typed-array sort puts NaN last, so one look per side finds any NaN.
  if (Number.isNaN(positives[positives.length - 1]!)) throw new RangeError("auroc: a positive score is NaN; check the model's outputs");
  if (Number.isNaN(negatives[negatives.length - 1]!)) throw new RangeError("auroc: a negative score is NaN; check the model's outputs");
  let below = 0; // negatives < current positive
  let notAbove = 0; // negatives ≤ current positive
  let wins = 0;
  for (let i = 0; i < positives.length; i++) {
    const s = positives[i]!;
    while (below < negatives.length && negatives[below]! < s) below++;
    if (notAbove < below) notAbove = below;
    while (notAbove < negatives.length && negatives[notAbove]! <= s) notAbove++;
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
