import { describe, expect, it } from "vitest";
import { friedmanFromAverageRanks, friedmanTest } from "../../../lib/al/stats/friedman.ts";
import { nemenyiCriticalDifference, nemenyiQ } from "../../../lib/al/stats/nemenyi.ts";

describe("Friedman test: Demšar (2006) worked example", () => {
  // Demšar, JMLR 7:1–30 (2006), §3.2.2: C4.5, C4.5+m, C4.5+cf, C4.5+m+cf on N = 14 data sets,
  // average ranks 3.143, 2.000, 2.893, 1.964. Published: χ²_F = 9.28, F_F = 3.69, F(3, 39) critical
  // value 2.85 at α = 0.05, so the null hypothesis is rejected.
  //   χ²_F = 12·14/(4·5) · (3.143² + 2² + 2.893² + 1.964² − 4·5²/4) = 8.4 · (26.1052 − 25) = 9.28
  //   F_F = 13·9.28 / (14·3 − 9.28) = 3.69
  const r = friedmanFromAverageRanks([3.143, 2.0, 2.893, 1.964], 14);

  it("reproduces χ²_F = 9.28 and F_F = 3.69", () => {
    expect(r.chiSquare).toBeCloseTo(9.28, 2);
    expect(r.f).toBeCloseTo(3.69, 2);
    expect([r.chiSquareDf, r.fDf1, r.fDf2]).toEqual([3, 3, 39]);
    // scipy.stats.chi2.sf(9.2836296, 3) = 0.025748158001561782; f.sf(3.688892848578326, 3, 39) = 0.019767760040617754
    expect(r.chiSquareP).toBeCloseTo(0.025748158001561782, 10);
    expect(r.fP).toBeCloseTo(0.019767760040617754, 10);
    expect(r.fP).toBeLessThan(0.05);
  });

  it("Nemenyi CD for k = 4, N = 14: 1.25 at α = 0.05 and 1.12 at α = 0.10 (Demšar)", () => {
    // CD = 2.569 · √(4·5/(6·14)) = 2.569 · 0.48795 = 1.2535; 2.291 · 0.48795 = 1.1179
    expect(nemenyiCriticalDifference(4, 14)).toBeCloseTo(2.569 * Math.sqrt(20 / 84), 12);
    expect(nemenyiCriticalDifference(4, 14)).toBeCloseTo(1.25, 2);
    expect(nemenyiCriticalDifference(4, 14, { alpha: 0.1 })).toBeCloseTo(1.12, 2);
  });
});

describe("Friedman test on a full score table", () => {
  // 8 data sets × 4 samplers, with ties inside rows (rows 1, 3, 4, 8).
  const table = [
    [0.8, 0.82, 0.82, 0.75],
    [0.61, 0.66, 0.64, 0.6],
    [0.9, 0.9, 0.9, 0.88],
    [0.7, 0.74, 0.71, 0.74],
    [0.55, 0.59, 0.58, 0.52],
    [0.77, 0.79, 0.8, 0.76],
    [0.66, 0.7, 0.69, 0.63],
    [0.93, 0.95, 0.94, 0.95],
  ];

  it("average ranks, Demšar's χ²_F and Iman–Davenport F match independent scipy computations", () => {
    // scipy.stats.rankdata(-row) averaged: [3.125, 1.4375, 2.0625, 3.375]
    const r = friedmanTest(table);
    expect(Array.from(r.averageRanks)).toEqual([3.125, 1.4375, 2.0625, 3.375]);
    // 12·8/20 · (3.125² + 1.4375² + 2.0625² + 3.375² − 25) = 4.8 · 2.4765625 = 11.8875
    expect(r.chiSquare).toBeCloseTo(11.8875, 12);
    expect(r.chiSquareP).toBeCloseTo(0.007778643529927259, 12); // scipy.stats.chi2.sf(11.8875, 3)
    // F = 7·11.8875 / (8·3 − 11.8875) = 6.86996904…; scipy.stats.f.sf(F, 3, 21) = 0.002115477500229718
    expect(r.f).toBeCloseTo(6.8699690402476765, 12);
    expect(r.fP).toBeCloseTo(0.002115477500229718, 12);
  });

  it("with tieCorrection it equals scipy.stats.friedmanchisquare", () => {
    // scipy.stats.friedmanchisquare(*table.T): statistic 13.027397260273961, pvalue 0.004577730335626822
    const r = friedmanTest(table, { tieCorrection: true });
    expect(r.chiSquare).toBeCloseTo(13.027397260273961, 12);
    expect(r.chiSquareP).toBeCloseTo(0.004577730335626822, 12);
  });

  it("identical rankings on every data set: χ² = N(k − 1), F infinite, p = 0 for F", () => {
    const r = friedmanTest([
      [3, 2, 1],
      [30, 20, 10],
      [0.3, 0.2, 0.1],
    ]);
    expect(r.chiSquare).toBeCloseTo(6, 12); // 3·(3 − 1)
    expect(r.f).toBe(Infinity);
    expect(r.fP).toBe(0);
  });

  it("rejects too little data", () => {
    expect(() => friedmanTest([[1, 2]])).toThrow(/friedman: 1 data set\(s\); the test needs at least 2/);
    expect(() => friedmanTest([[1], [2]])).toThrow(/at least 2 columns/);
  });
});

describe("Nemenyi q table", () => {
  // Demšar (2006) Table 5; the issue lists q0.05. Independently:
  //   scipy.stats.studentized_range.ppf(1 − α, k, inf) / √2 for k = 2…10
  const fromScipy = {
    0.05: [1.95996, 2.3437, 2.56903, 2.72777, 2.84971, 2.94832, 3.03088, 3.10173, 3.16368],
    0.1: [1.64485, 2.05229, 2.29134, 2.45952, 2.58852, 2.69273, 2.77988, 2.85461, 2.91989],
  };
  const published005 = [1.96, 2.343, 2.569, 2.728, 2.85, 2.949, 3.031, 3.102, 3.164];

  it("q0.05 equals the published table and both alphas agree with the studentized range to 0.001", () => {
    for (let k = 2; k <= 10; k++) {
      expect(nemenyiQ(k)).toBe(published005[k - 2]);
      expect(Math.abs(nemenyiQ(k) - fromScipy[0.05][k - 2]!)).toBeLessThan(1e-3);
      expect(Math.abs(nemenyiQ(k, { alpha: 0.1 }) - fromScipy[0.1][k - 2]!)).toBeLessThan(1e-3);
      expect(nemenyiQ(k, { alpha: 0.1 })).toBeLessThan(nemenyiQ(k));
    }
  });

  it("CD = q·√(k(k+1)/(6N)) and rejects k outside the table", () => {
    // k = 10, N = 30: 3.164 · √(110/180) = 3.164 · 0.78174 = 2.4734
    expect(nemenyiCriticalDifference(10, 30)).toBeCloseTo(3.164 * Math.sqrt(110 / 180), 12);
    expect(() => nemenyiQ(11)).toThrow(/k = 11 samplers is outside the table \(2…10\)/);
    expect(() => nemenyiQ(1)).toThrow(/outside the table/);
    expect(() => nemenyiCriticalDifference(3, 0)).toThrow(/N = 0 data sets/);
  });
});
