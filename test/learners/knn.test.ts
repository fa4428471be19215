/** k-nearest neighbours: hand-computed votes, ties, exact matches, cosine, multi-label, wdbc. */
import { describe, expect, it } from "vitest";
import { argmaxRows, type Matrix } from "../../lib/al/matrix.ts";
import { accuracy } from "../../lib/al/metrics/accuracy.ts";
import { createRandom } from "../../lib/al/random.ts";
import { knn } from "../../lib/learners/knn.ts";
import type { LearnerShape, Targets } from "../../lib/learners/learner.ts";
import { loadTabular } from "./real-data.ts";

const column = (values: number[]): Matrix => ({ data: Float32Array.from(values), n: values.length, c: 1 });

async function fitted(options: object, x: Matrix, y: Targets, shape: LearnerShape) {
  const learner = knn.create(knn.parseOptions({ standardize: false, ...options }, "o"), shape);
  learner.reset(1);
  await learner.fit(x, y, { epochs: 1, random: createRandom(1) });
  return learner;
}

const x = column([0, 1, 2, 10]);
const y = Int32Array.of(0, 0, 1, 1);
const shape = { inputSize: 1, classes: 2 };

describe("kNN by hand", () => {
  it("votes uniformly or by 1/distance", async () => {
    // Query 1.2, k = 3: distances 1.2 (y 0), 0.2 (y 0), 0.8 (y 1), 8.8 → neighbours 0.2, 0.8, 1.2.
    // Uniform: [2/3, 1/3]. By 1/d: class 0 = 5 + 1/1.2 = 5.8333, class 1 = 1.25, total 7.0833
    // → [0.8235, 0.1765].
    const uniform = await fitted({ k: 3 }, x, y, shape);
    expect(Array.from((await uniform.predictProba(column([1.2]))).data)).toEqual([2 / 3, 1 / 3].map(Math.fround));
    const weighted = await fitted({ k: 3, weights: "distance" }, x, y, shape);
    const p = await weighted.predictProba(column([1.2]));
    expect(p.data[0]).toBeCloseTo(5.8333 / 7.0833, 4);
    expect(p.data[1]).toBeCloseTo(1.25 / 7.0833, 4);
  });

  it("breaks distance ties by the lower training index, lets exact matches decide alone, and uses all rows when k > n", async () => {
    // Query 1.5 is 0.5 from rows 1 (y 0) and 2 (y 1): k = 1 takes row 1.
    expect(Array.from((await (await fitted({ k: 1 }, x, y, shape)).predictProba(column([1.5]))).data)).toEqual([1, 0]);
    // Query 2 matches row 2 exactly: with 1/d weights only it counts → [0, 1] although k = 3.
    expect(Array.from((await (await fitted({ k: 3, weights: "distance" }, x, y, shape)).predictProba(column([2]))).data)).toEqual([0, 1]);
    // k = 10 > 4 rows: all four vote → [1/2, 1/2].
    expect(Array.from((await (await fitted({ k: 10 }, x, y, shape)).predictProba(column([5]))).data)).toEqual([0.5, 0.5]);
  });

  it("measures angles with the cosine metric", async () => {
    // Class 0 = [10, 0] (long), class 1 = [0.5, 0.9]; query [1, 0.2], k = 1.
    // Euclidean: √(81 + 0.04) = 9.00 vs √(0.25 + 0.49) = 0.86 → class 1.
    // Cosine: 1 − 10/(10 · 1.0198) = 0.019 vs 1 − 0.68/(1.0198 · 1.0296) = 0.352 → class 0.
    const train = { data: Float32Array.of(10, 0, 0.5, 0.9), n: 2, c: 2 };
    const query = { data: Float32Array.of(1, 0.2), n: 1, c: 2 };
    const labels = Int32Array.of(0, 1);
    const euclidean = await fitted({ k: 1 }, train, labels, { inputSize: 2, classes: 2 });
    const cosine = await fitted({ k: 1, metric: "cosine" }, train, labels, { inputSize: 2, classes: 2 });
    expect(Array.from((await euclidean.predictProba(query)).data)).toEqual([0, 1]);
    expect(Array.from((await cosine.predictProba(query)).data)).toEqual([1, 0]);
  });

  it("gives each label's (weighted) positive share for multi-label data", async () => {
    // Rows 0, 1, 2 with labels {0}, {0, 1}, {1}; query 0.9, k = 2 → rows 1 (d 0.1) and 0 (d 0.9):
    // uniform: label 0 = 2/2, label 1 = 1/2.
    const labels = { data: Float32Array.of(1, 0, 1, 1, 0, 1), n: 3, c: 2 };
    const learner = await fitted({ k: 2 }, column([0, 1, 2]), labels, { inputSize: 1, classes: 2, task: "multilabel" });
    expect(Array.from((await learner.predictProba(column([0.9]))).data)).toEqual([1, 0.5]);
  });
});

describe("kNN on real data", () => {
  it("classifies wdbc above 90% (standardised features, both weightings)", async () => {
    const s = loadTabular("wdbc.csv", 0.3, 1);
    for (const weights of ["uniform", "distance"]) {
      const learner = knn.create(knn.parseOptions({ weights }, "learner.options"), { inputSize: 30, classes: 2 });
      learner.reset(1);
      await learner.fit(s.train.x, s.train.y, { epochs: 1, random: createRandom(1) });
      // ≈ 0.96 here.
      expect(accuracy(argmaxRows(await learner.predictProba(s.test.x)), s.test.y)).toBeGreaterThan(0.9);
    }
  });

  it("validates options with the field named", () => {
    expect(() => knn.parseOptions({ k: 0 }, "learner.options")).toThrow("learner.options.k");
    expect(() => knn.parseOptions({ weights: "inverse" }, "learner.options")).toThrow('learner.options.weights: Invalid option: expected one of "uniform"|"distance"');
  });
});
