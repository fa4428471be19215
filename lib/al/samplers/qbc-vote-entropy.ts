/**
 * Query by committee, vote entropy (Dagan & Engelson 1995): the committee is the T samples
 * (ensemble members or MC-dropout passes); each votes for its argmax, and points whose votes
 * are most evenly split win: −Σ_c (V_c/T) ln(V_c/T), V_c the votes for class c.
 */
import { scoreSampler } from "./score-sampler.ts";
import { requireSamples } from "./mc-samples.ts";
import type { Sampler, Samples } from "./sampler.ts";
import { voteCounts } from "./votes.ts";

/** Entropy (nats) of each point's committee vote distribution; argmax ties go to the lowest class. */
export function voteEntropyScores(samples: Samples): Float64Array {
  const { n, t, c } = samples;
  const out = new Float64Array(n);
  const counts = new Int32Array(c);
  // ln(V/T) for every possible count V, so a point costs no logs.
  const lnShare = new Float64Array(t + 1);
  for (let v = 1; v <= t; v++) lnShare[v] = Math.log(v / t);
  for (let i = 0; i < n; i++) {
    voteCounts(samples, i, counts);
    let h = 0;
    for (let l = 0; l < c; l++) {
      const v = counts[l]!;
      if (v > 0) h -= (v / t) * lnShare[v]!;
    }
    out[i] = h;
  }
  return out;
}

export const qbcVoteEntropy: Sampler = scoreSampler({
  name: "qbc-vote-entropy",
  description: "Points on which the committee's votes (the samples' argmaxes) are most evenly split (vote entropy).",
  needs: ["mcSamples"],
  scores: (inputs) => voteEntropyScores(requireSamples("qbc-vote-entropy", inputs)),
});
