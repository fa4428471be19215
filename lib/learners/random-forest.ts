/**
 * Random forest (pure TypeScript): CART trees with Gini splits on binned features (exact for
 * features with up to `maxBins` distinct values, at quantile bins beyond), each grown on a
 * bootstrap sample with a random feature subset per split; the probability is
 * the mean of the leaves' class distributions (multi-label: of the leaves' positive rates; the
 * trees are multi-output). Seeded: the fit's stream seeds every tree. Training always starts
 * from scratch, so keep-train equals retrain for forests. The trees' own predictions are
 * offered as samples (an ensemble, like MC-dropout passes) for disagreement-based samplers.
 */
import { z } from "zod";
import type { Matrix } from "../al/matrix.ts";
import { createRandom, type Random } from "../al/random.ts";
import type { Samples } from "../al/samplers/sampler.ts";
import { parseWith } from "../experiments/errors.ts";
import { binFeatures, MAX_BINS } from "./forest/bins.ts";
import { growTree, leafOf, type RowLabels, type Tree } from "./forest/tree.ts";
import type { Learner, LearnerFactory, LearnerShape, Targets } from "./learner.ts";
import { checkFeatures, checkFinite, checkTargets, type TaskTargets } from "./targets.ts";

export const randomForestOptionsSchema = z.strictObject({
  trees: z.int().min(1).default(100),
  /** Absent: grow until leaves are pure or too small. */
  maxDepth: z.int().min(1).optional(),
  minSamplesSplit: z.int().min(2).default(2),
  minSamplesLeaf: z.int().min(1).default(1),
  /** Features tried per split: "sqrt" / "log2" of the count, "all", a count (≥ 1) or a fraction (< 1). */
  maxFeatures: z
    .union([z.enum(["sqrt", "log2", "all"]), z.number().gt(0).refine((v) => v < 1 || Number.isInteger(v), "a count must be a whole number (or give a fraction below 1)")])
    .default("sqrt"),
  bootstrap: z.boolean().default(true),
  /**
   * Bins per feature: features with at most this many distinct values split exactly (as CART;
   * the default covers any training set of ≤ 65,536 rows), others at quantile bins (faster).
   */
  maxBins: z.int().min(2).max(MAX_BINS).default(MAX_BINS),
});
export type RandomForestOptions = z.output<typeof randomForestOptionsSchema>;

/** Features per split for d features. */
export function featuresPerSplit(option: RandomForestOptions["maxFeatures"], d: number): number {
  if (option === "all") return d;
  if (option === "sqrt") return Math.max(1, Math.floor(Math.sqrt(d)));
  if (option === "log2") return Math.max(1, Math.floor(Math.log2(d)));
  if (option < 1) return Math.max(1, Math.floor(option * d));
  return Math.min(d, option);
}

function rowLabels(targets: TaskTargets, classes: number): RowLabels {
  if (targets.task === "multiclass") {
    const n = targets.y.length;
    return { start: Int32Array.from({ length: n + 1 }, (_, i) => i), list: targets.y, classes };
  }
  const { data, n } = targets.y;
  const start = new Int32Array(n + 1);
  const list: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < classes; k++) if (data[i * classes + k]) list.push(k);
    start[i + 1] = list.length;
  }
  return { start, list: Int32Array.from(list), classes };
}

function createForest(options: RandomForestOptions, shape: LearnerShape): Learner {
  const name = "random-forest";
  const classes = shape.classes;
  const mtry = featuresPerSplit(options.maxFeatures, shape.inputSize);
  let ready = false;
  let trees: Tree[] = [];

  const need = (what: string): void => {
    if (!ready) throw new Error(`${name}: ${what}() before reset(seed)`);
  };

  const check = (x: Matrix, what: string): void => {
    need(what);
    if (trees.length === 0) throw new Error(`${name}: ${what}() before fit()`);
    checkFeatures(name, shape, x);
    checkFinite(name, x);
  };

  return {
    reset(): void {
      ready = true;
      trees = [];
    },

    async fit(x: Matrix, y: Targets, { random }: { epochs: number; random: Random }): Promise<void> {
      need("fit");
      const targets = checkTargets(name, shape, x, y);
      checkFinite(name, x);
      const binned = binFeatures(x, options.maxBins);
      const labels = rowLabels(targets, classes);
      const treeOptions = {
        maxDepth: options.maxDepth ?? Infinity,
        minSamplesSplit: options.minSamplesSplit,
        minSamplesLeaf: options.minSamplesLeaf,
        maxFeatures: mtry,
      };
      const base = random.uint32();
      const weight = new Float64Array(x.n);
      const grown: Tree[] = [];
      for (let t = 0; t < options.trees; t++) {
        // Each tree has its own stream, so tree t does not depend on how the others grew.
        const treeRandom = createRandom(base, "tree", t);
        weight.fill(options.bootstrap ? 0 : 1);
        if (options.bootstrap) for (let i = 0; i < x.n; i++) weight[treeRandom.int(x.n)]!++;
        const rows: number[] = [];
        for (let i = 0; i < x.n; i++) if (weight[i]! > 0) rows.push(i);
        grown.push(growTree(binned, labels, weight, Int32Array.from(rows), treeOptions, treeRandom));
      }
      trees = grown;
    },

    async predictProba(x: Matrix): Promise<Matrix> {
      check(x, "predictProba");
      // Tree by tree (one tree's arrays stay in cache), summing in float64.
      const sum = new Float64Array(x.n * classes);
      for (const tree of trees) {
        for (let i = 0; i < x.n; i++) {
          const leaf = leafOf(tree, x.data, i * x.c) * classes;
          for (let k = 0; k < classes; k++) sum[i * classes + k]! += tree.value[leaf + k]!;
        }
      }
      const out = new Float32Array(x.n * classes);
      for (let j = 0; j < out.length; j++) out[j] = sum[j]! / trees.length;
      return { data: out, n: x.n, c: classes };
    },

    /** The first `samples` trees' own probabilities, N×T×C (needs samples ≤ trees). */
    async predictSamples(x: Matrix, { samples }: { samples: number; random: Random }): Promise<Samples> {
      check(x, "predictSamples");
      if (!Number.isInteger(samples) || samples < 1 || samples > trees.length) {
        throw new RangeError(`${name}: samples must be an integer in 1..${trees.length} (one per tree), got ${samples}`);
      }
      const out = new Float32Array(x.n * samples * classes);
      for (let i = 0; i < x.n; i++) {
        for (let t = 0; t < samples; t++) {
          const tree = trees[t]!;
          const leaf = leafOf(tree, x.data, i * x.c) * classes;
          out.set(tree.value.subarray(leaf, leaf + classes), (i * samples + t) * classes);
        }
      }
      return { data: out, n: x.n, t: samples, c: classes };
    },

    /** The input features (a forest has no learned representation). */
    async embed(x: Matrix): Promise<Matrix> {
      need("embed");
      checkFeatures(name, shape, x);
      return x;
    },

    dispose(): void {
      trees = [];
      ready = false;
    },
  };
}

export const randomForest: LearnerFactory<RandomForestOptions> = {
  name: "random-forest",
  description: "random forest of CART trees (Gini, exact or histogram splits, bootstrap); multi-label via multi-output trees",
  parseOptions: (options, path) => parseWith(randomForestOptionsSchema, options ?? {}, path),
  create: createForest,
};
