/**
 * Mean standard deviation (Kampffmeyer et al. 2016; Gal et al. 2017): prefer points whose class
 * probabilities move most across the T stochastic passes: (1/C) Σ_c σ_c with
 * σ_c = sqrt((1/T) Σ_t (p_tc − p̄_c)²), the population standard deviation over the samples.
 */
import { scoreSampler } from "./score-sampler.ts";
import { requireSamples } from "./mc-samples.ts";
import type { Sampler, Samples } from "./sampler.ts";

/** Mean over classes of the standard deviation over samples, per point (two passes: no cancellation). */
export function meanStdScores(samples: Samples): Float64Array {
  const { data, n, t, c } = samples;
  const out = new Float64Array(n);
  const mean = new Float64Array(c);
  const squares = new Float64Array(c);
  const block = t * c;
  for (let i = 0; i < n; i++) {
    const start = i * block;
    const end = start + block;
    mean.fill(0);
    squares.fill(0);
    for (let j = start; j < end; j += c) for (let l = 0; l < c; l++) mean[l] += data[j + l]!;
    for (let l = 0; l < c; l++) mean[l] = mean[l]! / t;
    for (let j = start; j < end; j += c) {
      for (let l = 0; l < c; l++) {
        const d = data[j + l]! - mean[l]!;
        squares[l] += d * d;
      }
    }
    let sum = 0;
    for (let l = 0; l < c; l++) sum += Math.sqrt(squares[l]! / t);
    out[i] = sum / c;
  }
  return out;
}

export const meanStd: Sampler = scoreSampler({
  name: "mean-std",
  description: "Points whose class probabilities vary most across stochastic passes (mean over classes of the std).",
  needs: ["mcSamples"],
  scores: (inputs) => meanStdScores(requireSamples("mean-std", inputs)),
});
