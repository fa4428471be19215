import { describe, expect, it } from "vitest";
import type { Dataset } from "../../lib/data/dataset.ts";
import { createRoundMetrics } from "../../lib/al/round-metrics.ts";

/** Pool of 4 points on a line (x = 0, 1, 10, 11), test points at x = 0.5 and 10.5. */
const dataset: Dataset = {
  name: "toy",
  task: "multiclass",
  kind: "synthetic",
  classes: ["a", "b"],
  shape: [1],
  pool: { x: { data: Float32Array.from([0, 1, 10, 11]), n: 4, c: 1 }, y: Int32Array.from([0, 0, 1, 1]), noisy: Uint8Array.from([0, 1, 0, 0]) },
  test: { x: { data: Float32Array.from([0.5, 10.5]), n: 2, c: 1 }, y: Int32Array.from([0, 1]) },
  checksum: "toy",
};
const probs = (rows: number[][]) => ({ data: Float32Array.from(rows.flat()), n: rows.length, c: rows[0]!.length });

describe("round metrics", () => {
  it("computes contradictions, exploration gain, agreement, batch accuracy and uncertainty by hand", () => {
    const m = createRoundMetrics(dataset);
    // Round 0: trained on pool point 0 only; both test points predicted class 0.
    const r0 = m.afterFit(probs([[0.9, 0.1], [0.6, 0.4]]), Int32Array.from([0]));
    expect(r0.accuracy).toBe(0.5);
    expect(r0.recall_class_0).toBe(1);
    expect(r0.recall_class_1).toBe(0);
    expect(r0.contradiction_ratio).toBeUndefined(); // no previous round
    expect(r0.exploration_gain).toBeUndefined();
    // Select pool points 1 (x = 1, noisy) and 2 (x = 10). Least confidence of the pool rows:
    // [0.2, 0.3, 0.45, 0.4]; unlabelled = 1, 2, 3 → mean 0.3833…, batch = {0.3, 0.45}.
    const poolProbs = probs([[0.8, 0.2], [0.7, 0.3], [0.55, 0.45], [0.4, 0.6]]);
    const labelled = Uint8Array.from([1, 0, 0, 0]);
    const { metrics, histograms } = m.afterSelect(poolProbs, Int32Array.from([1, 2]), labelled, Int32Array.from([0]));
    expect(metrics.pool_uncertainty_mean).toBeCloseTo((0.3 + 0.45 + 0.4) / 3, 6);
    expect(metrics.batch_uncertainty_mean).toBeCloseTo(0.375, 6);
    expect(metrics.batch_uncertainty_max).toBeCloseTo(0.45, 6);
    expect(metrics.batch_uncertainty_variance).toBeCloseTo(0.075 ** 2, 6);
    // The model predicts class 0 for both batch points; 1-NN on {x=0: class 0} says 0 for both.
    expect(metrics.agreement).toBe(1);
    // True labels of the batch: 0 and 1 → the model is right on one of two.
    expect(metrics.batch_accuracy).toBe(0.5);
    expect(metrics.noisy_ratio).toBe(0.5);
    expect(histograms.map((h) => h.target)).toEqual(["pool", "batch"]);
    expect(histograms[0]!.counts.reduce((a, b) => a + b, 0)).toBe(3);
    // Round 1: trained on 0, 1, 2. Distances of the test points to the training set were
    // 0.5 and 10.5; now 0.5 and 0.5 → EG = 0 + 10 = 10. Test predictions [0, 1]: one changed.
    const r1 = m.afterFit(probs([[0.9, 0.1], [0.2, 0.8]]), Int32Array.from([0, 1, 2]));
    expect(r1.exploration_gain).toBeCloseTo(10, 6);
    expect(r1.contradiction_ratio).toBe(0.5);
    expect(r1.accuracy).toBe(1);
  });

  it("rebuilds its state after a resume so the next round's values match", () => {
    const a = createRoundMetrics(dataset);
    a.afterFit(probs([[0.9, 0.1], [0.6, 0.4]]), Int32Array.from([0]));
    const next = a.afterFit(probs([[0.9, 0.1], [0.2, 0.8]]), Int32Array.from([0, 1, 2]));
    const b = createRoundMetrics(dataset);
    b.restore({ predictions: Int32Array.from([0, 0]) }, Int32Array.from([0]));
    expect(b.afterFit(probs([[0.9, 0.1], [0.2, 0.8]]), Int32Array.from([0, 1, 2]))).toEqual(next);
  });

  it("keeps only the metrics an experiment lists", () => {
    const m = createRoundMetrics(dataset, ["accuracy", "recall_class"]);
    expect(Object.keys(m.afterFit(probs([[0.9, 0.1], [0.6, 0.4]]), Int32Array.from([0]))).sort()).toEqual(["accuracy", "recall_class_0", "recall_class_1"]);
  });
});
