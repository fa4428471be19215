import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { learningCurve } from "../../src/components/learning-curve.ts";
import { randomDifference, randomDifferenceGaps } from "../../src/components/random-difference.ts";
import { seedSummary } from "../../src/components/seed-summary.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;

const round = (dataset: string, sampler: string, mode: string, seed: number, labelled: number | bigint, accuracy: number | null) =>
  ({ dataset, learner: "logistic", sampler, mode, seed, labelled, accuracy });

// Data set a, retrain: random and margin over seeds 1 and 2 at 20 and 30 labels; data set b one
// point each; margin keep-train has no random partner; entropy ran a seed random did not.
const rows = [
  round("a", "random", "retrain", 1, 20, 0.5),
  round("a", "random", "retrain", 1, 30, 0.6),
  round("a", "random", "retrain", 2, 20, 0.4),
  round("a", "random", "retrain", 2, 30n, 0.7),
  round("a", "margin", "retrain", 1, 20, 0.55),
  round("a", "margin", "retrain", 1, 30, 0.8),
  round("a", "margin", "retrain", 2, 20, 0.4),
  round("a", "margin", "retrain", 2, 30, 0.75),
  round("a", "margin", "retrain", 2, 40, null),
  round("b", "random", "retrain", 1, 20, 0.9),
  round("b", "margin", "retrain", 1, 20, 0.8),
  round("a", "margin", "keep-train", 1, 20, 0.6),
  round("a", "entropy", "retrain", 3, 20, 0.7),
];

describe("randomDifference", () => {
  it("subtracts random's value at the same seed, cell, mode and labelled count", () => {
    const d = randomDifference(rows);
    expect(d.map((r) => [r.dataset, r.sampler, r.mode, r.seed, r.labelled])).toEqual([
      ["a", "margin", "retrain", 1, 20],
      ["a", "margin", "retrain", 1, 30],
      ["a", "margin", "retrain", 2, 20],
      ["a", "margin", "retrain", 2, 30],
      ["b", "margin", "retrain", 1, 20],
    ]);
    // 0.55 − 0.5, 0.8 − 0.6, 0.4 − 0.4, 0.75 − 0.7; b pairs with b's random: 0.8 − 0.9
    expect(d.map((r) => r.difference)).toEqual([0.55 - 0.5, 0.8 - 0.6, 0, 0.75 - 0.7, 0.8 - 0.9]);
    expect(d[1]).toMatchObject({ value: 0.8, reference: 0.6, learner: "logistic" });
    // random itself is not a line.
    expect(d.some((r) => r.sampler === "random")).toBe(false);
  });

  it("gives the mean and paired t-interval over seeds through seedSummary", () => {
    const s = seedSummary(randomDifference(rows).filter((r) => r.dataset === "a"), { metric: "difference" });
    const at30 = s.find((r) => r.labelled === 30)!;
    // (0.2 + 0.05) / 2 = 0.125; sd = sqrt(2 × 0.075²) = 0.10607; half-width = 12.706 × 0.10607 / √2 = 0.95295
    expect(at30.mean).toBeCloseTo(0.125, 12);
    expect(at30.sd).toBeCloseTo(Math.SQRT2 * 0.075, 12);
    expect(at30.ciHigh - at30.mean).toBeCloseTo(0.95295, 5);
    expect(at30.n).toBe(2);
  });

  it("uses the chosen reference sampler and metric", () => {
    const d = randomDifference(rows.map((r) => ({ ...r, macro_f1: r.accuracy === null ? null : 2 * r.accuracy })), { metric: "macro_f1", reference: "margin" });
    // random and entropy against margin: a retrain (4 points), b (1 point); entropy's seed 3 has no margin partner.
    expect(d.map((r) => r.sampler)).toEqual(["random", "random", "random", "random", "random"]);
    expect(d[0]!.difference).toBeCloseTo(2 * (0.5 - 0.55), 12);
  });

  it("refuses to pair when random has two values at one point", () => {
    const pooled = [...rows, { ...rows[0]!, epochs: "10" }].map(({ dataset: _d, ...r }) => r);
    expect(() => randomDifference(pooled)).toThrow(/random has two "accuracy" values at seed 1, 20 labelled/);
  });
});

describe("randomDifferenceGaps", () => {
  it("says which modes and samplers have no difference to show", () => {
    expect(randomDifferenceGaps(rows)).toEqual([
      "random has no keep-train runs, so the keep-train curves have no difference to random.",
      "entropy (retrain) shares no seed and labelled count with random, so it has no paired difference.",
    ]);
    expect(randomDifferenceGaps(rows.filter((r) => r.mode === "retrain" && r.sampler !== "entropy"))).toEqual([]);
  });

  it("says so plainly when there is no random sampler", () => {
    expect(randomDifferenceGaps(rows.filter((r) => r.sampler !== "random"))).toEqual([
      "This experiment has no random sampler with accuracy values here, so there is no difference to random to show.",
    ]);
    expect(randomDifference(rows.filter((r) => r.sampler !== "random"))).toEqual([]);
  });
});

describe("learningCurve of the differences", () => {
  it("draws one line per non-random sampler × mode, a zero rule and the y label given", () => {
    const both = [...rows, round("a", "random", "keep-train", 1, 20, 0.5), round("a", "random", "keep-train", 1, 30, 0.5), round("a", "margin", "keep-train", 1, 30, 0.7)];
    const d = randomDifference(both.filter((r) => r.dataset === "a"));
    const fig = learningCurve(d, { document, metric: "difference", band: "ci", zeroLine: true, yLabel: "Accuracy − random ↑" });
    // margin in retrain and keep-train (entropy has no pair).
    expect(fig.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
    expect(fig.querySelectorAll('g[aria-label="rule"] line[aria-label="zero"]')).toHaveLength(2);
    expect(fig.querySelector('g[aria-label="y-axis label"]')!.textContent).toBe("Accuracy − random ↑");
    // No zero rule unless asked for.
    expect(learningCurve(d, { document, metric: "difference" }).querySelectorAll('line[aria-label="zero"]')).toHaveLength(0);
  });
});
