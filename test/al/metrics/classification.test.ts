import { describe, expect, it } from "vitest";
import type { Matrix } from "../../../lib/al/matrix.ts";
import { accuracy } from "../../../lib/al/metrics/accuracy.ts";
import { expectedCalibrationError } from "../../../lib/al/metrics/expected-calibration-error.ts";
import { logLoss } from "../../../lib/al/metrics/log-loss.ts";
import { microF1, multilabelMicroF1 } from "../../../lib/al/metrics/micro-f1.ts";
import { perClassRecall } from "../../../lib/al/metrics/per-class-recall.ts";
import { createRandom } from "../../../lib/al/random.ts";

const m = (rows: number[][]): Matrix => ({ data: Float32Array.from(rows.flat()), n: rows.length, c: rows[0]!.length });
const labels = (v: number[]): Int32Array => Int32Array.from(v);

describe("micro-F1", () => {
  it("single-label: by hand, and equal to accuracy (every error is one FP and one FN)", () => {
    // truth 0 0 1 2, predicted 0 1 1 1: TP = 2, FP = 2, FN = 2 → 4/(4 + 2 + 2) = 0.5 = accuracy 2/4
    expect(microF1(labels([0, 1, 1, 1]), labels([0, 0, 1, 2]))).toBe(0.5);
    for (let seed = 0; seed < 20; seed++) {
      const random = createRandom(seed, "test", "micro-f1");
      const n = 1 + random.int(50);
      const t = Int32Array.from({ length: n }, () => random.int(4));
      const p = Int32Array.from({ length: n }, () => random.int(4));
      expect(microF1(p, t)).toBeCloseTo(accuracy(p, t), 14);
    }
  });

  it("multi-label by hand", () => {
    const truth = m([
      [1, 0, 1],
      [0, 1, 0],
    ]);
    const predicted = m([
      [1, 1, 0],
      [0, 1, 0],
    ]);
    // TP: (0,0), (1,1) = 2; FP: (0,1) = 1; FN: (0,2) = 1 → 4/(4 + 1 + 1) = 2/3
    expect(multilabelMicroF1(predicted, truth)).toBeCloseTo(2 / 3, 14);
    // sigmoid outputs are thresholded at 0.5
    expect(multilabelMicroF1(m([[0.9, 0.7, 0.2], [0.1, 0.6, 0.4]]), truth)).toBeCloseTo(2 / 3, 6);
    expect(multilabelMicroF1(m([[0, 0]]), m([[0, 0]]))).toBe(1);
    expect(() => multilabelMicroF1(m([[1, 0]]), truth)).toThrow(/predicted has 1 rows but 2 were expected/);
  });
});

describe("log loss", () => {
  it("by hand, with the clip at epsilon", () => {
    // −ln 0.5 − ln 0.25 = ln 2 + ln 4 = 3 ln 2, mean 1.5 ln 2
    const probs = m([
      [0.5, 0.5, 0],
      [0.25, 0.5, 0.25],
    ]);
    expect(logLoss(probs, labels([0, 2]))).toBeCloseTo(1.5 * Math.LN2, 6);
    // true class with probability 0 costs −ln(1e-7) = 7 ln 10
    expect(logLoss(probs, labels([2, 1]))).toBeCloseTo((7 * Math.LN10 + Math.LN2) / 2, 6);
    expect(logLoss(probs, labels([2, 1]), { epsilon: 1e-3 })).toBeCloseTo((3 * Math.LN10 + Math.LN2) / 2, 6);
    expect(logLoss(m([[1, 0]]), labels([0]))).toBe(0);
  });

  it("rejects bad input", () => {
    expect(() => logLoss(m([[0.5, 0.5]]), labels([2]))).toThrow(/truth\[0\] = 2 is outside 0..1/);
    expect(() => logLoss(m([[0.5, 0.5]]), labels([0]), { epsilon: 0 })).toThrow(/epsilon = 0/);
    expect(() => logLoss(m([[0.5, 0.5]]), labels([]))).toThrow(/no test points/);
  });
});

describe("expected calibration error", () => {
  it("by hand with 4 bins", () => {
    // top confidences (exact in float32): 0.875, 0.875, 0.625, 0.375 (c = 3 rows allow < 0.5)
    // bins (right-closed, width 0.25): 0.875 → (0.75, 1], 0.625 → (0.5, 0.75], 0.375 → (0.25, 0.5]
    // bin (0.75, 1]: 2 points, one right → |1 − 1.75| / 4 = 0.1875
    // bin (0.5, 0.75]: 1 point, right → |1 − 0.625| / 4 = 0.09375
    // bin (0.25, 0.5]: 1 point, wrong → |0 − 0.375| / 4 = 0.09375
    // ECE = 0.375
    const probs = m([
      [0.875, 0.125, 0],
      [0.875, 0, 0.125],
      [0.25, 0.625, 0.125],
      [0.375, 0.3125, 0.3125],
    ]);
    expect(expectedCalibrationError(probs, labels([0, 1, 1, 2]), { bins: 4 })).toBeCloseTo(0.375, 12);
    // with 1 bin: |2 correct − 2.75 confidence| / 4 = 0.1875
    expect(expectedCalibrationError(probs, labels([0, 1, 1, 2]), { bins: 1 })).toBeCloseTo(0.1875, 12);
  });

  it("is 0 for a perfectly calibrated one-hot model and bounded by 1", () => {
    expect(expectedCalibrationError(m([[1, 0], [0, 1]]), labels([0, 1]))).toBe(0);
    expect(expectedCalibrationError(m([[1, 0], [0, 1]]), labels([1, 0]))).toBe(1);
    expect(() => expectedCalibrationError(m([[1, 0]]), labels([0]), { bins: 0 })).toThrow(/bins = 0/);
  });
});

describe("per-class recall", () => {
  it("by hand, null for a class absent from the test set", () => {
    // truth 0 0 0 1 1 2, predicted 0 0 1 1 0 2: class 0 2/3, class 1 1/2, class 2 1/1, class 3 absent
    const r = perClassRecall(labels([0, 0, 1, 1, 0, 2]), labels([0, 0, 0, 1, 1, 2]), 4);
    expect(r[0]).toBeCloseTo(2 / 3, 14);
    expect(r.slice(1)).toEqual([0.5, 1, null]);
    expect(() => perClassRecall(labels([5]), labels([0]), 4)).toThrow(/predicted\[0\] = 5 is outside 0..3/);
  });
});
