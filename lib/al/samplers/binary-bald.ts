/**
 * BALD for multi-label tasks (one sigmoid per label): each label is a Bernoulli prediction, and
 * given the weights the labels are independent, so the mutual information of the label vector
 * with the weights is bounded by — and here taken as — the sum of the per-label terms
 *   Σ_l H_b[(1/T) Σ_t p_tl] − (1/T) Σ_t H_b[p_tl],   H_b(p) = −p ln p − (1 − p) ln(1 − p).
 * (The exact joint term would also count what the labels share through the weights, which needs
 * the joint over all 2^L label vectors.) Like BALD, labels every pass is equally unsure about
 * add nothing; labels the passes disagree on add most.
 */
import { scoreSampler } from "./score-sampler.ts";
import { xlnx } from "./fast-log.ts";
import { requireSamples } from "./mc-samples.ts";
import type { Sampler, Samples } from "./sampler.ts";

const binaryEntropy = (p: number): number => -(xlnx(p) + xlnx(1 - p));

/** Summed per-label mutual information per point over N×T×L sigmoid samples, nats, clamped at 0. */
export function binaryBaldScores(samples: Samples): Float64Array {
  const { data, n, t, c } = samples;
  const scores = new Float64Array(n);
  const mean = new Float64Array(c);
  const block = t * c;
  for (let i = 0; i < n; i++) {
    mean.fill(0);
    let expected = 0; // Σ_t Σ_l H_b(p_tl)
    for (let j = i * block, end = j + block; j < end; j += c) {
      for (let l = 0; l < c; l++) {
        const p = data[j + l]!;
        mean[l] += p;
        expected += binaryEntropy(p);
      }
    }
    let h = 0;
    for (let l = 0; l < c; l++) h += binaryEntropy(mean[l]! / t);
    const mi = h - expected / t;
    scores[i] = mi > 0 ? mi : 0;
  }
  return scores;
}

export const binaryBald: Sampler = scoreSampler({
  name: "binary-bald",
  description: "Multi-label BALD: points with the highest summed per-label mutual information between label and weights.",
  needs: ["mcSamples"],
  tasks: ["multilabel"],
  scores: (inputs) => binaryBaldScores(requireSamples("binary-bald", inputs, "per-label")),
});
