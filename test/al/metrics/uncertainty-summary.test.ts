import { describe, expect, it } from "vitest";
import { uncertaintySummary } from "../../../lib/al/metrics/uncertainty-summary.ts";

describe("uncertainty summary", () => {
  const scores = [0.1, 0.2, 0.55, 0.9, 1.0, 1.2];

  it("by hand over the whole array with the default [0, 1] range and 10 bins", () => {
    const s = uncertaintySummary(scores);
    // mean = 3.95/6; population variance = Σ(x − mean)²/6
    const mean = 3.95 / 6;
    const variance = scores.reduce((a, x) => a + (x - mean) ** 2, 0) / 6;
    expect(s.count).toBe(6);
    expect(s.mean).toBeCloseTo(mean, 14);
    expect(s.variance).toBeCloseTo(variance, 14);
    expect([s.min, s.max]).toEqual([0.1, 1.2]);
    // 0.1 → bin 1, 0.2 → bin 2, 0.55 → bin 5, 0.9 → bin 9 (floor(0.9/0.1) = 9), 1.0 → last bin (closed), 1.2 → above
    expect(s.histogram.counts).toEqual([0, 1, 1, 0, 0, 1, 0, 0, 0, 2]);
    expect([s.histogram.below, s.histogram.above]).toEqual([0, 1]);
  });

  it("of a batch (indices) and of the unlabelled pool (skip), with a custom range and bins", () => {
    // batch {2, 3}: 0.55, 0.9 → mean 0.725, variance 0.175² = 0.030625
    const batch = uncertaintySummary(scores, { indices: [2, 3], bins: 2 });
    expect(batch.mean).toBeCloseTo(0.725, 14);
    expect(batch.variance).toBeCloseTo(0.030625, 14);
    expect(batch.histogram.counts).toEqual([0, 2]); // bins [0, 0.5), [0.5, 1]
    // skip the labelled 0 and 5: 0.2, 0.55, 0.9, 1.0 over range [0, 2] in 4 bins of 0.5
    const pool = uncertaintySummary(scores, { skip: Uint8Array.from([1, 0, 0, 0, 0, 1]), range: [0, 2], bins: 4 });
    expect(pool.count).toBe(4);
    expect(pool.histogram.counts).toEqual([1, 2, 1, 0]); // 0.2 | 0.55, 0.9 | 1.0
    expect(pool.max).toBe(1);
  });

  it("rejects bad options and empty selections", () => {
    expect(() => uncertaintySummary(scores, { indices: [] })).toThrow(/no scores selected/);
    expect(() => uncertaintySummary(scores, { range: [1, 1] })).toThrow(/range = \[1, 1\]/);
    expect(() => uncertaintySummary(scores, { indices: [6] })).toThrow(/indices\[0\] = 6 is not an index/);
    expect(() => uncertaintySummary([Number.NaN])).toThrow(/scores\[0\] = NaN is not finite/);
    expect(() => uncertaintySummary(scores, { skip: new Uint8Array(2) })).toThrow(/skip has 2 entries/);
  });
});
