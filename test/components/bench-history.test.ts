import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { benchCases, benchChart, benchCharts, type BenchPoint } from "../../src/components/bench-history.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;

const point = (c: string, date: string, ratio: number, min: number, max: number): BenchPoint => ({ date, case: c, ratio, min, max, measure: "ratio" });
const rows = [
  point("startup/b", "2026-12-01T09:00:00.000Z", 0.9, 0.7, 1.2),
  point("startup/a", "2026-12-01T09:00:00.000Z", 0.5, 0.4, 0.6),
  point("startup/b", "2026-12-02T09:00:00.000Z", 0.8, 0.8, 0.8),
  point("startup/b", "2026-12-03T09:00:00.000Z", 0.6, 0.5, 0.9),
];

describe("benchCharts", () => {
  it("draws one chart per case, in name order, with a dot and a min–max rule per run and the line at 1", () => {
    const el = benchCharts(rows, { document });
    expect([...el.querySelectorAll("h3")].map((h) => h.textContent)).toEqual(["startup/a", "startup/b"]);
    const svgs = [...el.querySelectorAll("svg")].filter((s) => s.querySelector('[aria-label="dot"]'));
    expect(svgs).toHaveLength(2);
    expect(svgs.map((s) => s.querySelectorAll('[aria-label="dot"] circle').length)).toEqual([1, 3]);
    // ruleX: one per run; ruleY: the line at 1.
    expect(svgs.map((s) => s.querySelectorAll('[aria-label="rule"] line').length)).toEqual([1 + 1, 3 + 1]);
  });

  it("says there is no history when there are no rows", () => {
    const el = benchCharts([], { document });
    expect(el.querySelector("svg")).toBeNull();
    expect(el.textContent).toMatch(/^No bench history yet: `npm run bench` keeps each run as results\/bench\/<date>\.json/);
  });

  it("refuses rows of several cases or a date that is not one, in one line", () => {
    expect(() => benchChart(rows, { document })).toThrow("benchChart: expected the rows of one case, got 2 (startup/a, startup/b); filter by case first");
    expect(() => benchChart([point("x", "yesterday", 1, 1, 1)], { document })).toThrow('benchChart: x: date "yesterday" is not an ISO date');
    expect(benchCases(rows)).toEqual(["startup/a", "startup/b"]);
  });
});
