import { describe, expect, it } from "vitest";
import { createRandom } from "../../../lib/al/random.ts";
import { averageRanks } from "../../../lib/al/stats/average-ranks.ts";
import { rankWithTies, tieGroupSizes } from "../../../lib/al/stats/ranks.ts";

describe("ranks with ties averaged", () => {
  it("by hand", () => {
    // sorted: 5 (rank 1), 10 (2), 20, 20 (ranks 3 and 4 → 3.5 each)
    expect(Array.from(rankWithTies([10, 20, 20, 5]))).toEqual([2, 3.5, 3.5, 1]);
    // descending: 20, 20 share ranks 1 and 2 → 1.5; 10 → 3; 5 → 4
    expect(Array.from(rankWithTies([10, 20, 20, 5], { descending: true }))).toEqual([3, 1.5, 1.5, 4]);
    // all tied: every rank is (1 + 2 + 3)/3 = 2
    expect(Array.from(rankWithTies([7, 7, 7]))).toEqual([2, 2, 2]);
    expect(tieGroupSizes([3, 1, 3, 2, 3, 1])).toEqual([2, 1, 3]); // 1×2, 2×1, 3×3
  });

  it("property: ranks sum to n(n+1)/2 and tied values share a rank, over seeded random inputs", () => {
    for (let seed = 0; seed < 50; seed++) {
      const random = createRandom(seed, "test", "ranks");
      const n = 1 + random.int(40);
      const values = Array.from({ length: n }, () => random.int(8)); // few distinct values ⇒ many ties
      const ranks = rankWithTies(values, { descending: seed % 2 === 1 });
      let sum = 0;
      for (const r of ranks) sum += r;
      expect(sum).toBe((n * (n + 1)) / 2);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (values[i] === values[j]) expect(ranks[i]).toBe(ranks[j]);
          // ascending ranks preserve the order of the values
          if (seed % 2 === 0 && values[i]! < values[j]!) expect(ranks[i]).toBeLessThan(ranks[j]!);
        }
      }
    }
  });

  it("rejects NaN", () => {
    expect(() => rankWithTies([1, Number.NaN])).toThrow(/rankWithTies: values\[1\] = NaN/);
  });
});

describe("average ranks over data sets", () => {
  it("by hand: rank 1 = best score, ties averaged per data set", () => {
    const scores = [
      [0.9, 0.8, 0.7], // ranks 1, 2, 3
      [0.6, 0.6, 0.9], // ranks 2.5, 2.5, 1
    ];
    // averages: (1 + 2.5)/2 = 1.75, (2 + 2.5)/2 = 2.25, (3 + 1)/2 = 2
    expect(Array.from(averageRanks(scores))).toEqual([1.75, 2.25, 2]);
    // lower is better flips the order within each row: [3, 2, 1] and [1.5, 1.5, 3]
    expect(Array.from(averageRanks(scores, { higherIsBetter: false }))).toEqual([2.25, 1.75, 2]);
  });

  it("rejects ragged or too-narrow tables", () => {
    expect(() => averageRanks([[1, 2], [1]])).toThrow(/row 1 has 1 scores but row 0 has 2/);
    expect(() => averageRanks([[1]])).toThrow(/pass at least 2 columns/);
    expect(() => averageRanks([])).toThrow(/no data sets/);
  });
});
