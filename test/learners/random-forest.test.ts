/** Random forest: hand-computed splits, binning, per-tree samples, real data (wdbc, yeast). */
import { describe, expect, it } from "vitest";
import { argmaxRows, type Matrix } from "../../lib/al/matrix.ts";
import { accuracy } from "../../lib/al/metrics/accuracy.ts";
import { aurocMultilabel } from "../../lib/al/metrics/auroc-multilabel.ts";
import { createRandom, permutation } from "../../lib/al/random.ts";
import { binFeatures } from "../../lib/learners/forest/bins.ts";
import type { LearnerShape, Targets } from "../../lib/learners/learner.ts";
import { featuresPerSplit, randomForest } from "../../lib/learners/random-forest.ts";
import { loadTabular, readCsv } from "./real-data.ts";

const column = (values: number[]): Matrix => ({ data: Float32Array.from(values), n: values.length, c: 1 });

async function oneTree(x: Matrix, y: Targets, shape: LearnerShape, options: object = {}) {
  const learner = randomForest.create(randomForest.parseOptions({ trees: 1, bootstrap: false, maxFeatures: "all", ...options }, "o"), shape);
  learner.reset(1);
  await learner.fit(x, y, { epochs: 1, random: createRandom(1) });
  return learner;
}

describe("random forest: trees by hand", () => {
  it("splits where Σ count²/weight over the children is largest (Gini)", async () => {
    // x = 1..5, y = 0 0 1 0 1. Score of each cut (left | right), Σ_k n_k² / n per side:
    //   after 1: 1/1 + (2²+2²)/4 = 3       after 2: 2²/2 + (1+2²)/3 = 3.667
    //   after 3: (2²+1)/3 + 2/2 = 2.667    after 4: (3²+1)/4 + 1/1 = 3.5
    // Best: after 2, threshold (2+3)/2 = 2.5; leaves [1, 0] and [1/3, 2/3] at depth 1.
    const tree = await oneTree(column([1, 2, 3, 4, 5]), Int32Array.of(0, 0, 1, 0, 1), { inputSize: 1, classes: 2 }, { maxDepth: 1 });
    const p = await tree.predictProba(column([2.5, 2.51, -100, 100]));
    expect(Array.from(p.data)).toEqual([1, 0, 1 / 3, 2 / 3, 1, 0, 1 / 3, 2 / 3].map(Math.fround));
  });

  it("grows until leaves are pure without a depth limit", async () => {
    const tree = await oneTree(column([1, 2, 3, 4, 5]), Int32Array.of(0, 0, 1, 0, 1), { inputSize: 1, classes: 2 });
    expect(Array.from(argmaxRows(await tree.predictProba(column([1, 2, 3, 4, 5]))))).toEqual([0, 0, 1, 0, 1]);
  });

  it("respects minSamplesLeaf", async () => {
    // Leaves of ≥ 2 rows: the only cuts are after 2 or after 3; after 2 scores 3.667 (above).
    const tree = await oneTree(column([1, 2, 3, 4, 5]), Int32Array.of(0, 0, 1, 0, 1), { inputSize: 1, classes: 2 }, { minSamplesLeaf: 2 });
    const p = await tree.predictProba(column([1, 5]));
    expect(Array.from(p.data)).toEqual([1, 0, 1 / 3, 2 / 3].map(Math.fround));
  });

  it("multi-label trees minimise the summed per-label Gini; leaves hold positive rates", async () => {
    // Rows (x: labels) 1: {0}, 2: {0,1}, 3: {1}, 4: {1}. Per side Σ_l count_l² / n:
    //   after 1: 1/1 + (1+9)/3 = 4.333    after 2: (4+1)/2 + 4/2 = 4.5    after 3: (4+4)/3 + 1/1 = 3.667
    // Best: after 2 (threshold 2.5): left rates [1, 0.5], right [0, 1].
    const y: Matrix = { data: Float32Array.of(1, 0, 1, 1, 0, 1, 0, 1), n: 4, c: 2 };
    const tree = await oneTree(column([1, 2, 3, 4]), y, { inputSize: 1, classes: 2, task: "multilabel" }, { maxDepth: 1 });
    expect(Array.from((await tree.predictProba(column([0, 3]))).data)).toEqual([1, 0.5, 0, 1]);
  });

  it("averages the trees, and offers each tree's prediction as a sample", async () => {
    const s = loadTabular("wdbc.csv", 0.3, 3);
    const forest = randomForest.create(randomForest.parseOptions({ trees: 12 }, "o"), { inputSize: 30, classes: 2 });
    forest.reset(1);
    await forest.fit(s.train.x, s.train.y, { epochs: 1, random: createRandom(1) });
    const probs = await forest.predictProba(s.test.x);
    const samples = await forest.predictSamples!(s.test.x, { samples: 12, random: createRandom(1) });
    for (let i = 0; i < s.test.x.n; i++) {
      for (let k = 0; k < 2; k++) {
        let mean = 0;
        for (let t = 0; t < 12; t++) mean += samples.data[(i * 12 + t) * 2 + k]! / 12;
        expect(probs.data[i * 2 + k]).toBeCloseTo(mean, 6);
      }
    }
    await expect(forest.predictSamples!(s.test.x, { samples: 13, random: createRandom(1) })).rejects.toThrow("random-forest: samples must be an integer in 1..12 (one per tree), got 13");
  });
});

describe("random forest: binning", () => {
  it("gives each distinct value its own bin when there are few, with midpoint edges", () => {
    // Values 3, 1, 2, 2 → distinct 1, 2, 3 → edges 1.5, 2.5; bins 2, 0, 1, 1.
    const b = binFeatures(column([3, 1, 2, 2]), 256);
    expect(Array.from(b.edges[0]!)).toEqual([1.5, 2.5]);
    expect(Array.from(b.bins)).toEqual([2, 0, 1, 1]);
  });

  it("uses ≤ maxBins quantile bins otherwise, consistent with the threshold rule x ≤ edge", () => {
    for (let seed = 0; seed < 10; seed++) {
      const random = createRandom(seed, "bins");
      const n = 50 + random.int(500);
      const values = Array.from({ length: n }, () => Math.round(random.normal() * 100) / 10);
      const maxBins = 2 + random.int(30);
      const b = binFeatures(column(values), maxBins);
      const edges = b.edges[0]!;
      expect(edges.length).toBeLessThanOrEqual(maxBins - 1);
      for (let e = 1; e < edges.length; e++) expect(edges[e]).toBeGreaterThan(edges[e - 1]!);
      const used = new Set<number>();
      values.forEach((v, i) => {
        const bin = b.bins[i]!;
        used.add(bin);
        // bin = number of edges below the value: x ≤ edges[bin] and x > edges[bin − 1].
        if (bin < edges.length) expect(Math.fround(v)).toBeLessThanOrEqual(edges[bin]!);
        if (bin > 0) expect(Math.fround(v)).toBeGreaterThan(edges[bin - 1]!);
      });
      // No empty bins: every edge separates values that occur.
      expect(used.size).toBe(edges.length + 1);
    }
  });

  it("picks features per split as sqrt / log2 / all / count / fraction", () => {
    // d = 30: ⌊√30⌋ = 5, ⌊log2 30⌋ = 4, ⌊0.5·30⌋ = 15, counts capped at d.
    expect(["sqrt", "log2", "all", 0.5, 7, 100].map((o) => featuresPerSplit(o as "sqrt", 30))).toEqual([5, 4, 30, 15, 7, 30]);
    expect(() => randomForest.parseOptions({ maxFeatures: 2.5 }, "learner.options")).toThrow("learner.options.maxFeatures: a count must be a whole number");
    expect(() => randomForest.parseOptions({ maxBins: 65537 }, "learner.options")).toThrow("learner.options.maxBins");
    expect(() => randomForest.parseOptions({ trees: 0 }, "learner.options")).toThrow("learner.options.trees");
  });
});

describe("random forest on real data", () => {
  it("classifies wdbc above 90%", async () => {
    const s = loadTabular("wdbc.csv", 0.3, 1);
    const forest = randomForest.create(randomForest.parseOptions({}, "learner.options"), { inputSize: 30, classes: 2 });
    forest.reset(1);
    await forest.fit(s.train.x, s.train.y, { epochs: 1, random: createRandom(1, "fit") });
    // ≈ 0.96 here (scikit-learn's forest: ≈ 0.96 on such splits).
    expect(accuracy(argmaxRows(await forest.predictProba(s.test.x)), s.test.y)).toBeGreaterThan(0.9);
  });

  it("ranks yeast's 14 labels (multi-output trees) well above chance", async () => {
    const [, ...rows] = readCsv("tabular/yeast-multilabel.csv");
    const d = rows[0]!.length - 1;
    const labels = [...new Set(rows.flatMap((r) => r[d]!.split("|")))].sort();
    const order = permutation(rows.length, createRandom(1, "yeast"));
    const take = (indices: Int32Array) => {
      const x = new Float32Array(indices.length * d);
      const y = new Float32Array(indices.length * labels.length);
      indices.forEach((r, i) => {
        for (let f = 0; f < d; f++) x[i * d + f] = Number(rows[r]![f]);
        for (const l of rows[r]![d]!.split("|")) y[i * labels.length + labels.indexOf(l)] = 1;
      });
      return { x: { data: x, n: indices.length, c: d }, y: { data: y, n: indices.length, c: labels.length } };
    };
    const test = take(order.slice(0, 500));
    const train = take(order.slice(500));
    const forest = randomForest.create(randomForest.parseOptions({ trees: 50 }, "o"), { inputSize: d, classes: labels.length, task: "multilabel" });
    forest.reset(1);
    await forest.fit(train.x, train.y, { epochs: 1, random: createRandom(1) });
    // Chance is 0.5; ≈ 0.70 here.
    expect(aurocMultilabel(await forest.predictProba(test.x), test.y).value!).toBeGreaterThan(0.62);
  });

  it("rejects missing values with the row and feature", async () => {
    const forest = randomForest.create(randomForest.parseOptions({}, "o"), { inputSize: 2, classes: 2 });
    forest.reset(1);
    const x = { data: Float32Array.of(1, 2, 3, NaN), n: 2, c: 2 };
    await expect(forest.fit(x, Int32Array.of(0, 1), { epochs: 1, random: createRandom(1) })).rejects.toThrow("random-forest: feature 1 of row 1 is NaN");
  });
});
