/**
 * Binary minimum (Brinker 2006, "On Active Learning in Multi-label Classification"), for
 * multi-label tasks: one independent binary classifier per label, and a point is as uncertain as
 * its *most* uncertain label. Prefers the smallest min_l |p_l − 0.5|; as a score (higher = more
 * informative) that is 0.5 − min_l |p_l − 0.5|. Helps when one unsure label is worth a query even
 * if the others are settled.
 */
import { scoreSampler } from "./score-sampler.ts";
import type { Matrix } from "../matrix.ts";
import type { Sampler } from "./sampler.ts";
import { requireProbs } from "./validate.ts";

/** 0.5 − min over labels of |p − 0.5| per row of N×L sigmoid probabilities. */
export function binaryMinimumScores(probs: Matrix): Float64Array {
  const { data, n, c } = probs;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let closest = Infinity;
    for (let j = i * c, end = j + c; j < end; j++) {
      const d = Math.abs(data[j]! - 0.5);
      if (d < closest) closest = d;
    }
    out[i] = 0.5 - closest;
  }
  return out;
}

export const binaryMinimum: Sampler = scoreSampler({
  name: "binary-minimum",
  description: "Multi-label: points whose most uncertain label is closest to p = 0.5 (min over labels of |p − 0.5|).",
  needs: ["probs"],
  tasks: ["multilabel"],
  scores: (inputs) => binaryMinimumScores(requireProbs("binary-minimum", inputs, "per-label")),
});
