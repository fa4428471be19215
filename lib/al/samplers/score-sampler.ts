/**
 * A sampler that ranks points by a pointwise score and takes the top k (ties → lowest index):
 * most uncertainty samplers are exactly this, differing only in their score function.
 */
import type { Sampler, SamplerInput, SamplerInputs, Task } from "./sampler.ts";
import { topKUnlabelled } from "./top-k.ts";
import { checkK, parseNoOptions } from "./validate.ts";

export interface ScoreSamplerSpec {
  name: string;
  description: string;
  needs: readonly SamplerInput[];
  tasks?: readonly Task[];
  /** Higher = more informative; throws (naming the sampler) when a needed input is missing. */
  scores(inputs: SamplerInputs): Float64Array;
}

export function scoreSampler(spec: ScoreSamplerSpec): Sampler {
  return {
    name: spec.name,
    description: spec.description,
    needs: spec.needs,
    ...(spec.tasks ? { tasks: spec.tasks } : {}),
    parseOptions: parseNoOptions,
    select(inputs, k) {
      const s = spec.scores(inputs);
      checkK(spec.name, k, inputs.labelled);
      return topKUnlabelled(s, k, inputs.labelled);
    },
    score: (inputs) => spec.scores(inputs),
  };
}
