/**
 * Label dispersion (Bengar et al. 2021, "When deep learners change their mind"; after Toneva
 * et al. 2019's forgetting events): how often a point's predicted class changed while the model
 * trained this round. With the E predictions of one fit (one per epoch), dispersion =
 * 1 − (count of the most frequent class) / E: 0 when every epoch agrees, at most 1 − ⌈E/C⌉/E
 * (1 − 1/E when there are at least E classes). It is variation ratios over the epochs instead
 * of over MC passes, so it costs no extra model at selection time. Coarse (at most E values),
 * so ties are common and go to the lowest index.
 */
import { requireEpochPredictions } from "./require-inputs.ts";
import type { EpochPredictions, Sampler } from "./sampler.ts";
import { scoreSampler } from "./score-sampler.ts";

/** 1 − (count of the modal class) / E per point. */
export function labelDispersionScores(record: EpochPredictions): Float64Array {
  const { data, n, e } = record;
  const out = new Float64Array(n);
  // Sorting a row's E labels groups equal ones; the longest run is the mode's count. No table
  // sized by the largest class index, so any index is safe.
  const row = new Int32Array(e);
  for (let i = 0; i < n; i++) {
    row.set(data.subarray(i * e, (i + 1) * e));
    row.sort();
    let best = 1;
    let run = 1;
    for (let j = 1; j < e; j++) {
      run = row[j] === row[j - 1] ? run + 1 : 1;
      if (run > best) best = run;
    }
    out[i] = 1 - best / e;
  }
  return out;
}

export const labelDispersion: Sampler = scoreSampler({
  name: "label-dispersion",
  description: "Points whose predicted class changed most across this round's training epochs (1 − mode/E).",
  needs: ["epochPredictions"],
  scores: (inputs) => labelDispersionScores(requireEpochPredictions("label-dispersion", inputs)),
});
