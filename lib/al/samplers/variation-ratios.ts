/**
 * Variation ratios (Freeman 1965; Gal et al. 2017): prefer points whose T stochastic predictions
 * disagree on the label: 1 − (votes for the modal class) / T. 0 when every pass agrees, at most
 * 1 − ⌈T/C⌉/T when the votes spread evenly. Coarse (at most T distinct values), so ties are
 * common and go to the lowest index.
 */
import { scoreSampler } from "./score-sampler.ts";
import { requireSamples } from "./mc-samples.ts";
import type { Sampler, Samples } from "./sampler.ts";
import { voteCounts } from "./votes.ts";

/** 1 − mode count / T per point, the mode taken over the samples' argmaxes (lowest class on ties). */
export function variationRatioScores(samples: Samples): Float64Array {
  const out = new Float64Array(samples.n);
  const counts = new Int32Array(samples.c);
  for (let i = 0; i < samples.n; i++) out[i] = 1 - voteCounts(samples, i, counts) / samples.t;
  return out;
}

export const variationRatios: Sampler = scoreSampler({
  name: "variation-ratios",
  description: "Points whose stochastic predictions most often disagree with their modal label (1 − mode/T).",
  needs: ["mcSamples"],
  scores: (inputs) => variationRatioScores(requireSamples("variation-ratios", inputs)),
});
