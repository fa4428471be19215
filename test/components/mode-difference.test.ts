import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { modeDifference, modeDifferenceChart } from "../../src/components/mode-difference.ts";
import { pairedCurves } from "../../src/components/paired-curves.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;

const row = (sampler: string, mode: string, seed: number, labelled: number, accuracy: number | null) => ({ sampler, mode, seed, round: labelled / 10 - 1, labelled, accuracy });
// Sampler a: 3 seeds in both modes at 10 and 20; seed 2 lacks keep-train at 20. Sampler b: one seed.
const rows = [
  row("a", "retrain", 0, 10, 0.5), row("a", "keep-train", 0, 10, 0.4),
  row("a", "retrain", 1, 10, 0.6), row("a", "keep-train", 1, 10, 0.6),
  row("a", "retrain", 2, 10, 0.7), row("a", "keep-train", 2, 10, 0.8),
  row("a", "retrain", 0, 20, 0.8), row("a", "keep-train", 0, 20, 0.7),
  row("a", "retrain", 1, 20, 0.9), row("a", "keep-train", 1, 20, 0.7),
  row("a", "retrain", 2, 20, 0.9), row("a", "keep-train", 2, 20, null),
  row("b", "retrain", 0, 10, 0.5), row("b", "keep-train", 0, 10, 0.55),
  row("b", "retrain", 0, 20, 0.6), row("b", "keep-train", 0, 20, 0.65),
];

describe("modeDifference", () => {
  it("pairs keep-train − retrain by seed and gives mean and t-CI over seeds", () => {
    const d = modeDifference(rows);
    expect(d.map((x) => [x.sampler, x.labelled, x.n])).toEqual([["a", 10, 3], ["a", 20, 2], ["b", 10, 1], ["b", 20, 1]]);
    // a@10: diffs −0.1, 0, 0.1 → mean 0, sd 0.1, half = 4.303 × 0.1/√3 = 0.24844
    expect(d[0]!.mean).toBeCloseTo(0, 12);
    expect(d[0]!.ciHigh).toBeCloseTo((4.303 * 0.1) / Math.sqrt(3), 10);
    expect(d[0]!.ciLow).toBeCloseTo(-(4.303 * 0.1) / Math.sqrt(3), 10);
    // a@20: seed 2 unpaired; diffs −0.1, −0.2 → mean −0.15, sd 0.070711, half = 12.706 × 0.05
    expect(d[1]!.mean).toBeCloseTo(-0.15, 12);
    expect(d[1]!.ciHigh - d[1]!.mean).toBeCloseTo(12.706 * 0.05, 10);
    // One seed: no interval.
    expect(d[2]).toMatchObject({ sampler: "b", labelled: 10, n: 1 });
    expect(d[2]!.mean).toBeCloseTo(0.05, 12);
    expect(d[2]!.ciLow).toBe(d[2]!.ciHigh);
  });

  it("is empty with one mode, and refuses an unpicked axis", () => {
    expect(modeDifference(rows.filter((r) => r.mode === "retrain"))).toEqual([]);
    const pooled = [...rows, { ...rows[0]!, learner: "other" }].map((r) => ({ learner: "x", ...r }));
    expect(() => modeDifference(pooled, { keys: [] })).toThrow(/two rows at round 0/);
  });

  it("draws one difference line per sampler, one panel each, and a zero rule", () => {
    const fig = modeDifferenceChart(modeDifference(rows), { document, width: 600, metricLabel: "accuracy" });
    const svg = fig.querySelector(":scope > svg") ?? fig;
    expect(svg.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
    expect(svg.querySelectorAll('g[aria-label="area"] path')).toHaveLength(2);
    expect(svg.querySelectorAll('g[aria-label="rule"] line').length).toBeGreaterThanOrEqual(2);
    expect([...svg.querySelectorAll('g[aria-label="text"] text')].map((t) => t.textContent)).toEqual(["a", "b"]);
    expect(svg.textContent).toContain("accuracy: keep-train − retrain");
    expect(() => modeDifferenceChart([], { document })).toThrow(/no paired values/);
  });
});

describe("pairedCurves", () => {
  it("draws both modes in one panel per sampler, coloured by mode", () => {
    const fig = pairedCurves(rows, { document, width: 600 });
    const svg = fig.querySelector(":scope > svg")!;
    expect(svg.querySelectorAll('g[aria-label="line"] path')).toHaveLength(4);
    const strokes = new Set([...svg.querySelectorAll('g[aria-label="line"] path')].map((p) => p.getAttribute("stroke")));
    expect(strokes.size).toBe(2);
    expect([...svg.querySelectorAll('g[aria-label="text"] text')].map((t) => t.textContent)).toEqual(["a", "b"]);
    // The mode legend, retrain first.
    expect([...fig.querySelectorAll("span")].map((s) => s.textContent?.trim()).filter(Boolean)).toEqual(["retrain", "keep-train"]);
    // Two samplers at 600 px: two columns, one row of panels.
    expect(svg.getAttribute("height")).toBe(String(220 + 60));
  });

  it("wraps ten samplers into rows and refuses pooled curves", () => {
    const many = Array.from({ length: 10 }, (_, i) => rows.filter((r) => r.sampler === "b").map((r) => ({ ...r, sampler: `s${i}` }))).flat();
    const svg = pairedCurves(many, { document, width: 800 }).querySelector(":scope > svg")!;
    expect(svg.querySelectorAll('g[aria-label="line"] path')).toHaveLength(20);
    expect(svg.getAttribute("height")).toBe(String(4 * 220 + 60)); // 3 columns → 4 rows
    const pooled = [...rows, { ...rows[0]!, dataset: "other" }].map((r) => ({ dataset: "x", ...r }));
    expect(() => pairedCurves(pooled, { document })).toThrow(/several retrain curves; pick one value/);
  });
});
