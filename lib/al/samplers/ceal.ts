/**
 * CEAL (Wang et al. 2017, "Cost-effective active learning for deep image classification"): the
 * oracle labels the k most uncertain points by a base criterion, and the most confident ones
 * (entropy below a threshold that falls every round) train the next fit with the model's own
 * class as their label. Selection is the base sampler's, unchanged; the pseudo-labels are
 * lib/al/pseudo-labels.ts, which the loop applies to one fit and then drops.
 */
import { z } from "zod";
import { pseudoLabels, type PseudoLabelOptions } from "../pseudo-labels.ts";
import { entropy } from "./entropy.ts";
import { leastConfidence } from "./least-confidence.ts";
import { margin } from "./margin.ts";
import { parseSamplerOptions, positiveInt } from "./option-schemas.ts";
import type { Sampler } from "./sampler.ts";

const bases = { "least-confidence": leastConfidence, margin, entropy } as const;

const nonNegative = () => {
  const error = "expected a number ≥ 0";
  return z.number({ error }).min(0, { error });
};

export const cealOptionsSchema = z.strictObject({
  /** The uncertainty that picks the oracle's batch. */
  base: z.enum(["least-confidence", "margin", "entropy"], { error: 'expected one of "least-confidence", "margin", "entropy"' }).default("entropy"),
  /** δ₀ in nats; the paper's value for CACD. 0 turns pseudo-labelling off. */
  threshold: nonNegative().default(0.005),
  /** dr per round; the paper's value. */
  decay: nonNegative().default(0.00033),
  /** At most this many pseudo-labels per round, the most confident (absent: no cap). */
  maxPseudoLabels: positiveInt().optional(),
});
export type CealOptions = z.output<typeof cealOptionsSchema>;

export const ceal: Sampler<CealOptions> = {
  name: "ceal",
  description: "The base criterion's most uncertain points (default entropy); the next fit also trains on confident pool points pseudo-labelled with the model's class.",
  needs: ["probs"],
  parseOptions: (options, path) => parseSamplerOptions(cealOptionsSchema, options, path),
  select: (inputs, k, options, context) => bases[options.base].select(inputs, k, {}, context),
  score: (inputs, options) => bases[options.base].score!(inputs, {}),
  pseudoLabel(probs, blocked, round, options) {
    const settings: PseudoLabelOptions = {
      threshold: options.threshold,
      decay: options.decay,
      ...(options.maxPseudoLabels === undefined ? {} : { maxPseudoLabels: options.maxPseudoLabels }),
    };
    return pseudoLabels(probs, blocked, round, settings);
  },
};
