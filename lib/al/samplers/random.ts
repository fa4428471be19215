/** Random sampling: the baseline every informed sampler has to beat. */
import type { Sampler } from "./sampler.ts";
import { checkK, countUnlabelled, parseNoOptions } from "./validate.ts";

/**
 * k distinct unlabelled indices, uniformly at random, in draw order. A partial Fisher–Yates
 * over the unlabelled indices draws exactly k numbers from the stream, so the choice is
 * reproducible from the context's seed and costs O(N + k).
 */
export const random: Sampler = {
  name: "random",
  description: "Uniformly random unlabelled points (baseline).",
  needs: [],
  // Uses no class probabilities, so it serves multi-label data as well.
  tasks: ["multiclass", "multilabel"],
  parseOptions: parseNoOptions,
  select(inputs, k, _options, context) {
    checkK("random", k, inputs.labelled);
    const { labelled } = inputs;
    const pool = new Int32Array(countUnlabelled(labelled));
    for (let i = 0, m = 0; i < labelled.length; i++) if (labelled[i] === 0) pool[m++] = i;
    for (let i = 0; i < k; i++) {
      const j = i + context.random.int(pool.length - i);
      const t = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = t;
    }
    return pool.slice(0, k);
  },
};
