import { describe, expect, it } from "vitest";
import { contradictionStop } from "../../../lib/al/stopping/contradiction-ratio.ts";
import { maxUncertaintyStop } from "../../../lib/al/stopping/max-uncertainty.ts";
import { overallUncertaintyStop } from "../../../lib/al/stopping/overall-uncertainty.ts";
import { selectedAccuracyStop } from "../../../lib/al/stopping/selected-accuracy.ts";
import { kappaSeries, stabilisingPredictionsStop } from "../../../lib/al/stopping/stabilising-predictions.ts";
import { uncertaintyVarianceStop } from "../../../lib/al/stopping/uncertainty-variance.ts";

// Per-round test accuracy of one run (rounds 0..6).
const quality = [0.5, 0.62, 0.7, 0.74, 0.76, 0.77, 0.78];

describe("stabilising predictions (Cohen's κ on a stop set)", () => {
  const p = (v: number[]): Int32Array => Int32Array.from(v);
  // stop-set predictions per round; rounds 4, 5, 6 repeat round 3's predictions
  const predictions = [
    p([0, 0, 0, 0, 1, 1, 1, 1]),
    p([0, 0, 1, 1, 1, 1, 0, 0]),
    p([0, 0, 0, 1, 1, 1, 1, 0]),
    p([0, 0, 0, 0, 1, 1, 1, 1]),
    p([0, 0, 0, 0, 1, 1, 1, 1]),
    p([0, 0, 0, 0, 1, 1, 1, 1]),
    p([0, 0, 0, 0, 1, 1, 1, 1]),
  ];

  it("κ series by hand", () => {
    // round 1 vs 0: agree on i0, i1, i4, i5 → p_o = 0.5; both 4/8 ones → p_e = 0.5 → κ = 0
    // round 2 vs 1: agree on i0, i1, i3, i4, i5, i7 → p_o = 0.75, p_e = 0.5 → κ = 0.5
    // round 3 vs 2: agree on all but i3, i7 → κ = 0.5; rounds 4–6: identical → κ = 1
    expect(kappaSeries(predictions)).toEqual([null, 0, 0.5, 0.5, 1, 1, 1]);
  });

  it("stops at the first round ending w rounds with κ ≥ threshold, and reports the loss", () => {
    // κ ≥ 0.99 at rounds 4, 5, 6 → with w = 3 stop at 6 (loses 0); with w = 2 at 5: 0.78 − 0.77
    expect(stabilisingPredictionsStop(predictions, quality)).toEqual({ stopRound: 6, lostPoints: 0 });
    const w2 = stabilisingPredictionsStop(predictions, quality, { window: 2 });
    expect(w2.stopRound).toBe(5);
    expect(w2.lostPoints).toBeCloseTo(0.01, 14);
    // threshold 0.5, w = 2: κ ≥ 0.5 at rounds 2 and 3 → stop at 3, losing 0.78 − 0.74
    const loose = stabilisingPredictionsStop(predictions, quality, { threshold: 0.5, window: 2 });
    expect(loose.stopRound).toBe(3);
    expect(loose.lostPoints).toBeCloseTo(0.04, 14);
    // never stable enough with w = 4
    expect(stabilisingPredictionsStop(predictions, quality, { window: 4 })).toEqual({ stopRound: null, lostPoints: null });
  });

  it("rejects a round count mismatch", () => {
    expect(() => stabilisingPredictionsStop(predictions.slice(1), quality)).toThrow(/predictions has 6 rounds but quality has 7/);
  });
});

describe("threshold rules", () => {
  it("max uncertainty: the batch's largest score ≤ threshold", () => {
    const maxU = [0.9, 0.8, 0.6, 0.45, 0.5, 0.4, 0.3];
    // ≤ 0.5 first at round 3 → lost 0.78 − 0.74 = 0.04; with w = 2: rounds 3, 4 → stop at 4, lost 0.02
    const r = maxUncertaintyStop(maxU, quality, { threshold: 0.5 });
    expect(r.stopRound).toBe(3);
    expect(r.lostPoints).toBeCloseTo(0.04, 14);
    expect(maxUncertaintyStop(maxU, quality, { threshold: 0.5, window: 2 }).stopRound).toBe(4);
    expect(maxUncertaintyStop(maxU, quality, { threshold: 0.1 })).toEqual({ stopRound: null, lostPoints: null });
    // the threshold is required: the score's scale depends on the sampler
    expect(() => maxUncertaintyStop(maxU, quality, {} as { threshold: number })).toThrow(/threshold = undefined must be a finite number/);
  });

  it("overall uncertainty: the pool's mean score ≤ threshold", () => {
    const poolMean = [0.4, 0.3, 0.25, 0.2, 0.15, 0.1, 0.08];
    expect(overallUncertaintyStop(poolMean, quality, { threshold: 0.15 }).stopRound).toBe(4);
    expect(() => overallUncertaintyStop(poolMean.slice(1), quality, { threshold: 0.1 })).toThrow(/poolUncertainty has 6 rounds but quality has 7/);
  });

  it("contradiction ratio: C(t) ≤ threshold for w rounds, null at round 0 never counts", () => {
    const c = [null, 0.2, 0.05, 0.015, 0.03, 0.01, 0.02];
    // default threshold 0.02, w = 2: low at 3, 5, 6 → first pair of consecutive lows ends at 6
    expect(contradictionStop(c, quality)).toEqual({ stopRound: 6, lostPoints: 0 });
    // w = 1 → round 3
    expect(contradictionStop(c, quality, { window: 1 }).stopRound).toBe(3);
    expect(() => contradictionStop([null, Number.NaN, 0, 0, 0, 0, 0], quality)).toThrow(/contradiction\[1\] = NaN is not a finite number/);
  });

  it("selected accuracy: accuracy on the selected batch ≥ threshold", () => {
    const batchAcc = [null, 0.3, 0.5, 0.7, 0.92, 0.88, 0.95];
    // default 0.9: round 4 → lost 0.78 − 0.76 = 0.02
    const r = selectedAccuracyStop(batchAcc, quality);
    expect(r.stopRound).toBe(4);
    expect(r.lostPoints).toBeCloseTo(0.02, 14);
    expect(selectedAccuracyStop(batchAcc, quality, { window: 2 }).stopRound).toBeNull(); // 0.88 breaks the run
  });
});

describe("variance of selected-batch uncertainty", () => {
  it("stops once the variance has fallen for w consecutive rounds", () => {
    const v = [0.02, 0.03, 0.025, 0.028, 0.02, 0.015, 0.01];
    // decreases at rounds 2, 4, 5, 6 → w = 3 ends at 6; w = 2 at 5; w = 1 at 2
    expect(uncertaintyVarianceStop(v, quality).stopRound).toBe(6);
    expect(uncertaintyVarianceStop(v, quality, { window: 2 }).stopRound).toBe(5);
    const w1 = uncertaintyVarianceStop(v, quality, { window: 1 });
    expect(w1.stopRound).toBe(2);
    expect(w1.lostPoints).toBeCloseTo(0.08, 14); // 0.78 − 0.70
    // a null round interrupts the run
    expect(uncertaintyVarianceStop([0.03, 0.02, null, 0.01, 0.005, 0.004, 0.003], quality).stopRound).toBe(6);
    expect(() => uncertaintyVarianceStop(v, quality, { window: 0 })).toThrow(/window = 0 must be a whole number ≥ 1/);
  });
});
