/** Checks for the MC-sample input (MC-dropout passes or ensemble members), shared by Bayesian samplers. */
import type { Samples, SamplerInputs } from "./sampler.ts";

/** The pool's MC samples, checked to be present and shaped N×T×C with one block per pool point. */
export function requireSamples(sampler: string, inputs: SamplerInputs): Samples {
  const samples = inputs.mcSamples;
  if (samples === undefined) {
    throw new TypeError(`${sampler}: needs "mcSamples" but the runner gave none`);
  }
  const { n, t, c, data } = samples;
  if (n !== inputs.labelled.length) {
    throw new RangeError(
      `${sampler}: mcSamples has ${n} points but the pool has ${inputs.labelled.length}; pass one N×T×C block per pool point`,
    );
  }
  if (!Number.isInteger(t) || t < 1 || !Number.isInteger(c) || c < 1) {
    throw new RangeError(`${sampler}: mcSamples has ${t} samples × ${c} classes; need at least 1 of each`);
  }
  if (data.length !== n * t * c) {
    throw new RangeError(`${sampler}: mcSamples data has ${data.length} values, expected ${n}×${t}×${c} = ${n * t * c}`);
  }
  return samples;
}
