/**
 * Information density (Settles & Craven 2008): uncertainty weighted by how representative a
 * point is, so outliers that are uncertain only because they are odd lose to uncertain points
 * in dense regions:
 *
 *   score(x) = u(x) · sim(x)^β,   sim(x) = max(0, (1/U) Σ_{x' unlabelled} cos(x, x'))
 *
 * The mean cosine similarity is (x/‖x‖) · m with m the mean of the unlabelled points' unit
 * vectors, so it costs O(N·d) time and O(d) extra memory — no N×N similarity matrix. A zero
 * embedding has similarity 0. The clamp at 0 only matters for embeddings with negative
 * coordinates (a negative mean similarity to a non-integer power would be NaN).
 */
import { z } from "zod";
import { parseWith } from "../errors.ts";
import { inverseRowNorms, type Matrix } from "../matrix.ts";
import { entropyScores } from "./entropy.ts";
import { leastConfidenceScores } from "./least-confidence.ts";
import { marginScores } from "./margin.ts";
import { ratioScores } from "./ratio.ts";
import { requireEmbeddings } from "./require-inputs.ts";
import type { Sampler, SamplerInputs } from "./sampler.ts";
import { topKUnlabelled } from "./top-k.ts";
import { checkK, requireProbs } from "./validate.ts";

const uncertainties = {
  entropy: entropyScores,
  margin: marginScores,
  "least-confidence": leastConfidenceScores,
  ratio: ratioScores,
} as const;

export const informationDensityOptionsSchema = z.strictObject({
  /** The uncertainty u(x). */
  uncertainty: z.enum(["entropy", "margin", "least-confidence", "ratio"]).default("entropy"),
  /** Weight of density: 0 = plain uncertainty. */
  beta: z.number().min(0).default(1),
});
export type InformationDensityOptions = z.output<typeof informationDensityOptionsSchema>;

/** Mean cosine similarity of every row to the rows with labelled[i] = 0, clamped at 0. */
export function meanCosineToPool(embeddings: Matrix, labelled: Uint8Array): Float64Array {
  const { n, c: d, data } = embeddings;
  const inverseNorm = inverseRowNorms(embeddings);
  const mean = new Float64Array(d);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (labelled[i] !== 0) continue;
    count++;
    const w = inverseNorm[i]!;
    for (let j = 0; j < d; j++) mean[j] += data[i * d + j]! * w;
  }
  const out = new Float64Array(n);
  if (count === 0) return out;
  for (let j = 0; j < d; j++) mean[j] /= count;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += data[i * d + j]! * mean[j]!;
    const similarity = s * inverseNorm[i]!;
    out[i] = similarity > 0 ? similarity : 0;
  }
  return out;
}

export function informationDensityScores(inputs: SamplerInputs, options: InformationDensityOptions): Float64Array {
  const probs = requireProbs("information-density", inputs, "distribution");
  const embeddings = requireEmbeddings("information-density", inputs);
  const out = uncertainties[options.uncertainty](probs);
  const similarity = meanCosineToPool(embeddings, inputs.labelled);
  for (let i = 0; i < out.length; i++) out[i] = out[i]! * Math.pow(similarity[i]!, options.beta);
  return out;
}

export const informationDensity: Sampler<InformationDensityOptions> = {
  name: "information-density",
  description: "Uncertainty × (mean cosine similarity to the unlabelled pool)^β: uncertain points in dense regions.",
  needs: ["probs", "embeddings"],
  parseOptions: (options, path) => parseWith(informationDensityOptionsSchema, options ?? {}, path),
  select(inputs, k, options) {
    const scores = informationDensityScores(inputs, options);
    checkK("information-density", k, inputs.labelled);
    return topKUnlabelled(scores, k, inputs.labelled);
  },
  score: informationDensityScores,
};
