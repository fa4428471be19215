/**
 * IWKMeans: WKMeans with the labelled points as fixed centres. They take part in every
 * assignment step but never move, and count as already chosen when the k new centres are
 * seeded, so the new centres settle in regions the labelled set does not cover yet.
 */
import { parseWith } from "../errors.ts";
import type { Sampler } from "./sampler.ts";
import { type WKMeansOptions, weightedKMeansSelect, wkmeansOptionsSchema } from "./wkmeans.ts";

export const iwkmeans: Sampler<WKMeansOptions> = {
  name: "iwkmeans",
  description: "WKMeans with the labelled points as fixed centres, so new centres fill regions the labelled set leaves uncovered.",
  needs: ["probs", "embeddings"],
  parseOptions: (options, path) => parseWith(wkmeansOptionsSchema, options ?? {}, path),
  select: (inputs, k, options, context) => weightedKMeansSelect("iwkmeans", inputs, k, options, context, true),
};
