/**
 * Typicality sampling, the TypiClust variant (Hacohen, Dekel & Weinshall 2022, "Active
 * learning on a budget"): for small budgets, label typical points of regions nothing labelled
 * covers yet, instead of uncertain outliers.
 *
 * 1. Cluster the whole pool's embeddings (labelled and unlabelled) with k-means into
 *    min(|L| + k, maxClusters) clusters.
 * 2. k times: take the cluster with the fewest labelled-or-picked members (largest cluster on
 *    ties, then lowest cluster number), and in it the unlabelled, unpicked point of highest
 *    typicality
 *
 *      typicality(x) = ( (1/K) Σ_{x' ∈ KNN(x)} ‖x − x'‖ )^{-1}
 *
 *    with KNN(x) the K = min(neighbours, |cluster| − 1) nearest other members of x's cluster
 *    (a lone point is maximally typical). The cluster then counts one more covered member.
 *
 * Typicality is computed once per cluster that gets picked from, in O(|cluster|²·d) time and
 * O(|cluster|·K) memory.
 */
import { z } from "zod";
import { parseWith } from "../errors.ts";
import { kmeans } from "../cluster/kmeans.ts";
import { nearestNeighbours } from "../cluster/neighbours.ts";
import { type Matrix, takeRows } from "../matrix.ts";
import { kmeansFitFields } from "./kmeans.ts";
import { requireEmbeddings } from "./require-inputs.ts";
import type { Sampler } from "./sampler.ts";
import { checkK } from "./validate.ts";

export const typicalityOptionsSchema = z.strictObject({
  /** K, the neighbours in the typicality's mean distance (TypiClust uses 20). */
  neighbours: z.int().min(1).default(20),
  /** Cap on the number of clusters (TypiClust caps it to bound the clustering cost). */
  maxClusters: z.int().min(1).default(500),
  ...kmeansFitFields,
  /**
   * k-means++ starts (default 1, unlike the k-means samplers' 10): TypiClust clusters the whole
   * pool into up to maxClusters groups only to find uncovered regions, where a slightly worse
   * clustering costs little and 10 starts would cost 10× the dominant step. Raise it to opt in.
   */
  restarts: z.int().min(1).default(1),
});
export type TypicalityOptions = z.output<typeof typicalityOptionsSchema>;

/** Mean Euclidean distance of each member to its K nearest other members (the inverse typicality). */
export function meanNeighbourDistance(members: Int32Array, embeddings: Matrix, neighbours: number): Float64Array {
  const size = members.length;
  const out = new Float64Array(size);
  const k = Math.min(neighbours, size - 1);
  if (k < 1) return out;
  const rows = takeRows(embeddings, members);
  const found = nearestNeighbours(rows, rows, k, { queryIds: members, referenceIds: members });
  for (let i = 0; i < size; i++) {
    let s = 0;
    for (let t = 0; t < k; t++) s += Math.sqrt(found.distances[i * k + t]!);
    out[i] = s / k;
  }
  return out;
}

export const typicality: Sampler<TypicalityOptions> = {
  name: "typicality",
  description: "TypiClust: the most typical unlabelled point (highest inverse mean distance to its K nearest neighbours) of each least-covered k-means cluster.",
  needs: ["embeddings"],
  // Uses no class probabilities, so it serves multi-label data as well.
  tasks: ["multiclass", "multilabel"],
  parseOptions: (options, path) => parseWith(typicalityOptionsSchema, options ?? {}, path),
  select(inputs, k, options, context) {
    const embeddings = requireEmbeddings("typicality", inputs);
    const unlabelledCount = checkK("typicality", k, inputs.labelled);
    const { labelled } = inputs;
    const n = labelled.length;
    const clusters = Math.min(n - unlabelledCount + k, options.maxClusters, n);
    const { assignment } = kmeans(embeddings, clusters, {
      random: context.random,
      maxIterations: options.maxIterations,
      tolerance: options.tolerance,
      restarts: options.restarts,
    });

    const size = new Int32Array(clusters);
    const covered = new Int32Array(clusters);
    const open = new Int32Array(clusters); // unlabelled, unpicked members left
    for (let i = 0; i < n; i++) {
      const a = assignment[i]!;
      size[a]++;
      if (labelled[i] === 0) open[a]++;
      else covered[a]++;
    }
    const start = new Int32Array(clusters + 1);
    for (let a = 0; a < clusters; a++) start[a + 1] = start[a]! + size[a]!;
    const members = new Int32Array(n);
    const fill = start.slice(0, clusters);
    for (let i = 0; i < n; i++) members[fill[assignment[i]!]!++] = i;

    const spread = new Array<Float64Array | undefined>(clusters);
    const picked = new Uint8Array(n);
    const out = new Int32Array(k);
    for (let t = 0; t < k; t++) {
      let best = -1;
      for (let a = 0; a < clusters; a++) {
        if (open[a] === 0) continue;
        if (best < 0 || covered[a]! < covered[best]! || (covered[a] === covered[best] && size[a]! > size[best]!)) best = a;
      }
      const own = members.subarray(start[best]!, start[best + 1]!);
      const mean = (spread[best] ??= meanNeighbourDistance(own, embeddings, options.neighbours));
      let pick = -1;
      for (let j = 0; j < own.length; j++) {
        const i = own[j]!;
        if (labelled[i] !== 0 || picked[i] === 1) continue;
        if (pick < 0 || mean[j]! < mean[pick]!) pick = j; // members are in increasing index order
      }
      const chosen = own[pick]!;
      picked[chosen] = 1;
      out[t] = chosen;
      covered[best]++;
      open[best]--;
    }
    return out;
  },
};
