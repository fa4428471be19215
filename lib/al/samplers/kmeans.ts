/**
 * KMeans sampling: cluster the unlabelled pool into k groups in embedding space and take the
 * point nearest each centre, so the batch mirrors the pool's layout (representative, not
 * uncertain).
 */
import { z } from "zod";
import { parseWith } from "../errors.ts";
import { clusterRepresentatives, DEFAULT_RESTARTS, kmeans as runKMeans } from "../cluster/kmeans.ts";
import { takeRows } from "../matrix.ts";
import { requireEmbeddings, splitPool } from "./require-inputs.ts";
import type { Sampler } from "./sampler.ts";
import { checkK } from "./validate.ts";

/** Lloyd settings shared by the k-means-based samplers. */
export const kmeansFitFields = {
  /** Upper bound on Lloyd iterations. */
  maxIterations: z.int().min(1).default(100),
  /** Stop when the centres' summed squared shift ≤ tolerance × the data's variance. */
  tolerance: z.number().min(0).default(1e-4),
  /**
   * k-means++ starts, the lowest inertia kept (scikit-learn's n_init; 10 was its default before
   * 1.4). One start leaves two centres in one well-separated group about 1 time in 20; 10 make
   * that practically never happen. Each start draws from the selection's seeded stream.
   */
  restarts: z.int().min(1).default(DEFAULT_RESTARTS),
};

export const kmeansOptionsSchema = z.strictObject(kmeansFitFields);
export type KMeansSamplerOptions = z.output<typeof kmeansOptionsSchema>;

export const kmeans: Sampler<KMeansSamplerOptions> = {
  name: "kmeans",
  description: "k-means on the unlabelled pool's embeddings (k-means++ seeds); the point nearest each of the k centres.",
  needs: ["embeddings"],
  // Uses no class probabilities, so it serves multi-label data as well.
  tasks: ["multiclass", "multilabel"],
  parseOptions: (options, path) => parseWith(kmeansOptionsSchema, options ?? {}, path),
  select(inputs, k, options, context) {
    const embeddings = requireEmbeddings("kmeans", inputs);
    checkK("kmeans", k, inputs.labelled);
    const { unlabelled } = splitPool(inputs.labelled);
    const candidates = takeRows(embeddings, unlabelled);
    const result = runKMeans(candidates, k, { random: context.random, ...options });
    return clusterRepresentatives(candidates, result).map((i) => unlabelled[i]!);
  },
};
