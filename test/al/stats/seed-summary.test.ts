import { describe, expect, it } from "vitest";
import { bootstrapCi } from "../../../lib/al/stats/bootstrap-ci.ts";
import { seedSummary } from "../../../lib/al/stats/seed-summary.ts";
import { createRandom } from "../../../lib/al/random.ts";

describe("seed summary", () => {
  it("mean, sample sd and sem by hand", () => {
    // [0.7, 0.8, 0.9]: mean 0.8; squared deviations 0.01 + 0 + 0.01 = 0.02; sd = √(0.02/2) = 0.1; sem = 0.1/√3
    const s = seedSummary([0.7, 0.8, 0.9]);
    expect(s.n).toBe(3);
    expect(s.mean).toBeCloseTo(0.8, 14);
    expect(s.sd).toBeCloseTo(0.1, 14);
    expect(s.sem).toBeCloseTo(0.1 / Math.sqrt(3), 14);
  });

  it("a single seed has no spread: sd and sem are null, not 0", () => {
    expect(seedSummary([0.42])).toEqual({ n: 1, mean: 0.42, sd: null, sem: null });
  });

  it("rejects empty input and non-finite values", () => {
    expect(() => seedSummary([])).toThrow(/seedSummary: no values/);
    expect(() => seedSummary([0.5, Number.NaN])).toThrow(/seedSummary: values\[1\] = NaN is not a finite number/);
  });
});

describe("percentile bootstrap CI", () => {
  const values = [0.81, 0.79, 0.84, 0.8, 0.83];

  it("is deterministic for a seed and changes with the seed", () => {
    const a = bootstrapCi(values, { seed: 7 });
    const b = bootstrapCi(values, { seed: 7 });
    expect(b).toEqual(a);
    // Five values have few distinct resample means, so quantiles can coincide across seeds; with
    // 30 continuous values and 200 resamples they cannot plausibly.
    const random = createRandom(5, "test", "bootstrap-seeds");
    const many = Array.from({ length: 30 }, () => random.next());
    const s7 = bootstrapCi(many, { seed: 7, resamples: 200 });
    expect(bootstrapCi(many, { seed: 7, resamples: 200 })).toEqual(s7);
    expect(bootstrapCi(many, { seed: 8, resamples: 200 }).lo).not.toBe(s7.lo);
    expect(a.estimate).toBeCloseTo(0.814, 12); // (0.81 + 0.79 + 0.84 + 0.80 + 0.83) / 5 = 4.07 / 5
    expect(a.lo).toBeLessThanOrEqual(a.estimate);
    expect(a.hi).toBeGreaterThanOrEqual(a.estimate);
    // every resampled mean lies between the smallest and largest value
    expect(a.lo).toBeGreaterThanOrEqual(0.79);
    expect(a.hi).toBeLessThanOrEqual(0.84);
  });

  it("a constant sample (or one seed) gives a zero-width interval at that value", () => {
    expect(bootstrapCi([0.5, 0.5, 0.5], { seed: 1 })).toMatchObject({ estimate: 0.5, lo: 0.5, hi: 0.5 });
    expect(bootstrapCi([0.3], { seed: 1 })).toMatchObject({ lo: 0.3, hi: 0.3 });
  });

  it("for a large normal sample the 95% CI of the mean is close to mean ± 1.96·sd/√n", () => {
    const random = createRandom(3, "test", "bootstrap-normal");
    const xs = Array.from({ length: 400 }, () => 10 + 2 * random.normal());
    const { mean, sem } = seedSummary(xs);
    const ci = bootstrapCi(xs, { seed: 11, resamples: 4000 });
    const half = 1.96 * sem!;
    // The bootstrap uses the n-denominator sd, √(399/400) ≈ 0.999 of sem; Monte Carlo error of a
    // 2.5 % quantile with 4000 resamples is a few percent of the half-width.
    expect(Math.abs(ci.lo - (mean - half))).toBeLessThan(0.1 * half);
    expect(Math.abs(ci.hi - (mean + half))).toBeLessThan(0.1 * half);
  });

  it("uses a custom statistic and level", () => {
    const median = (s: Float64Array): number => Float64Array.from(s).sort()[Math.floor(s.length / 2)]!;
    const ci = bootstrapCi([1, 2, 3, 4, 100], { seed: 2, statistic: median, level: 0.5 });
    expect(ci.estimate).toBe(3);
    expect(ci.level).toBe(0.5);
    expect(ci.hi).toBeLessThan(100); // the median ignores the outlier unless it is resampled thrice
  });

  it("rejects bad options", () => {
    expect(() => bootstrapCi([], { seed: 1 })).toThrow(/no values/);
    expect(() => bootstrapCi([1], { seed: 1.5 })).toThrow(/seed = 1.5 must be an integer/);
    expect(() => bootstrapCi([1], { seed: 1, level: 1 })).toThrow(/level = 1 must lie strictly between 0 and 1/);
    expect(() => bootstrapCi([1], { seed: 1, resamples: 0 })).toThrow(/resamples = 0/);
  });
});
