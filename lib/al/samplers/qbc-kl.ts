/**
 * Query by committee, KL to the consensus (McCallum & Nigam 1998): the committee is the T samples;
 * a point scores the members' mean divergence from the consensus (their mean prediction p̄):
 *   (1/T) Σ_t KL(p_t ‖ p̄) = (1/T) Σ_t Σ_c p_tc ln(p_tc / p̄_c).
 * Algebraically this equals BALD (H[p̄] − mean H[p_t]); it is computed here from its own
 * definition, which also makes it an independent check of BALD in the tests.
 */
import { scoreSampler } from "./score-sampler.ts";
import { float32Bits, lnFloat32 } from "./fast-log.ts";
import { requireSamples } from "./mc-samples.ts";
import type { Sampler, Samples } from "./sampler.ts";

/**
 * Mean KL(member ‖ consensus) per point, nats, clamped at 0. Terms with p_tc = 0 are 0; p̄_c = 0
 * forces every p_tc = 0, so no division by zero arises.
 */
export function klToConsensusScores(samples: Samples): Float64Array {
  const { data, n, t, c } = samples;
  const bits = float32Bits(data);
  const out = new Float64Array(n);
  const lnMean = new Float64Array(c);
  const block = t * c;
  for (let i = 0; i < n; i++) {
    const start = i * block;
    const end = start + block;
    lnMean.fill(0);
    for (let j = start; j < end; j += c) for (let l = 0; l < c; l++) lnMean[l] += data[j + l]!;
    for (let l = 0; l < c; l++) lnMean[l] = Math.log(lnMean[l]! / t);
    let kl = 0;
    for (let j = start; j < end; j += c) {
      for (let l = 0; l < c; l++) {
        const p = data[j + l]!;
        if (p > 0) kl += p * (lnFloat32(p, bits[j + l]!) - lnMean[l]!);
      }
    }
    out[i] = kl > 0 ? kl / t : 0;
  }
  return out;
}

export const qbcKl: Sampler = scoreSampler({
  name: "qbc-kl",
  description: "Points where committee members diverge most from their consensus (mean KL(member ‖ mean)).",
  needs: ["mcSamples"],
  scores: (inputs) => klToConsensusScores(requireSamples("qbc-kl", inputs)),
});
