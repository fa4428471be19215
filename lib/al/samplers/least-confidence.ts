/** Least-confidence sampling: prefer points whose top class is least probable. */
import { scoreSampler } from "./score-sampler.ts";
import type { Matrix } from "../matrix.ts";
import type { Sampler } from "./sampler.ts";
import { requireProbsWithMaxima } from "./validate.ts";

/** 1 − max_c p(c) per row: 0 for a certain prediction, up to 1 − 1/C for a uniform one. */
export function leastConfidenceScores(probs: Matrix): Float64Array {
  const { data, n, c } = probs;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let p1 = -Infinity;
    for (let j = i * c, end = j + c; j < end; j++) if (data[j]! > p1) p1 = data[j]!;
    out[i] = 1 - p1;
  }
  return out;
}

/** The same scores from row maxima the validation already found (requireProbsWithMaxima): one pass over the pool, not two. */
function scoresFromMaxima(maxima: Float32Array): Float64Array {
  const out = new Float64Array(maxima.length);
  for (let i = 0; i < maxima.length; i++) out[i] = 1 - maxima[i]!;
  return out;
}

export const leastConfidence: Sampler = scoreSampler({
  name: "least-confidence",
  description: "Points whose most likely class has the lowest probability (1 − max p).",
  needs: ["probs"],
  scores: (inputs) => scoresFromMaxima(requireProbsWithMaxima("least-confidence", inputs).maxima),
});
