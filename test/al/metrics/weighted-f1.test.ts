/**
 * weighted_f1 on hand-computed cases, against scikit-learn, and its opt-in storage.
 */
import { describe, expect, it } from "vitest";
import type { Dataset } from "../../../lib/data/dataset.ts";
import { macroF1, weightedF1 } from "../../../lib/al/metrics/index.ts";
import { createRoundMetrics } from "../../../lib/al/round-metrics.ts";

const labels = (values: number[]) => Int32Array.from(values);

describe("weightedF1", () => {
  it("weights each class's F1 by its support", () => {
    // Class 0: support 3, TP 2, FP 0, FN 1 → F1 = 4/5. Class 1: support 2, TP 1, FP 1, FN 1 → 1/2.
    // Class 2: support 1, TP 1, FP 1, FN 0 → 2/3. Weighted: (3·0.8 + 2·0.5 + 1·2/3) / 6 = 61/90.
    const truth = labels([0, 0, 0, 1, 1, 2]);
    const predicted = labels([0, 0, 1, 1, 2, 2]);
    expect(weightedF1(predicted, truth, 3)).toBeCloseTo(61 / 90, 12);
    // The macro average of the same per-class F1s differs: (0.8 + 0.5 + 2/3) / 3.
    expect(macroF1(predicted, truth, 3)).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
  });

  it("gives a class absent from the truth weight 0 (it only costs the others precision)", () => {
    // Class 0: support 2, TP 1, FN 1 → 2/3; class 1: support 2, TP 2 → 1; class 2: predicted once, support 0.
    // Weighted: (2·2/3 + 2·1) / 4 = 5/6; macro-F1 counts class 2 as 0: (2/3 + 1 + 0) / 3 = 5/9.
    const truth = labels([0, 0, 1, 1]);
    const predicted = labels([2, 0, 1, 1]);
    expect(weightedF1(predicted, truth, 3)).toBeCloseTo(5 / 6, 12);
    expect(macroF1(predicted, truth, 3)).toBeCloseTo(5 / 9, 12);
  });

  it("matches scikit-learn's f1_score(average=\"weighted\")", () => {
    // Values from Debian's python3-sklearn 1.2.1: truth (7i mod 5), predictions ((⌊i²/3⌋ + i) mod 5)
    // for i < 50 → 0.16078431372549018; truth (3i mod 4), predictions (⌊i/3⌋ mod 5) for i < 37, a
    // predicted class the truth lacks → 0.29210526315789476.
    const a = Array.from({ length: 50 }, (_, i) => i);
    expect(weightedF1(labels(a.map((i) => (Math.floor((i * i) / 3) + i) % 5)), labels(a.map((i) => (7 * i) % 5)), 5)).toBeCloseTo(0.16078431372549018, 12);
    const b = Array.from({ length: 37 }, (_, i) => i);
    expect(weightedF1(labels(b.map((i) => Math.floor(i / 3) % 5)), labels(b.map((i) => (3 * i) % 4)), 5)).toBeCloseTo(0.29210526315789476, 12);
  });

  it("is 1 for perfect predictions and 0 when every prediction is wrong", () => {
    expect(weightedF1(labels([1, 0, 2]), labels([1, 0, 2]), 3)).toBe(1);
    expect(weightedF1(labels([1, 2, 0]), labels([0, 1, 2]), 3)).toBe(0);
  });

  it("refuses misaligned, empty or out-of-range labels with a one-line reason", () => {
    expect(() => weightedF1(labels([0]), labels([0, 1]), 2)).toThrow(/predicted has 1 labels but truth has 2/);
    expect(() => weightedF1(labels([]), labels([]), 2)).toThrow(/no test points/);
    expect(() => weightedF1(labels([3]), labels([0]), 2)).toThrow(/predicted\[0\] = 3 is outside 0\.\.1/);
    expect(() => weightedF1(labels([0]), labels([0]), 0)).toThrow(/classes = 0/);
  });
});

describe("weighted_f1 as a stored round metric", () => {
  const dataset: Dataset = {
    name: "toy",
    task: "multiclass",
    kind: "synthetic",
    classes: ["a", "b", "c"],
    shape: [1],
    pool: { x: { data: Float32Array.from([0, 1]), n: 2, c: 1 }, y: labels([0, 1]) },
    test: { x: { data: Float32Array.from([0, 1, 2, 3]), n: 4, c: 1 }, y: labels([0, 0, 1, 1]) },
    checksum: "toy",
  };
  // Argmax per row: 2, 0, 1, 1 — the second case above, weighted F1 = 5/6.
  const probs = { data: Float32Array.from([0.1, 0.2, 0.7, 0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.3, 0.6, 0.1]), n: 4, c: 3 };

  it("is left out of the default set, so runs that do not ask for it store what they stored before", () => {
    const out = createRoundMetrics(dataset).afterFit(probs, labels([0, 1]));
    expect(out.weighted_f1).toBeUndefined();
    expect(out.macro_f1).toBeCloseTo(5 / 9, 6);
  });

  it("is stored when the experiment's metrics list names it", () => {
    const out = createRoundMetrics(dataset, ["accuracy", "weighted_f1"]).afterFit(probs, labels([0, 1]));
    expect(Object.keys(out).sort()).toEqual(["accuracy", "weighted_f1"]);
    expect(out.weighted_f1).toBeCloseTo(5 / 6, 12);
    expect(out.accuracy).toBe(0.75);
  });
});
