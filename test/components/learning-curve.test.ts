import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { learningCurve } from "../../src/components/learning-curve.ts";
import { finalRounds, seedSummary } from "../../src/components/seed-summary.ts";
import { FIXTURE_MODES, FIXTURE_SAMPLERS, fixtureRounds } from "../site/fixture.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;

// Hand-made rounds: 3 seeds at (a, retrain, 20), 2 at (a, retrain, 40) with INT64-style
// BigInt counts, 1 at (b, keep-train, 20), and one missing value that must be ignored.
const rows = [
  { sampler: "a", mode: "retrain", labelled: 20, seed: 0, accuracy: 0.5 },
  { sampler: "a", mode: "retrain", labelled: 20, seed: 1, accuracy: 0.7 },
  { sampler: "a", mode: "retrain", labelled: 20, seed: 2, accuracy: 0.6 },
  { sampler: "a", mode: "retrain", labelled: 40n, seed: 0, accuracy: 0.8 },
  { sampler: "a", mode: "retrain", labelled: 40n, seed: 1, accuracy: 0.9 },
  { sampler: "a", mode: "retrain", labelled: 40n, seed: 2, accuracy: null },
  { sampler: "b", mode: "keep-train", labelled: 20, seed: 0, accuracy: 0.4 },
];

describe("seedSummary", () => {
  it("computes mean, sample sd, min, max and n per (sampler, mode, labelled)", () => {
    const s = seedSummary(rows);
    expect(s.map(({ sampler, mode, labelled, n }) => [sampler, mode, labelled, n])).toEqual([
      ["a", "retrain", 20, 3],
      ["a", "retrain", 40, 2],
      ["b", "keep-train", 20, 1],
    ]);
    // (0.5 + 0.7 + 0.6) / 3 = 0.6; sd = sqrt((0.01 + 0.01 + 0) / 2) = 0.1
    expect(s[0]!.mean).toBeCloseTo(0.6, 12);
    expect(s[0]!.sd).toBeCloseTo(0.1, 12);
    expect([s[0]!.min, s[0]!.max]).toEqual([0.5, 0.7]);
    // (0.8 + 0.9) / 2 = 0.85; sd = sqrt(2 × 0.05² / 1) = 0.0707107
    expect(s[1]!.mean).toBeCloseTo(0.85, 12);
    expect(s[1]!.sd).toBeCloseTo(Math.SQRT2 * 0.05, 12);
    expect([s[1]!.min, s[1]!.max]).toEqual([0.8, 0.9]);
    // A single seed has no spread.
    expect(s[2]).toMatchObject({ mean: 0.4, sd: 0, min: 0.4, max: 0.4, n: 1 });
  });

  it("summarises the chosen metric column", () => {
    const s = seedSummary(rows.map((r) => ({ ...r, macro_f1: 1 })), { metric: "macro_f1" });
    expect(s.every((d) => d.mean === 1 && d.sd === 0)).toBe(true);
  });

  it("rejects empty data and a missing metric column with readable errors", () => {
    expect(() => seedSummary([])).toThrow(/no rows/);
    expect(() => seedSummary(rows, { metric: "f1" })).toThrow(/column "f1" not found; available columns: sampler, mode, labelled, seed, accuracy/);
    expect(() => seedSummary(rows.map((r) => ({ ...r, accuracy: null })))).toThrow(/"accuracy" has no numeric values/);
  });

  it("finalRounds keeps the largest labelled point of each curve", () => {
    expect(finalRounds(seedSummary(rows)).map((d) => [d.sampler, d.mode, d.labelled])).toEqual([
      ["a", "retrain", 40],
      ["b", "keep-train", 20],
    ]);
  });
});

describe("learningCurve", () => {
  const fixture = fixtureRounds();
  const lines = FIXTURE_SAMPLERS.length * FIXTURE_MODES.length;

  it("draws one line and one band per sampler × mode, faceted by mode", () => {
    const fig = learningCurve(fixture, { document, width: 800, height: 400 });
    expect(fig.querySelectorAll('g[aria-label="line"] path')).toHaveLength(lines);
    expect(fig.querySelectorAll('g[aria-label="area"] path')).toHaveLength(lines);
    // One line stroke colour per sampler.
    const strokes = new Set([...fig.querySelectorAll('g[aria-label="line"] path')].map((p) => p.getAttribute("stroke")));
    expect(strokes.size).toBe(FIXTURE_SAMPLERS.length);
    // Facets in reading order, retrain first.
    expect([...fig.querySelectorAll('g[aria-label="fx-axis tick label"] text')].map((t) => t.textContent)).toEqual(["retrain", "keep-train"]);
    const svg = fig.querySelector(":scope > svg")!; // the chart, not a legend swatch
    expect(svg.getAttribute("width")).toBe("800");
    expect(svg.getAttribute("height")).toBe("400");
  });

  it("has a sampler legend, labelled axes and a tooltip mark", () => {
    const fig = learningCurve(fixture, { document });
    expect(fig.tagName).toBe("FIGURE");
    const swatches = [...fig.querySelectorAll("[class$='-swatch']")].map((s) => s.textContent);
    expect(swatches).toEqual(["random", "entropy", "least-confidence", "margin"]);
    expect(fig.querySelector('g[aria-label="x-axis label"]')!.textContent).toMatch(/Labelled examples/);
    expect(fig.querySelector('g[aria-label="y-axis label"]')!.textContent).toMatch(/Accuracy/);
    expect(fig.querySelector('g[aria-label="tip"]')).not.toBeNull();
  });

  it("plots the chosen metric and band", () => {
    const f1 = learningCurve(fixture, { document, metric: "macro_f1", band: "sd" });
    expect(f1.querySelector('g[aria-label="y-axis label"]')!.textContent).toMatch(/Macro F1/);
    expect(f1.querySelectorAll('g[aria-label="area"] path')).toHaveLength(lines);
    const bare = learningCurve(fixture, { document, band: "none" });
    expect(bare.querySelectorAll('g[aria-label="area"] path')).toHaveLength(0);
    expect(bare.querySelectorAll('g[aria-label="line"] path')).toHaveLength(lines);
  });

  it("counts lines from whatever samplers and modes the data holds", () => {
    const subset = fixture.filter((r) => r.mode === "keep-train" && (r.sampler === "random" || r.sampler === "margin"));
    const fig = learningCurve(subset, { document });
    expect(fig.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
    expect([...fig.querySelectorAll('g[aria-label="fx-axis tick label"] text')].map((t) => t.textContent)).toEqual(["keep-train"]);
  });

  it("puts the mean annotation cost over seeds on the x axis when asked", () => {
    // Seed 0 pays 1 per label, seed 1 pays 3: the points sit at 2 × labelled, 40 and 80.
    const costed = rows
      .filter((r) => r.sampler === "a" && r.seed < 2)
      .map((r) => ({ ...r, cost: Number(r.labelled) * (r.seed === 0 ? 1 : 3) }));
    const fig = learningCurve(costed, { document, x: "cost", band: "none" });
    expect(fig.querySelector('g[aria-label="x-axis label"]')!.textContent).toMatch(/Annotation cost/);
    // The x scale spans the points' costs (Plot's nice domain around 40…80).
    const ticks = [...fig.querySelectorAll('g[aria-label="x-axis tick label"] text')].map((t) => Number(t.textContent));
    expect(Math.min(...ticks)).toBe(40);
    expect(Math.max(...ticks)).toBe(80);
    expect(() => learningCurve(rows, { document, x: "cost" })).toThrow('learningCurve: x "cost" needs a numeric cost column; sampler a at 20 labels has none');
  });

  it("rejects empty data, an unknown metric and an unknown band", () => {
    expect(() => learningCurve([], { document })).toThrow(/no rows/);
    expect(() => learningCurve(fixture, { document, metric: "f1" })).toThrow(/column "f1" not found/);
    // @ts-expect-error: an invalid band, as a page passing user input might.
    expect(() => learningCurve(fixture, { document, band: "iqr" })).toThrow(/band must be one of minmax, sd, ci, none/);
  });
});
