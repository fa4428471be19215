import { describe, expect, it } from "vitest";
import { createRandom } from "../../../lib/al/random.ts";
import { cohenKappa } from "../../../lib/al/stats/cohen-kappa.ts";
import { kendallTau } from "../../../lib/al/stats/kendall-tau.ts";
import { winTieLoss } from "../../../lib/al/stats/win-tie-loss.ts";

const labels = (v: number[]): Int32Array => Int32Array.from(v);

describe("Cohen's κ", () => {
  it("by hand on a 2×2 table", () => {
    // a: 1 1 1 1 1 1 0 0 0 0, b: 1 1 1 1 0 0 1 0 0 0
    // agree on 4 ones + 3 zeros = 7/10 → p_o = 0.7
    // p_a(1) = 0.6, p_b(1) = 0.5 → p_e = 0.6·0.5 + 0.4·0.5 = 0.5
    // κ = (0.7 − 0.5)/(1 − 0.5) = 0.4
    const a = labels([1, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
    const b = labels([1, 1, 1, 1, 0, 0, 1, 0, 0, 0]);
    expect(cohenKappa(a, b)).toBeCloseTo(0.4, 14);
    expect(cohenKappa(b, a)).toBeCloseTo(0.4, 14);
  });

  it("by hand with three classes and a class only one labeling uses", () => {
    // a: 0 0 1 1 2 2, b: 0 1 1 1 2 0 → agree on i0, i2, i3, i4: p_o = 4/6
    // p_a = (2, 2, 2)/6, p_b = (2, 3, 1)/6 → p_e = (4 + 6 + 2)/36 = 1/3
    // κ = (2/3 − 1/3)/(1 − 1/3) = 1/2
    expect(cohenKappa(labels([0, 0, 1, 1, 2, 2]), labels([0, 1, 1, 1, 2, 0]))).toBeCloseTo(0.5, 14);
    // complete disagreement on balanced binary labels: p_o = 0, p_e = 0.5 → κ = −1
    expect(cohenKappa(labels([0, 1, 0, 1]), labels([1, 0, 1, 0]))).toBeCloseTo(-1, 14);
  });

  it("property: κ = 1 on identical predictions, including one constant class", () => {
    for (let seed = 0; seed < 20; seed++) {
      const random = createRandom(seed, "test", "kappa");
      const p = Int32Array.from({ length: 1 + random.int(50) }, () => random.int(1 + (seed % 5)));
      expect(cohenKappa(p, Int32Array.from(p))).toBe(1);
    }
    expect(cohenKappa(labels([3, 3, 3]), labels([3, 3, 3]))).toBe(1);
  });

  it("rejects mismatched or negative labels", () => {
    expect(() => cohenKappa(labels([0]), labels([0, 1]))).toThrow(/a has 1 labels but b has 2/);
    expect(() => cohenKappa(labels([-1]), labels([0]))).toThrow(/a\[0\] = -1 is negative/);
    expect(() => cohenKappa(labels([]), labels([]))).toThrow(/no points/);
  });
});

describe("Kendall τ-b", () => {
  it("by hand without ties", () => {
    // a = 1 2 3 4, b = 1 3 2 4: 6 pairs, one discordant (2,3) → (5 − 1)/6 = 2/3
    expect(kendallTau([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(2 / 3, 14);
    expect(kendallTau([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 14);
  });

  it("by hand with ties, and against scipy.stats.kendalltau", () => {
    // a = 3.1 2.0 2.9 1.96, b = 2.5 1.5 3.5 1.5 (average ranks of two experiments)
    // pairs (i<j): (0,1) C, (0,2) D, (0,3) C, (1,2) C, (1,3) tied in b, (2,3) C → C = 4, D = 1
    // n0 = 6, ties in a: 0, in b: 1 → τ_b = 3/√(6·5) = 0.547722557…
    expect(kendallTau([3.1, 2.0, 2.9, 1.96], [2.5, 1.5, 3.5, 1.5])).toBeCloseTo(3 / Math.sqrt(30), 14);
    // scipy.stats.kendalltau([1,2,2,3,4,5,5,6], [2,1,3,3,5,4,6,6]).statistic = 0.7692307692307694
    expect(kendallTau([1, 2, 2, 3, 4, 5, 5, 6], [2, 1, 3, 3, 5, 4, 6, 6])).toBeCloseTo(0.7692307692307694, 14);
  });

  it("identical rankings with ties score 1; a constant ranking has no τ", () => {
    expect(kendallTau([1, 2, 2, 3], [1, 2, 2, 3])).toBeCloseTo(1, 14);
    expect(kendallTau([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(() => kendallTau([1], [1])).toThrow(/at least 2 items/);
  });
});

describe("win/tie/loss", () => {
  it("counts from a's side with a tolerance", () => {
    const a = [0.8, 0.7, 0.9, 0.5, 0.6];
    const b = [0.7, 0.7, 0.95, 0.5005, 0.4];
    // diffs: +0.1 win, 0 tie, −0.05 loss, −0.0005 loss (tie with tolerance 0.001), +0.2 win
    expect(winTieLoss(a, b)).toEqual({ wins: 2, ties: 1, losses: 2 });
    expect(winTieLoss(a, b, { tolerance: 0.001 })).toEqual({ wins: 2, ties: 2, losses: 1 });
    expect(winTieLoss(a, b, { higherIsBetter: false })).toEqual({ wins: 2, ties: 1, losses: 2 });
    expect(winTieLoss([1, 2, 3], [0, 3, 3], { higherIsBetter: false })).toEqual({ wins: 1, ties: 1, losses: 1 });
  });
});
