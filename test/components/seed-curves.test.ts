import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { seedCurves, seedLines } from "../../src/components/seed-curves.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;

const row = (dataset: string, sampler: string, mode: string, seed: number, round: number, accuracy: number | null) => ({ dataset, sampler, mode, seed, round, labelled: 10 + 10 * round, accuracy });
const rows = [
  row("d", "a", "retrain", 1, 1, 0.7), row("d", "a", "retrain", 1, 0, 0.5),
  row("d", "a", "retrain", 2, 0, 0.6), row("d", "a", "retrain", 2, 1, null),
  row("d", "b", "retrain", 1, 0, 0.4), row("d", "b", "retrain", 1, 1, 0.8),
  row("d", "b", "keep-train", 1, 0, 0.3), row("d", "b", "keep-train", 1, 1, 0.6),
];

describe("seedLines", () => {
  it("gives every run's points in round order, one line id per sampler × seed", () => {
    const p = seedLines(rows);
    expect(p.map((d) => [d.run, d.mode, d.labelled, d.value])).toEqual([
      ["a · seed 1", "retrain", 10, 0.5],
      ["a · seed 1", "retrain", 20, 0.7],
      ["a · seed 2", "retrain", 10, 0.6],
      ["b · seed 1", "retrain", 10, 0.4],
      ["b · seed 1", "retrain", 20, 0.8],
      ["b · seed 1", "keep-train", 10, 0.3],
      ["b · seed 1", "keep-train", 20, 0.6],
    ]);
  });

  it("refuses two data sets' runs of one seed, naming the axis", () => {
    const pooled = [...rows, ...rows.map((r) => ({ ...r, dataset: "e" }))];
    expect(() => seedLines(pooled)).toThrow(/sampler a \(retrain\) has two runs with seed 1 \(dataset differs\); pick one dataset first/);
  });
});

describe("seedCurves", () => {
  it("draws one thin line per run, coloured by sampler, a panel per mode", () => {
    const fig = seedCurves(seedLines(rows), { document, metricLabel: "accuracy" });
    const svg = fig.querySelector(":scope > svg")!;
    const paths = [...svg.querySelectorAll('g[aria-label="line"] path')];
    expect(paths).toHaveLength(4);
    expect(new Set(paths.map((p) => p.getAttribute("stroke"))).size).toBe(2);
    // Thin (Plot's default width 1, so no attribute) and translucent, so overlapping seeds stay visible.
    for (const g of svg.querySelectorAll('g[aria-label="line"] > g')) {
      expect(g.getAttribute("stroke-width")).toBeNull();
      expect(g.getAttribute("stroke-opacity")).toBe("0.75");
    }
    expect([...svg.querySelectorAll('g[aria-label="fx-axis tick label"] text')].map((t) => t.textContent)).toEqual(["retrain", "keep-train"]);
    expect(() => seedCurves([], { document })).toThrow(/no points/);
  });
});
