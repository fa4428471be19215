/**
 * VAAL, variational adversarial active learning (Sinha, Ebrahimi & Darrell 2019). A β-VAE
 * learns a latent space from labelled and unlabelled inputs alike, while a discriminator D on
 * the latent mean learns to tell labelled (1) from unlabelled (0) points and the VAE is trained
 * to fool it. After training, D(z) is how "labelled" a point looks; VAAL labels the unlabelled
 * points D finds least labelled. Task-agnostic: no classifier output is read.
 *
 * The tfjs part (lib/learners/vaal/) runs in the provider, which hands this sampler the N-vector
 * `labelledness` = D(μ(x)) ∈ [0, 1]; here it is only score = 1 − D, top k, ties → lowest index.
 * The options below are read by that provider too (they shape the networks and their training).
 */
import { z } from "zod";
import { positiveInt, positiveNumber, parseSamplerOptions } from "./option-schemas.ts";
import type { Sampler, SamplerInputs } from "./sampler.ts";
import { topKUnlabelled } from "./top-k.ts";
import { checkK } from "./validate.ts";

const nonNegative = () => {
  const error = "expected a number ≥ 0";
  return z.number({ error }).min(0, { error });
};

export const vaalOptionsSchema = z.strictObject({
  /** Latent dimensions of the VAE (the discriminator's input). */
  latent: positiveInt().default(32),
  /** Units of the hidden layer of the encoder, the decoder and the discriminator. */
  hidden: positiveInt().default(128),
  /** Weight of the KL term (β-VAE; 1 = a plain VAE). */
  beta: positiveNumber().default(1),
  /** λ: weight of the VAE's adversarial loss (making D call unlabelled points labelled); 0 = no adversary for the VAE. */
  adversarialWeight: nonNegative().default(1),
  /** Passes over the unlabelled points per round (each step pairs an unlabelled and a labelled batch). */
  epochs: positiveInt().default(10),
  batchSize: positiveInt().default(64),
  /** Adam's learning rate, for the VAE and the discriminator (the paper's 5e-4). */
  learningRate: positiveNumber().default(5e-4),
});
export type VaalOptions = z.output<typeof vaalOptionsSchema>;

/** VAAL's options (absent = defaults), naming `path` in the error. */
export function parseVaalOptions(options: unknown, path: string): VaalOptions {
  return parseSamplerOptions(vaalOptionsSchema, options, path);
}

/**
 * The VAAL settings in a sampler's parsed options: vaal's own, or the VAAL keys of a code-defined
 * sampler that declares "labelledness" (its other keys are its own business); defaults otherwise.
 */
export function vaalOptionsOf(options: object): VaalOptions {
  const known = Object.keys(vaalOptionsSchema.shape);
  const picked = Object.fromEntries(Object.entries(options).filter(([key]) => known.includes(key)));
  return parseVaalOptions(picked, "sampler.options");
}

/** The labelledness scores, checked: one value in [0, 1] per pool point. */
export function requireLabelledness(sampler: string, inputs: SamplerInputs): Float32Array {
  const d = inputs.labelledness;
  if (d === undefined) throw new TypeError(`${sampler}: needs "labelledness" but the runner gave none`);
  const n = inputs.labelled.length;
  if (d.length !== n) {
    throw new RangeError(`${sampler}: labelledness has ${d.length} values but the pool has ${n} points; pass one per pool point`);
  }
  for (let i = 0; i < n; i++) {
    const v = d[i]!;
    // Also catches NaN: a discriminator output is a probability.
    if (!(v >= 0 && v <= 1)) throw new RangeError(`${sampler}: labelledness of pool point ${i} is ${v}; expected a discriminator output in [0, 1]`);
  }
  return d;
}

/** 1 − D(z): higher = looks less labelled = more informative. */
export function vaalScores(labelledness: Float32Array): Float64Array {
  return Float64Array.from(labelledness, (d) => 1 - d);
}

export const vaal: Sampler<VaalOptions> = {
  name: "vaal",
  description: "Points a labelled-vs-unlabelled discriminator on a β-VAE's latent space finds least labelled (task-agnostic).",
  needs: ["labelledness"],
  // It reads inputs and the labelled mask only, never labels or probabilities.
  tasks: ["multiclass", "multilabel"],
  parseOptions: parseVaalOptions,
  select(inputs, k) {
    const scores = vaalScores(requireLabelledness("vaal", inputs));
    checkK("vaal", k, inputs.labelled);
    return topKUnlabelled(scores, k, inputs.labelled);
  },
  score: (inputs) => vaalScores(requireLabelledness("vaal", inputs)),
};
