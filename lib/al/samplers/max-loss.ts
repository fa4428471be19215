/**
 * Maximum loss reduction with maximal confidence (MMC; Yang et al. 2009, KDD, building on the max
 * loss / mean max loss of Li, Wang & Sung 2004), for multi-label tasks. With per-label scores
 * f_l = 2p_l − 1 ∈ [−1, 1] and ŷ ∈ {−1, +1}^L the most confident label vector, a point's
 * expected loss reduction is approximated by
 *   Σ_l (1 − ŷ_l f_l) / 2  =  Σ_{ŷ_l = +1} (1 − p_l) + Σ_{ŷ_l = −1} p_l,
 * i.e. the expected number of wrong labels (Hamming errors) if we trusted ŷ; the highest wins.
 * ŷ switches on the m̂ labels with the highest p, with m̂ the predicted label count:
 * - cardinality "expected" (default): m̂ = max(1, round(Σ_l p_l)), the model's expected count.
 *   (MMC predicts m̂ with a logistic regression trained on the labelled set's sorted
 *   probabilities; the expected count needs no extra model and keeps the sampler a pure
 *   function of the probabilities.)
 * - cardinality "threshold": ŷ_l = +1 where p_l > 0.5, so each label adds min(p_l, 1 − p_l):
 *   Li et al.'s mean max loss (times L).
 */
import { z } from "zod";
import type { Matrix } from "../matrix.ts";
import { oneOf, parseSamplerOptions } from "./option-schemas.ts";
import type { Sampler } from "./sampler.ts";
import { topKUnlabelled } from "./top-k.ts";
import { checkK, requireProbs } from "./validate.ts";

export const maxLossOptionsSchema = z.strictObject({
  cardinality: oneOf(["expected", "threshold"]).default("expected"),
});
export type MaxLossOptions = z.output<typeof maxLossOptionsSchema>;

/** Σ_l (1 − ŷ_l f_l)/2 per row of N×L sigmoid probabilities (see the module comment). */
export function maxLossScores(probs: Matrix, options: MaxLossOptions = { cardinality: "expected" }): Float64Array {
  const { data, n, c } = probs;
  const out = new Float64Array(n);
  if (options.cardinality === "threshold") {
    for (let i = 0; i < n; i++) {
      let loss = 0;
      for (let j = i * c, end = j + c; j < end; j++) {
        const p = data[j]!;
        loss += p > 0.5 ? 1 - p : p;
      }
      out[i] = loss;
    }
    return out;
  }
  // loss = Σ_l p_l + Σ_{top m̂} (1 − 2p_l): the top m̂ are read off a sorted copy of the row.
  const row = new Float64Array(c);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let l = 0; l < c; l++) {
      const p = data[i * c + l]!;
      row[l] = p;
      sum += p;
    }
    const m = Math.min(c, Math.max(1, Math.round(sum)));
    row.sort();
    let loss = sum;
    for (let l = c - m; l < c; l++) loss += 1 - 2 * row[l]!;
    out[i] = loss;
  }
  return out;
}

export const maxLoss: Sampler<MaxLossOptions> = {
  name: "max-loss",
  description: "Multi-label: points with the largest expected Hamming loss of their most confident label set (MMC).",
  needs: ["probs"],
  tasks: ["multilabel"],
  parseOptions: (options, path) => parseSamplerOptions(maxLossOptionsSchema, options, path),
  select(inputs, k, options) {
    const probs = requireProbs("max-loss", inputs, "per-label");
    checkK("max-loss", k, inputs.labelled);
    return topKUnlabelled(maxLossScores(probs, options), k, inputs.labelled);
  },
  score(inputs, options) {
    return maxLossScores(requireProbs("max-loss", inputs, "per-label"), options);
  },
};
