/** Checks for the MC-sample input (MC-dropout passes or ensemble members), shared by Bayesian samplers. */
import type { Samples, SamplerInputs } from "./sampler.ts";
import { checkProbabilityRows, type ProbabilityKind } from "./validate.ts";

/**
 * The pool's MC samples, checked to be present, shaped N×T×C with one block per pool point, and
 * each sample a softmax distribution (multi-class samplers) or, with `kind` "per-label", one
 * sigmoid per label (multi-label samplers).
 */
export function requireSamples(sampler: string, inputs: SamplerInputs, kind: ProbabilityKind = "distribution"): Samples {
  const samples = requireSamplesShape(sampler, inputs);
  const { n, t, c, data } = samples;
  checkProbabilityRows(sampler, "mcSamples", data, n * t, c, kind, t);
  return samples;
}

/**
 * requireSamples's checks of presence and shape, without the row scan: for a sampler that checks
 * each sample row in its own pass, as checkProbabilityRows would (bald.ts).
 */
export function requireSamplesShape(sampler: string, inputs: SamplerInputs): Samples {
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
    const where =
      data.length < n * t * c ? `row ${Math.floor(data.length / (t * c))} is cut short` : `values run past row ${n - 1}`;
    throw new RangeError(
      `${sampler}: mcSamples data has ${data.length} values, expected ${n}×${t}×${c} = ${n * t * c} (${where}); pass one full T×C block per pool point`,
    );
  }
  return samples;
}
