/** The sampler registry: the names experiment specs may use. */
import { badge } from "./badge.ts";
import { bald } from "./bald.ts";
import { batchBaldSampler } from "./batchbald.ts";
import { binaryBald } from "./binary-bald.ts";
import { binaryBatchBaldSampler } from "./binary-batchbald.ts";
import { binaryEntropy } from "./binary-entropy.ts";
import { binaryMinimum } from "./binary-minimum.ts";
import { cal } from "./cal.ts";
import { ceal } from "./ceal.ts";
import { cardinalityInconsistency } from "./cardinality-inconsistency.ts";
import { egl } from "./egl.ts";
import { entropy } from "./entropy.ts";
import { iconfidence } from "./iconfidence.ts";
import { informationDensity } from "./information-density.ts";
import { iwkmeans } from "./iwkmeans.ts";
import { kcenterGreedy } from "./kcenter-greedy.ts";
import { kmeans } from "./kmeans.ts";
import { labelDispersion } from "./label-dispersion.ts";
import { leastConfidence } from "./least-confidence.ts";
import { lossPrediction } from "./loss-prediction.ts";
import { margin } from "./margin.ts";
import { maxLoss } from "./max-loss.ts";
import { meanStd } from "./mean-std.ts";
import { qbcKl } from "./qbc-kl.ts";
import { qbcVoteEntropy } from "./qbc-vote-entropy.ts";
import { random } from "./random.ts";
import { ratio } from "./ratio.ts";
import type { Sampler } from "./sampler.ts";
import { suggestiveAnnotation } from "./suggestive-annotation.ts";
import { stochasticSampler } from "./stochastic.ts";
import { typicality } from "./typicality.ts";
import { vaal } from "./vaal.ts";
import { variationRatios } from "./variation-ratios.ts";
import { wkmeans } from "./wkmeans.ts";

export const samplerRegistry = {
  random,
  "least-confidence": leastConfidence,
  margin,
  entropy,
  ratio,
  bald,
  "variation-ratios": variationRatios,
  "mean-std": meanStd,
  "qbc-vote-entropy": qbcVoteEntropy,
  "qbc-kl": qbcKl,
  batchbald: batchBaldSampler,
  // getSampler is passed in (not imported by stochastic.ts) so the registry has no import cycle.
  stochastic: stochasticSampler(getSampler),
  "binary-minimum": binaryMinimum,
  "max-loss": maxLoss,
  "cardinality-inconsistency": cardinalityInconsistency,
  "binary-entropy": binaryEntropy,
  "binary-bald": binaryBald,
  "binary-batchbald": binaryBatchBaldSampler,
  "kcenter-greedy": kcenterGreedy,
  kmeans,
  wkmeans,
  iwkmeans,
  iconfidence,
  "information-density": informationDensity,
  typicality,
  badge,
  egl,
  cal,
  "suggestive-annotation": suggestiveAnnotation,
  "label-dispersion": labelDispersion,
  ceal,
  vaal,
  "loss-prediction": lossPrediction,
} as const satisfies Record<string, Sampler<object>>;

export type SamplerName = keyof typeof samplerRegistry;

/** Registered names, in registry order (for error messages and CLI help). */
export const samplerNames = Object.keys(samplerRegistry) as SamplerName[];

/** The sampler called `name`; `path` locates the name in the config for the error message. */
export function getSampler(name: string, path: string): Sampler<object> {
  // hasOwn, not `in`: "toString" must not resolve through the prototype.
  if (!Object.hasOwn(samplerRegistry, name)) {
    throw new RangeError(`${path}: unknown sampler "${name}"; expected one of ${samplerNames.join(", ")}`);
  }
  return samplerRegistry[name as SamplerName];
}
