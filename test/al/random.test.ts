import { describe, expect, it } from "vitest";
import { createRandom, fromState, permutation } from "../../lib/al/random.ts";

const draws = (seed: number, labels: Array<string | number>, count: number): number[] => {
  const r = createRandom(seed, ...labels);
  return Array.from({ length: count }, () => r.uint32());
};

describe("seeded random", () => {
  it("gives the same stream for the same seed and labels", () => {
    expect(draws(7, ["round", 3], 50)).toEqual(draws(7, ["round", 3], 50));
  });

  it("gives different streams for different labels or seeds", () => {
    const base = draws(7, ["round", 3], 50);
    expect(draws(7, ["round", 4], 50)).not.toEqual(base);
    expect(draws(7, ["shuffle", 3], 50)).not.toEqual(base);
    expect(draws(8, ["round", 3], 50)).not.toEqual(base);
  });

  it("round-trips state() through fromState", () => {
    const r = createRandom(1, "state");
    for (let i = 0; i < 10; i++) r.next();
    const resumed = fromState(r.state());
    const a = Array.from({ length: 20 }, () => r.uint32());
    const b = Array.from({ length: 20 }, () => resumed.uint32());
    expect(b).toEqual(a);
  });

  it("keeps next() in [0, 1)", () => {
    const r = createRandom(2, "next");
    for (let i = 0; i < 10_000; i++) {
      const v = r.next();
      expect(v >= 0 && v < 1).toBe(true);
    }
  });

  it("draws int(n) in range and roughly uniformly (chi-square over 100k draws)", () => {
    const r = createRandom(3, "int");
    const bins = 10;
    const count = 100_000;
    const observed = new Array<number>(bins).fill(0);
    for (let i = 0; i < count; i++) {
      const v = r.int(bins);
      expect(Number.isInteger(v) && v >= 0 && v < bins).toBe(true);
      observed[v]!++;
    }
    const expected = count / bins;
    const chi2 = observed.reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: P(χ² > 27.88) = 0.001 for a uniform generator.
    expect(chi2).toBeLessThan(27.88);
  });

  it("rejects a non-positive or fractional int(n)", () => {
    const r = createRandom(4);
    expect(() => r.int(0)).toThrow(/positive integer/);
    expect(() => r.int(2.5)).toThrow(/positive integer/);
  });

  it("returns a permutation of 0..n-1", () => {
    for (const n of [0, 1, 2, 17, 1000]) {
      const p = permutation(n, createRandom(5, "perm", n));
      expect(p.length).toBe(n);
      expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
    // And it actually shuffles.
    expect(Array.from(permutation(100, createRandom(5, "perm")))).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
