import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { cumulativeTime, timeCurve, timeTotals } from "../../src/components/time-curve.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;

// Per round: train + score + select + evaluate seconds given as [t, s, l, e].
const row = (sampler: string, mode: string, seed: number, round: number, accuracy: number | null, [t, s, l, e]: number[]) => ({
  sampler, mode, seed, round, labelled: 10 * (round + 1), accuracy, train_seconds: t, score_seconds: s, select_seconds: l, evaluate_seconds: e,
});
const rows = [
  // a/retrain seed 0: 1+1+0+0 = 2, then 3 → cumulative 2, 5; seed 1: 4, then 4 → 4, 8.
  row("a", "retrain", 0, 0, 0.5, [1, 1, 0, 0]), row("a", "retrain", 0, 1, 0.7, [2, 0.5, 0.25, 0.25]),
  row("a", "retrain", 1, 0, 0.6, [4, 0, 0, 0]), row("a", "retrain", 1, 1, 0.9, [3, 1, 0, 0]),
  // a/keep-train: seed 0 totals 1 + 1 = 2, seed 1 totals 1 + 1 = 2 (last round without a metric).
  row("a", "keep-train", 0, 0, 0.5, [1, 0, 0, 0]), row("a", "keep-train", 0, 1, 0.6, [1, 0, 0, 0]),
  row("a", "keep-train", 1, 0, 0.4, [0.5, 0.5, 0, 0]), row("a", "keep-train", 1, 1, null, [1, 0, 0, 0]),
];

describe("cumulativeTime", () => {
  it("sums each run's round seconds and averages over seeds per round", () => {
    const p = cumulativeTime(rows);
    expect(p.map((d) => [d.sampler, d.mode, d.round, d.seconds, d.value, d.n])).toEqual([
      ["a", "keep-train", 0, 1, 0.45, 2],
      // Seed 1 has no metric at round 1: only seed 0's point (cumulative 2).
      ["a", "keep-train", 1, 2, 0.6, 1],
      ["a", "retrain", 0, 3, 0.55, 2],
      ["a", "retrain", 1, 6.5, 0.8, 2],
    ]);
  });
});

describe("timeTotals", () => {
  it("gives total seconds and final value per sampler × mode and keep-train's saving", () => {
    const t = timeTotals(rows);
    expect(t.map((d) => [d.sampler, d.mode, d.n])).toEqual([["a", "retrain", 2], ["a", "keep-train", 2]]);
    // retrain totals 5 and 8: mean 6.5, sd 2.1213, half = 12.706 × 1.5
    expect(t[0]!.seconds.mean).toBeCloseTo(6.5, 12);
    expect(t[0]!.seconds.ciHigh - 6.5).toBeCloseTo(12.706 * 1.5, 10);
    expect(t[0]!.final!.mean).toBeCloseTo(0.8, 12);
    expect(t[0]!.saving).toBeNull();
    // keep-train totals 2 and 2 (a round without the metric still costs time); final 0.6 and 0.4.
    expect(t[1]!.seconds).toEqual({ mean: 2, ciLow: 2, ciHigh: 2 });
    expect(t[1]!.final!.mean).toBeCloseTo(0.5, 12);
    expect(t[1]!.saving).toBeCloseTo((1 - 2 / 6.5) * 100, 10);
  });

  it("has no saving without a retrain twin", () => {
    const t = timeTotals(rows.filter((r) => r.mode === "keep-train"));
    expect(t).toHaveLength(1);
    expect(t[0]!.saving).toBeNull();
  });
});

describe("timeCurve", () => {
  it("draws one line per sampler × mode, keep-train dashed, on a seconds axis", () => {
    const more = [...rows, ...rows.map((r) => ({ ...r, sampler: "b" }))];
    const fig = timeCurve(cumulativeTime(more), { document, metricLabel: "accuracy" });
    const svg = fig.querySelector(":scope > svg")!;
    const paths = [...svg.querySelectorAll('g[aria-label="line"] path')];
    expect(paths).toHaveLength(4);
    // Each mode is its own line mark: retrain solid, keep-train dashed.
    const marks = [...svg.querySelectorAll('g[aria-label="line"]')];
    expect(marks.map((g) => g.getAttribute("stroke-dasharray"))).toEqual([null, "6,3"]);
    expect(svg.textContent).toContain("Cumulative compute seconds");
    expect(() => timeCurve([], { document })).toThrow(/no points/);
    const pooled = cumulativeTime(rows).concat(cumulativeTime(rows).map((p) => ({ ...p, dataset: "x" })));
    expect(() => timeCurve(pooled, { document })).toThrow(/several curves/);
  });
});
