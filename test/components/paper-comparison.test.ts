/** The reproduction pages' comparison table (src/components/paper-comparison.ts), rendered in jsdom. */
import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { comparisons } from "../../lib/reproduce/verdict.ts";
import { paperDots, paperTable, reproductionCurves } from "../../src/components/paper-comparison.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;
const cells = (table: HTMLTableElement) => [...table.tBodies[0]!.rows].map((r) => [...r.cells].map((c) => c.textContent));

describe("paperTable", () => {
  it("shows our mean ± sd, range, difference and whether the paper lies inside the range; one repetition has no range to be inside of", () => {
    const paper = [
      { setting: "all", sampler: "random", measure: "auc", value: 43 },
      { setting: "all", sampler: "margin", measure: "auc", value: 50 },
      { setting: "all", sampler: "entropy", measure: "auc", value: 12 },
      { setting: "all", sampler: "bald", measure: "auc", value: 10, notRun: "no MC dropout here" },
    ];
    const rows = [
      { setting: "all", sampler: "random", repetition: "seed 1", measure: "auc", value: 40 },
      { setting: "all", sampler: "random", repetition: "seed 2", measure: "auc", value: 44 },
      { setting: "all", sampler: "margin", repetition: "seed 1", measure: "auc", value: 45 },
      { setting: "all", sampler: "margin", repetition: "seed 2", measure: "auc", value: 47 },
      { setting: "all", sampler: "entropy", repetition: "seed 1", measure: "auc", value: 12 },
    ];
    const table = paperTable(comparisons(paper, rows), { document });
    expect([...table.tHead!.rows[0]!.cells].map((c) => c.textContent)).toEqual(["Sampler", "Paper", "Ours (mean ± sd)", "Our range", "Ours − paper", "Paper inside our range"]);
    expect(cells(table)).toEqual([
      ["random", "43.0", "42.0 ± 2.8", "40.0–44.0", "−1.0", "yes"],
      ["margin", "50.0", "46.0 ± 1.4", "45.0–47.0", "−4.0", "no"],
      // Equal to the paper's value, but one repetition: no verdict on the spread.
      ["entropy", "12.0", "12.0", "one repetition", "±0.0", "—"],
      ["bald", "10.0", "not run: no MC dropout here", "—", "—", "—"],
    ]);
  });
});

describe("paperDots and reproductionCurves", () => {
  // Framework's width is 0 before the column is laid out: no negative sizes then.
  it.each([0, 100, 400])("draw no negative width or height at a page width of %i", (width) => {
    const paper = [{ setting: "all", sampler: "random", measure: "auc", value: 43 }];
    const rows = [{ setting: "all", sampler: "random", repetition: "seed 1", measure: "auc", value: 40 }];
    const dots = paperDots(rows, comparisons(paper, rows), { setting: "all", measure: "auc", width, document });
    const curves = reproductionCurves([{ setting: "all", sampler: "random", labelled: 10, n: 2, mean: 0.5, sd: 0.1, min: 0.4, max: 0.6 }, { setting: "all", sampler: "random", labelled: 20, n: 2, mean: 0.6, sd: 0.1, min: 0.5, max: 0.7 }], { setting: "all", width, document });
    for (const plot of [dots, curves]) {
      const sizes = [...plot.querySelectorAll("rect, svg")].flatMap((e) => [e.getAttribute("width"), e.getAttribute("height")]).filter((v): v is string => v !== null);
      expect(sizes.length).toBeGreaterThan(0);
      expect(sizes.filter((v) => Number(v) < 0)).toEqual([]);
    }
  });
});
