import { describe, expect, it } from "vitest";
import { accuracy } from "../../lib/al/metrics/accuracy.ts";
import { macroF1 } from "../../lib/al/metrics/macro-f1.ts";

const labels = (values: number[]): Int32Array => Int32Array.from(values);

describe("accuracy and macro-F1 on a hand-computed confusion matrix", () => {
  //            i: 0  1  2  3  4  5  6  7
  const truth = labels([0, 0, 0, 1, 1, 2, 2, 2]);
  const predicted = labels([0, 0, 1, 1, 2, 2, 2, 0]);
  // Confusion (rows = truth, cols = predicted):
  //   t0: [2, 1, 0]   t1: [0, 1, 1]   t2: [1, 0, 2]
  // class 0: TP 2, FP 1 (i7), FN 1 (i2) → F1 = 2·2 / (2·2 + 1 + 1) = 4/6 = 2/3
  // class 1: TP 1, FP 1 (i2), FN 1 (i4) → F1 = 2 / (2 + 1 + 1) = 1/2
  // class 2: TP 2, FP 1 (i4), FN 1 (i7) → F1 = 4/6 = 2/3
  // class 3 (classes = 4): in neither truth nor predictions → skipped
  // macro-F1 = (2/3 + 1/2 + 2/3) / 3 = (11/6) / 3 = 11/18 ≈ 0.6111
  // accuracy = correct {i0, i1, i3, i5, i6} = 5/8 = 0.625

  it("accuracy", () => {
    expect(accuracy(predicted, truth)).toBe(5 / 8);
  });

  it("macro-F1 skips a class absent from both truth and predictions", () => {
    expect(macroF1(predicted, truth, 4)).toBeCloseTo(11 / 18, 12);
    expect(macroF1(predicted, truth, 3)).toBeCloseTo(11 / 18, 12);
  });
});

describe("macro-F1 edge cases", () => {
  it("is 1 for perfect predictions and accuracy is 1", () => {
    const t = labels([0, 1, 2, 1]);
    expect(macroF1(t, t, 5)).toBe(1);
    expect(accuracy(t, t)).toBe(1);
  });

  it("counts a true class that is never predicted as F1 = 0", () => {
    // class 0: TP 1, FP 1 → 2/3; class 1: TP 0, FN 1 → 0; mean = 1/3
    expect(macroF1(labels([0, 0]), labels([0, 1]), 2)).toBeCloseTo(1 / 3, 12);
  });

  it("counts a class that is only predicted (never true) as F1 = 0", () => {
    // class 0: TP 1, FN 1 → 2/3; class 1: FP 1 → 0; mean = 1/3
    expect(macroF1(labels([0, 1]), labels([0, 0]), 2)).toBeCloseTo(1 / 3, 12);
  });

  it("is 0 when every prediction is wrong", () => {
    expect(macroF1(labels([1, 0]), labels([0, 1]), 2)).toBe(0);
    expect(accuracy(labels([1, 0]), labels([0, 1]))).toBe(0);
  });
});

describe("metric validation", () => {
  it("rejects mismatched lengths and empty input", () => {
    expect(() => accuracy(labels([0]), labels([0, 1]))).toThrow(/accuracy: predicted has 1 labels but truth has 2/);
    expect(() => macroF1(labels([0]), labels([0, 1]), 2)).toThrow(/macroF1: predicted has 1 labels/);
    expect(() => accuracy(labels([]), labels([]))).toThrow(/accuracy: no test points/);
    expect(() => macroF1(labels([]), labels([]), 2)).toThrow(/macroF1: no test points/);
  });

  it("rejects a bad class count or out-of-range labels", () => {
    expect(() => macroF1(labels([0]), labels([0]), 0)).toThrow(/classes = 0/);
    expect(() => macroF1(labels([0, 3]), labels([0, 1]), 3)).toThrow(/predicted\[1\] = 3 is outside 0..2/);
    expect(() => macroF1(labels([0, 1]), labels([-1, 1]), 3)).toThrow(/truth\[0\] = -1 is outside 0..2/);
  });
});
