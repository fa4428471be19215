import { describe, expect, it } from "vitest";
import { normalisedArea } from "../../../lib/al/curves/area-under-curve.ts";
import { finalValue } from "../../../lib/al/curves/final-value.ts";
import { gapToBaseline } from "../../../lib/al/curves/gap-to-baseline.ts";
import { labelsToReach } from "../../../lib/al/curves/labels-to-reach.ts";

// A learning curve: labelled counts and accuracies.
const labelled = [50, 100, 200, 400];
const accuracy = [0.5, 0.6, 0.7, 0.8];

describe("normalised area under the learning curve", () => {
  it("by hand: trapezoids divided by the x range", () => {
    // 50·(0.5 + 0.6)/2 = 27.5; 100·(0.6 + 0.7)/2 = 65; 200·(0.7 + 0.8)/2 = 150 → 242.5 / 350 = 0.692857…
    expect(normalisedArea(labelled, accuracy)).toBeCloseTo(242.5 / 350, 14);
    // a flat curve's normalised area is its height
    expect(normalisedArea([10, 20, 70], [0.3, 0.3, 0.3])).toBeCloseTo(0.3, 14);
  });

  it("over a sub-range, interpolating at the ends", () => {
    // [75, 300]: y(75) = 0.55, y(300) = 0.75; pieces 75→100: 25·(0.55 + 0.6)/2 = 14.375;
    // 100→200: 65; 200→300: 100·(0.7 + 0.75)/2 = 72.5 → 151.875 / 225 = 0.675
    expect(normalisedArea(labelled, accuracy, { from: 75, to: 300 })).toBeCloseTo(0.675, 14);
    expect(() => normalisedArea(labelled, accuracy, { from: 10 })).toThrow(/range \[10, 400\] must satisfy 50 ≤ from < to ≤ 400/);
  });

  it("rejects unordered or short curves", () => {
    expect(() => normalisedArea([50], [0.5])).toThrow(/needs at least 2 rounds/);
    expect(() => normalisedArea([50, 50], [0.5, 0.6])).toThrow(/labelled\[1\] = 50 does not exceed labelled\[0\] = 50/);
    expect(() => normalisedArea([50, 60], [0.5])).toThrow(/2 labelled counts but 1 values/);
    expect(() => normalisedArea([50, 60], [0.5, Number.NaN])).toThrow(/values\[1\] = NaN is not finite/);
  });
});

describe("labels to reach a target", () => {
  it("interpolates between the rounds around the first crossing", () => {
    // 0.65 lies between (100, 0.6) and (200, 0.7): 100 + (0.05/0.1)·100 = 150
    expect(labelsToReach(labelled, accuracy, 0.65)).toBeCloseTo(150, 10);
    expect(labelsToReach(labelled, accuracy, 0.8)).toBe(400); // reached exactly at the last round
    expect(labelsToReach(labelled, accuracy, 0.4)).toBe(50); // already there at the start
  });

  it("returns null when the target is never reached, and uses the first crossing of a non-monotone curve", () => {
    expect(labelsToReach(labelled, accuracy, 0.81)).toBeNull();
    // 0.6 → 0.75 → 0.7 → 0.9: target 0.72 first crossed between 100 and 200: 100 + (0.12/0.15)·100 = 180
    expect(labelsToReach([100, 200, 300, 400], [0.6, 0.75, 0.7, 0.9], 0.72)).toBeCloseTo(180, 10);
  });
});

describe("gap to baseline and final value", () => {
  it("by hand", () => {
    expect(gapToBaseline(accuracy, 0.85)).toBeCloseTo(0.05, 14); // 0.85 − 0.8
    expect(gapToBaseline(accuracy, 0.75)).toBeCloseTo(-0.05, 14); // beats the full-data model
    expect(finalValue(accuracy)).toBe(0.8);
    expect(finalValue(accuracy, { last: 2 })).toBeCloseTo(0.75, 14); // (0.7 + 0.8)/2
    expect(() => finalValue(accuracy, { last: 5 })).toThrow(/4 round\(s\), fewer than last = 5/);
    expect(() => gapToBaseline([], 0.8)).toThrow(/empty curve/);
  });
});
