/**
 * KCenterGreedy (core-set, Sener & Savarese 2018): cover the pool in embedding space. Each pick
 * is the unlabelled point farthest from everything labelled or already picked, which greedily
 * shrinks the largest distance from any pool point to its nearest labelled point (a
 * 2-approximation of the k-center objective).
 */
import { farthestFirst } from "../cluster/farthest-first.ts";
import { takeRows } from "../matrix.ts";
import { requireEmbeddings, splitPool } from "./require-inputs.ts";
import type { Sampler } from "./sampler.ts";
import { checkK, parseNoOptions } from "./validate.ts";

export const kcenterGreedy: Sampler = {
  name: "kcenter-greedy",
  description: "Core-set: each pick is the unlabelled point farthest (in embedding space) from the labelled and already picked points.",
  needs: ["embeddings"],
  // Uses no class probabilities, so it serves multi-label data as well.
  tasks: ["multiclass", "multilabel"],
  parseOptions: parseNoOptions,
  select(inputs, k, _options, context) {
    const embeddings = requireEmbeddings("kcenter-greedy", inputs);
    checkK("kcenter-greedy", k, inputs.labelled);
    const { unlabelled, labelledIndices } = splitPool(inputs.labelled);
    // The whole pool is the candidate matrix (labelled rows excluded), so nothing N×d is copied.
    if (labelledIndices.length > 0) {
      return farthestFirst(embeddings, k, { initial: takeRows(embeddings, labelledIndices), exclude: inputs.labelled });
    }
    // With nothing labelled there is no "farthest from" yet: start from a seeded random point.
    return farthestFirst(embeddings, k, { first: unlabelled[context.random.int(unlabelled.length)]!, exclude: inputs.labelled });
  },
};
