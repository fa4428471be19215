/**
 * CAL, contrastive active learning (Margatina et al. 2021): prefer points whose prediction
 * differs most from the predictions on their nearest labelled neighbours in embedding space —
 * contrastive examples, close in feature space yet predicted differently:
 *
 *   score(x) = (1/K) Σ_{l ∈ KNN_labelled(x)} KL(p(·|l) ‖ p(·|x))
 *
 * with the model's predicted distributions on both sides, as in the paper. log p(c|x) is
 * clamped at log 1e-12 so a zero probability gives a large finite divergence, not Infinity. A
 * point with no labelled neighbour (nothing labelled yet, or a labelled point that is the only
 * one) scores its prediction entropy instead, so a cold start degrades to entropy sampling.
 */
import { z } from "zod";
import { parseWith } from "../errors.ts";
import { nearestNeighbours } from "../cluster/neighbours.ts";
import { takeRows } from "../matrix.ts";
import { entropyScores } from "./entropy.ts";
import { requireEmbeddings, splitPool } from "./require-inputs.ts";
import type { Sampler, SamplerInputs } from "./sampler.ts";
import { topKUnlabelled } from "./top-k.ts";
import { checkK, requireProbs } from "./validate.ts";

const LOG_FLOOR = Math.log(1e-12);

export const calOptionsSchema = z.strictObject({
  /** K, the labelled neighbours compared with each candidate. */
  neighbours: z.int().min(1).default(10),
});
export type CalOptions = z.output<typeof calOptionsSchema>;

export function calScores(inputs: SamplerInputs, options: CalOptions): Float64Array {
  const probs = requireProbs("cal", inputs, "distribution");
  const embeddings = requireEmbeddings("cal", inputs);
  const { n, c } = probs;
  const p = probs.data;
  const out = entropyScores(probs);
  const { labelledIndices } = splitPool(inputs.labelled);
  if (labelledIndices.length === 0) return out;

  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) ids[i] = i;
  const k = Math.min(options.neighbours, labelledIndices.length);
  const found = nearestNeighbours(embeddings, takeRows(embeddings, labelledIndices), k, {
    queryIds: ids,
    referenceIds: labelledIndices,
  });
  // Σ_c p_l log p_l per labelled point, so KL(p_l ‖ p_x) = that − Σ_c p_l log p_x.
  const selfTerm = new Float64Array(labelledIndices.length);
  for (let r = 0; r < labelledIndices.length; r++) {
    let s = 0;
    for (let j = labelledIndices[r]! * c, end = j + c; j < end; j++) if (p[j]! > 0) s += p[j]! * Math.log(p[j]!);
    selfTerm[r] = s;
  }
  const mean = new Float64Array(c);
  for (let i = 0; i < n; i++) {
    let count = 0;
    let self = 0;
    mean.fill(0);
    for (let t = 0; t < k; t++) {
      const r = found.indices[i * k + t]!;
      if (r < 0) break;
      count++;
      self += selfTerm[r]!;
      for (let j = 0, o = labelledIndices[r]! * c; j < c; j++) mean[j] += p[o + j]!;
    }
    if (count === 0) continue; // keeps the entropy fallback
    let cross = 0;
    for (let j = 0; j < c; j++) {
      if (mean[j]! <= 0) continue;
      const q = p[i * c + j]!;
      cross += mean[j]! * (q > 0 ? Math.max(Math.log(q), LOG_FLOOR) : LOG_FLOOR);
    }
    out[i] = (self - cross) / count;
  }
  return out;
}

export const cal: Sampler<CalOptions> = {
  name: "cal",
  description: "Contrastive: mean KL divergence between the predictions on a point's K nearest labelled neighbours and on the point.",
  needs: ["probs", "embeddings"],
  parseOptions: (options, path) => parseWith(calOptionsSchema, options ?? {}, path),
  select(inputs, k, options) {
    const scores = calScores(inputs, options);
    checkK("cal", k, inputs.labelled);
    return topKUnlabelled(scores, k, inputs.labelled);
  },
  score: calScores,
};
