import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { finalDistribution, finalPoints, finalSpread } from "../../src/components/final-distribution.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;

const row = (sampler: string, seed: number, round: number, accuracy: number | null) => ({ sampler, mode: "retrain", seed, round, labelled: 10 * (round + 1), accuracy });
const rows = [
  row("margin", 0, 0, 0.5), row("margin", 0, 1, 0.8),
  row("margin", 1, 0, 0.5), row("margin", 1, 1, 0.6),
  // seed 2's last round lacks the metric: its final value is round 0's.
  row("margin", 2, 0, 0.7), row("margin", 2, 1, null),
  row("random", 0, 0, 0.4), row("random", 0, 1, 0.55),
  row("random", 1, 0, null),
];

describe("finalPoints / finalSpread", () => {
  it("takes each run's last value and summarises them per sampler", () => {
    const p = finalPoints(rows);
    expect(p.map((d) => [d.sampler, d.seed, d.labelled, d.value])).toEqual([
      ["margin", 0, 20, 0.8],
      ["margin", 1, 20, 0.6],
      ["margin", 2, 10, 0.7],
      ["random", 0, 20, 0.55],
    ]);
    const s = finalSpread(p);
    // random first; margin: mean 0.7, sd √((0.01 + 0.01 + 0)/2) = 0.1
    expect(s.map((d) => [d.sampler, d.n])).toEqual([["random", 1], ["margin", 3]]);
    expect(s[0]!.sd).toBeNull();
    expect(s[1]!.mean).toBeCloseTo(0.7, 12);
    expect(s[1]!.sd).toBeCloseTo(0.1, 12);
    expect([s[1]!.min, s[1]!.max]).toEqual([0.6, 0.8]);
  });
});

describe("finalDistribution", () => {
  it("draws a dot per seed, a mean tick per sampler and an sd bar only where there are seeds to spread", () => {
    const fig = finalDistribution(finalPoints(rows), { document, metricLabel: "accuracy" });
    const svg = fig.tagName === "svg" ? fig : fig.querySelector(":scope > svg")!;
    expect(svg.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(4);
    expect(svg.querySelectorAll('g[aria-label="tick"] line')).toHaveLength(2);
    expect(svg.querySelectorAll('g[aria-label="rule"] line')).toHaveLength(1);
    expect([...svg.querySelectorAll('g[aria-label="y-axis tick label"] text')].map((t) => t.textContent)).toEqual(["random", "margin"]);
    expect(svg.textContent).toContain("Final accuracy");
    expect(() => finalDistribution([], { document })).toThrow(/no final values/);
  });
});
