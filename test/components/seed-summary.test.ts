import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { learningCurve } from "../../src/components/learning-curve.ts";
import { finalRounds, seedSummary, tQuantile975 } from "../../src/components/seed-summary.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;

// Two data sets far apart (≈0.66 vs ≈0.99), 2 samplers, 3 seeds, 2 points: pooling the data
// sets would give a band from 0.6 to 1.0 and "6 seeds".
const values: Record<string, Record<string, number[][]>> = {
  blobs: { random: [[0.6, 0.66, 0.72], [0.7, 0.7, 0.7]], margin: [[0.62, 0.68, 0.74], [0.75, 0.8, 0.85]] },
  diabetes: { random: [[0.98, 0.99, 1.0], [0.99, 0.99, 0.99]], margin: [[0.97, 0.99, 1.0], [1.0, 1.0, 1.0]] },
};
const rows = Object.entries(values).flatMap(([dataset, bySampler]) =>
  Object.entries(bySampler).flatMap(([sampler, points]) =>
    points.flatMap((seeds, p) =>
      seeds.map((accuracy, seed) => ({ dataset, learner: "logistic", initial: "20", sampler, mode: "retrain", seed, labelled: 20 + 10 * p, kind: "al", baseline_percent: null, accuracy })),
    ),
  ),
);

describe("seedSummary over two data sets", () => {
  it("keeps each data set its own curve: 3 seeds, band within the data set", () => {
    const s = seedSummary(rows);
    expect(s).toHaveLength(2 * 2 * 2);
    expect(s.every((d) => d.n === 3)).toBe(true);
    const blobsRandom20 = s.find((d) => d.dataset === "blobs" && d.sampler === "random" && d.labelled === 20)!;
    // (0.6 + 0.66 + 0.72) / 3 = 0.66; sd = sqrt((0.0036 + 0 + 0.0036) / 2) = 0.06
    expect(blobsRandom20.mean).toBeCloseTo(0.66, 12);
    expect(blobsRandom20.sd).toBeCloseTo(0.06, 12);
    expect([blobsRandom20.min, blobsRandom20.max]).toEqual([0.6, 0.72]);
    // 95% CI: 0.66 ± 4.303 × 0.06 / √3
    const half = (4.303 * 0.06) / Math.sqrt(3);
    expect(blobsRandom20.ciLow).toBeCloseTo(0.66 - half, 12);
    expect(blobsRandom20.ciHigh).toBeCloseTo(0.66 + half, 12);
    const diabetesRandom20 = s.find((d) => d.dataset === "diabetes" && d.sampler === "random" && d.labelled === 20)!;
    expect([diabetesRandom20.min, diabetesRandom20.max]).toEqual([0.98, 1.0]);
    expect(diabetesRandom20.mean).toBeCloseTo(0.99, 12);
  });

  it("refuses rows that differ in a column it was told not to key on", () => {
    expect(() => seedSummary(rows, { keys: ["sampler", "mode"] })).toThrow(/seed 0 has two "accuracy" values at sampler=random, mode=retrain, labelled=20/);
  });

  it("finalRounds keeps the last point of each data set's curve", () => {
    const final = finalRounds(seedSummary(rows));
    expect(final.map((d) => [d.dataset, d.sampler, d.labelled, d.n])).toEqual([
      ["blobs", "margin", 30, 3],
      ["blobs", "random", 30, 3],
      ["diabetes", "margin", 30, 3],
      ["diabetes", "random", 30, 3],
    ]);
    expect(final[0]!.mean).toBeCloseTo(0.8, 12);
  });

  it("uses Student t for small samples and 1.96 beyond 30", () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(2)).toBe(4.303);
    expect(tQuantile975(100)).toBe(1.96);
  });
});

describe("learningCurve over two data sets", () => {
  it("refuses to draw both data sets in one panel", () => {
    expect(() => learningCurve(rows, { document })).toThrow(/several dataset \(blobs, diabetes\) for sampler margin; pick one dataset/);
  });

  it("draws one line per sampler and data set when faceted by data set", () => {
    const fig = learningCurve(rows, { document, facet: "dataset" });
    expect(fig.querySelectorAll('g[aria-label="line"] path')).toHaveLength(4);
    expect([...fig.querySelectorAll('g[aria-label="fx-axis tick label"] text')].map((t) => t.textContent)).toEqual(["blobs", "diabetes"]);
  });

  it("plots one data set's values: its band stays within that data set", () => {
    const one = rows.filter((r) => r.dataset === "blobs");
    const fig = learningCurve(one, { document, band: "minmax" });
    expect(fig.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
    const ticks = [...fig.querySelectorAll('g[aria-label="y-axis tick label"] text')].map((t) => Number(t.textContent));
    // A pooled band would stretch the y axis up to ~1.0.
    expect(Math.max(...ticks)).toBeLessThan(0.9);
  });

  it("draws the 95% CI band, a log x axis and reference lines", () => {
    const one = rows.filter((r) => r.dataset === "diabetes");
    const fig = learningCurve(one, { document, band: "ci", logX: true, references: [{ value: 0.95, label: "10% baseline" }] });
    expect(fig.querySelectorAll('g[aria-label="area"] path')).toHaveLength(2);
    expect(fig.querySelectorAll('g[aria-label="rule"] line')).toHaveLength(1);
    expect(fig.querySelector('g[aria-label="text"]')!.textContent).toBe("10% baseline");
  });
});
