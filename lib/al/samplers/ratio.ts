/** Ratio-of-confidence sampling: prefer points whose runner-up class nearly matches the top one. */
import { scoreSampler } from "./score-sampler.ts";
import type { Matrix } from "../matrix.ts";
import type { Sampler } from "./sampler.ts";
import { requireProbs } from "./validate.ts";

/**
 * p2 / p1 per row, with p1 ≥ p2 the two largest probabilities: 0 when certain, 1 on a tie.
 * With one class p2 = 0. A row with p1 ≤ 0 (all zeros — not a distribution, which the sampler
 * refuses, but called directly this must not give NaN) counts as a full tie: 1.
 */
export function ratioScores(probs: Matrix): Float64Array {
  const { data, n, c } = probs;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let p1 = -Infinity;
    let p2 = -Infinity;
    for (let j = i * c, end = j + c; j < end; j++) {
      const v = data[j]!;
      if (v > p1) {
        p2 = p1;
        p1 = v;
      } else if (v > p2) {
        p2 = v;
      }
    }
    if (c === 1) p2 = 0;
    out[i] = p1 > 0 ? p2 / p1 : 1;
  }
  return out;
}

export const ratio: Sampler = scoreSampler({
  name: "ratio",
  description: "Points whose second most likely class is closest to the first (p2 / p1).",
  needs: ["probs"],
  scores: (inputs) => ratioScores(requireProbs("ratio", inputs, "distribution")),
});
