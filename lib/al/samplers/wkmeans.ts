/**
 * WKMeans: uncertain *and* diverse. Keep the β·k unlabelled points with the highest margin
 * uncertainty 1 − (p1 − p2), run k-means on their embeddings with each point weighted by that
 * uncertainty, and take the candidate nearest each of the k centres. β (default: the number of
 * classes) trades uncertainty (β → 1: the k most uncertain) against diversity (large β).
 */
import { z } from "zod";
import { parseWith } from "../errors.ts";
import { clusterRepresentatives, kmeans } from "../cluster/kmeans.ts";
import { takeRows } from "../matrix.ts";
import { kmeansFitFields } from "./kmeans.ts";
import { marginScores } from "./margin.ts";
import { requireEmbeddings, splitPool } from "./require-inputs.ts";
import type { SamplerContext, SamplerInputs, Sampler } from "./sampler.ts";
import { topKUnlabelled } from "./top-k.ts";
import { checkK, requireProbs } from "./validate.ts";

export const wkmeansOptionsSchema = z.strictObject({
  /** Candidates = the β·k most uncertain points (at least k); default β = number of classes. */
  beta: z.number().gt(0).optional(),
  ...kmeansFitFields,
});
export type WKMeansOptions = z.output<typeof wkmeansOptionsSchema>;

/**
 * The shared WKMeans / IWKMeans selection; with `fixedLabelled` the labelled points' embeddings
 * are fixed centres (IWKMeans).
 */
export function weightedKMeansSelect(
  name: string,
  inputs: SamplerInputs,
  k: number,
  options: WKMeansOptions,
  context: SamplerContext,
  fixedLabelled: boolean,
): Int32Array {
  const probs = requireProbs(name, inputs, "distribution");
  const embeddings = requireEmbeddings(name, inputs);
  const unlabelledCount = checkK(name, k, inputs.labelled);
  const beta = options.beta ?? probs.c;
  const m = Math.min(unlabelledCount, Math.max(k, Math.ceil(beta * k)));
  const uncertainty = marginScores(probs);
  const candidates = topKUnlabelled(uncertainty, m, inputs.labelled);
  const weights = new Float64Array(m);
  for (let i = 0; i < m; i++) weights[i] = uncertainty[candidates[i]!]!;
  const points = takeRows(embeddings, candidates);
  const { labelledIndices } = splitPool(inputs.labelled);
  const fixed = fixedLabelled && labelledIndices.length > 0 ? takeRows(embeddings, labelledIndices) : undefined;
  const result = kmeans(points, k, {
    random: context.random,
    weights,
    ...(fixed ? { fixed } : {}),
    maxIterations: options.maxIterations,
    tolerance: options.tolerance,
    restarts: options.restarts,
  });
  return clusterRepresentatives(points, result).map((i) => candidates[i]!);
}

export const wkmeans: Sampler<WKMeansOptions> = {
  name: "wkmeans",
  description: "The β·k most margin-uncertain points, clustered by uncertainty-weighted k-means; the candidate nearest each centre.",
  needs: ["probs", "embeddings"],
  parseOptions: (options, path) => parseWith(wkmeansOptionsSchema, options ?? {}, path),
  select: (inputs, k, options, context) => weightedKMeansSelect("wkmeans", inputs, k, options, context, false),
};
