/**
 * BALD (Bayesian active learning by disagreement, Houlsby et al. 2011; Gal et al. 2017): prefer
 * points where the model's stochastic predictions disagree, i.e. the mutual information between
 * the label and the weights is highest:
 *   I(y; w | x) = H[(1/T) Σ_t p_t] − (1/T) Σ_t H[p_t]
 * — the entropy of the mean prediction minus the mean entropy of each pass. Pure noise (every
 * pass equally unsure) scores 0; confident passes that contradict each other score highest.
 */
import { scoreSampler } from "./score-sampler.ts";
import { float32Bits, lnFloat32, xlnx } from "./fast-log.ts";
import { requireSamples } from "./mc-samples.ts";
import type { Sampler, Samples } from "./sampler.ts";

export interface BaldTerms {
  /** I(y; w | x) per point, nats, clamped at 0 (rounding can push it a hair below). */
  scores: Float64Array;
  /** (1/T) Σ_t H[p_t] per point: the expected entropy given the weights (aleatoric part). */
  expectedEntropy: Float64Array;
}

/** BALD scores and their expected-entropy term in one pass over N×T×C, no per-point allocation. */
export function baldTerms(samples: Samples): BaldTerms {
  const { data, n, t, c } = samples;
  const bits = float32Bits(data);
  const scores = new Float64Array(n);
  const expectedEntropy = new Float64Array(n);
  const mean = new Float64Array(c);
  const block = t * c;
  for (let i = 0; i < n; i++) {
    mean.fill(0);
    let sumXlnx = 0; // Σ_t Σ_c p ln p
    for (let j = i * block, end = j + block; j < end; j += c) {
      for (let l = 0; l < c; l++) {
        const p = data[j + l]!;
        mean[l] += p;
        if (p > 0) sumXlnx += p * lnFloat32(p, bits[j + l]!);
      }
    }
    let h = 0;
    for (let l = 0; l < c; l++) h -= xlnx(mean[l]! / t);
    const e = -sumXlnx / t;
    expectedEntropy[i] = e;
    scores[i] = h > e ? h - e : 0;
  }
  return { scores, expectedEntropy };
}

/** I(y; w | x) per point (see baldTerms). */
export function baldScores(samples: Samples): Float64Array {
  return baldTerms(samples).scores;
}

export const bald: Sampler = scoreSampler({
  name: "bald",
  description: "Points with the highest mutual information between label and weights (H[mean p] − mean H[p]).",
  needs: ["mcSamples"],
  scores: (inputs) => baldScores(requireSamples("bald", inputs)),
});
