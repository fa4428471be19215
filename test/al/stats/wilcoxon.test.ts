import { describe, expect, it } from "vitest";
import { wilcoxonSignedRank } from "../../../lib/al/stats/wilcoxon.ts";

/** Exact two-sided p by enumerating all 2^n sign patterns of the given ranks (independent of the DP). */
function bruteForceP(ranks: number[], observed: number, fixed = 0): number {
  const n = ranks.length;
  const total = ranks.reduce((a, b) => a + b, 0) + 2 * fixed;
  const mean = total / 2;
  let extreme = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let w = fixed;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) w += ranks[i]!;
    if (Math.abs(w - mean) >= Math.abs(observed - mean) - 1e-9) extreme++;
  }
  return extreme / 2 ** n;
}

describe("Wilcoxon signed-rank: Demšar (2006) worked example", () => {
  // Demšar, "Statistical Comparisons of Classifiers over Multiple Data Sets", JMLR 7:1–30 (2006),
  // §3.1.3: AUC of C4.5+m minus C4.5 on 14 data sets, here in thousandths (scaling does not
  // change ranks). Two zero differences (lung cancer, mushroom) share ranks 1 and 2 (1.5 each);
  // |±5| share 3 and 4. Demšar splits the zero ranks evenly and reports R+ = 93, R− = 12;
  // T = min = 12 ≤ 21, the critical value for N = 14 at α = 0.05: significant.
  //   positive ranks: 3.5 + 9 + 12 + 5 + 6 + 14 + 11 + 13 + 8 + 10 = 91.5, + 1.5 (half of 1.5 + 1.5) = 93
  //   negative ranks: 7 + 3.5 = 10.5, + 1.5 = 12
  const differences = [5, -8, 17, 33, 6, -5, 7, 0, 63, 0, 22, 47, 9, 21];
  const zeros = differences.map(() => 0);

  it("zsplit reproduces R+ = 93, R− = 12 and a p below 0.05", () => {
    const r = wilcoxonSignedRank(differences, zeros, { zeroMethod: "zsplit" });
    expect(r.wPlus).toBe(93);
    expect(r.wMinus).toBe(12);
    expect(r.statistic).toBe(12);
    expect(r.zeros).toBe(2);
    expect(r.ranked).toBe(14);
    expect(r.method).toBe("exact");
    expect(r.note).toMatch(/2 zero difference\(s\) ranked and split evenly between W\+ and W− \(Demšar\)/);
    // exact null over all 14 ranks (zeros signed at random), checked by enumerating 2^14 patterns
    const ranks = [3.5, 7, 9, 12, 5, 3.5, 6, 1.5, 14, 1.5, 11, 13, 8, 10];
    expect(r.pValue).toBeCloseTo(bruteForceP(ranks, 93), 12);
    expect(r.pValue).toBeLessThan(0.05);
  });

  it("zsplit normal approximation matches scipy", () => {
    // scipy.stats.wilcoxon(d, zero_method="zsplit", method="approx", correction=True):
    //   statistic 12.0, zstatistic −2.5122971720853107, pvalue 0.011994803418993165
    // by hand: (|93 − 52.5| − ½) / √(Σr²/4) = 40 / √253.5 = 2.5123 (253.5 = 14·15·29/24 − (6 + 6)/48)
    const r = wilcoxonSignedRank(differences, zeros, { zeroMethod: "zsplit", method: "normal" });
    expect(r.z).toBeCloseTo(2.5122971720853107, 12); // sign: W+ above its mean
    expect(r.pValue).toBeCloseTo(0.011994803418993165, 12);
    expect(r.note).toMatch(/normal approximation with tie correction and continuity correction/);
  });

  it("wilcox and pratt handle the zeros as stated and match scipy's normal approximation", () => {
    const wilcox = wilcoxonSignedRank(differences, zeros, { method: "normal" });
    expect(wilcox.ranked).toBe(12); // two zeros dropped before ranking
    expect(wilcox.statistic).toBe(6.5); // scipy: 6.5
    expect(wilcox.pValue).toBeCloseTo(0.012030358470209076, 12);
    expect(wilcox.note).toMatch(/2 zero difference\(s\) dropped before ranking \(Wilcoxon\)/);
    const pratt = wilcoxonSignedRank(differences, zeros, { zeroMethod: "pratt", method: "normal" });
    expect(pratt.statistic).toBe(10.5); // scipy: 10.5
    expect(pratt.pValue).toBeCloseTo(0.01180600450285098, 12);
    expect(pratt.note).toMatch(/ranked, then dropped \(Pratt\)/);
  });
});

describe("Wilcoxon signed-rank: Hollander & Wolfe depression data", () => {
  // Hollander & Wolfe, Nonparametric Statistical Methods (1973), p. 29: Hamilton depression scale
  // before (x) and after (y) tranquilizer, 9 patients; no ties, no zeros. The published results
  // (also R's wilcox.test example): V = W+ = 40, one-sided p = 0.01953 (= 10/512), two-sided 0.03906.
  const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
  const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];

  it("exact p-values", () => {
    const two = wilcoxonSignedRank(x, y);
    expect(two.method).toBe("exact");
    expect(two.wPlus).toBe(40);
    expect(two.wMinus).toBe(5); // 45 − 40
    expect(two.pValue).toBeCloseTo(0.0390625, 14);
    expect(wilcoxonSignedRank(x, y, { alternative: "greater" }).pValue).toBeCloseTo(10 / 512, 14);
    // "less" is the other tail: P(W+ ≤ 40) = 1 − P(W+ ≥ 41) = 1 − (10 − 3)/512, since W+ = 40 has
    // as many sign patterns as W+ = 45 − 40 = 5: {5}, {1, 4}, {2, 3}.
    expect(wilcoxonSignedRank(x, y, { alternative: "less" }).pValue).toBeCloseTo(1 - 7 / 512, 14);
  });

  it("normal approximation matches scipy (method='approx', correction=True): 0.04401098401295143", () => {
    expect(wilcoxonSignedRank(x, y, { method: "normal" }).pValue).toBeCloseTo(0.04401098401295143, 12);
  });
});

describe("Wilcoxon signed-rank: large sample with ties and zeros", () => {
  // a_i = 7i mod 13, b_i = 5i mod 11 for i = 0..59: 4 zero differences, many tied |d|.
  const a = Array.from({ length: 60 }, (_, i) => (i * 7) % 13);
  const b = Array.from({ length: 60 }, (_, i) => (i * 5) % 11);

  it("uses the normal approximation above 50 ranks and matches scipy for every zero method", () => {
    // scipy.stats.wilcoxon(a, b, zero_method=..., method="approx", correction=True)
    const expected = { wilcox: 0.29206759343879973, pratt: 0.2851819262888128, zsplit: 0.28526369427775133 } as const;
    for (const zeroMethod of ["wilcox", "pratt", "zsplit"] as const) {
      const r = wilcoxonSignedRank(a, b, { zeroMethod });
      expect(r.method).toBe("normal");
      expect(r.pValue).toBeCloseTo(expected[zeroMethod], 12);
    }
    const w = wilcoxonSignedRank(a, b);
    expect(w.zeros).toBe(4);
    expect([w.wPlus, w.wMinus]).toEqual([927.5, 668.5]); // scipy rank sums over the 56 nonzero |d|
    expect(wilcoxonSignedRank(a, b, { continuity: false }).pValue).toBeCloseTo(0.2902011629446568, 12);
    expect(wilcoxonSignedRank(a, b, { alternative: "greater" }).pValue).toBeCloseTo(0.14603379671939987, 12);
    expect(wilcoxonSignedRank(a, b, { alternative: "less" }).pValue).toBeCloseTo(0.8558286116752005, 12);
  });

  it("the exact distribution with tied ranks agrees with brute force on a small tied case", () => {
    // |d| = 1, 1, 2, 3, 3: ranks 1.5, 1.5, 3, 4.5, 4.5; W+ = 1.5 (d = 1) + 3 + 4.5 + 4.5 = 13.5
    const r = wilcoxonSignedRank([1, -1, 2, 3, 3], [0, 0, 0, 0, 0]);
    expect(r.wPlus).toBe(13.5);
    expect(r.wMinus).toBe(1.5);
    expect(r.pValue).toBeCloseTo(bruteForceP([1.5, 1.5, 3, 4.5, 4.5], 13.5), 14);
    expect(r.note).toMatch(/conditional on the tied ranks/);
  });

  it("all-zero differences give p = 1 and say why", () => {
    const r = wilcoxonSignedRank([1, 2], [1, 2]);
    expect(r.pValue).toBe(1);
    expect(r.note).toMatch(/every difference is zero/);
  });

  it("rejects unpaired input", () => {
    expect(() => wilcoxonSignedRank([1, 2], [1])).toThrow(/a has 2 values but b has 1/);
    expect(() => wilcoxonSignedRank([], [])).toThrow(/no pairs/);
    const many = Array.from({ length: 1001 }, (_, i) => i + 1);
    expect(() => wilcoxonSignedRank(many, many.map(() => 0), { method: "exact" })).toThrow(/1001 ranks is too large; use method "normal"/);
  });
});
