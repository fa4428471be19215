import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { roundSets, selectionMap } from "../../src/components/selection-map.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;

// Six points, two classes; the run picked points 0 and 1 first (initial set), then 4, then 5 and 2.
const points = {
  x: [0, 1, 2, 3, 4, 5],
  y: [0, 1, 0, 1, 0, 1],
  label_index: [0, 1, 0, 1, 0, 1],
  classes: ["cat", "<b>dog</b>"],
  index: [10, 11, 12, 13, 14, 15],
  explained: [0.6, 0.25] as const,
};
const run = { rounds: [[0, 1], [4], [5, 2]] };

const circles = (root: Element, label: string) => [...root.querySelectorAll(`g.map-${label} circle`)];

describe("roundSets", () => {
  it("splits the picks into those labelled before the round and the round's batch", () => {
    expect(roundSets(run, 0)).toEqual({ labelled: [], batch: [0, 1] });
    expect(roundSets(run, 1)).toEqual({ labelled: [0, 1], batch: [4] });
    expect(roundSets(run, 2)).toEqual({ labelled: [0, 1, 4], batch: [5, 2] });
    expect(() => roundSets(run, 3)).toThrow(/round must be an integer from 0 to 2; got 3/);
  });
});

describe("selectionMap", () => {
  it("draws every pool point, the labelled set and the batch as separate marks", () => {
    const figure = selectionMap(points, run, { round: 2, document, width: 400 });
    expect(circles(figure, "pool")).toHaveLength(6);
    expect(circles(figure, "labelled")).toHaveLength(3);
    expect(circles(figure, "batch")).toHaveLength(2);
    // Tooltips are text: the class name with its markup, and the pool row.
    const titles = circles(figure, "batch").map((c) => c.querySelector("title")?.textContent);
    expect(titles).toEqual(["<b>dog</b> · pool row 15", "cat · pool row 12"]);
    expect(figure.querySelectorAll("b")).toHaveLength(0);
    // Axis labels carry the variance shares; the legend names both classes.
    const text = figure.textContent ?? "";
    expect(text).toContain("PC 1 (60.0% of variance)");
    expect(text).toContain("PC 2 (25.0% of variance)");
    expect(text).toContain("cat");
    expect(text).toContain("<b>dog</b>");
  });

  it("places the batch where its points are and changes it with the round", () => {
    const at = (round: number) => circles(selectionMap(points, run, { round, document, width: 400 }), "batch").map((c) => [Number(c.getAttribute("cx")), Number(c.getAttribute("cy"))]);
    const pool = circles(selectionMap(points, run, { round: 0, document, width: 400 }), "pool").map((c) => [Number(c.getAttribute("cx")), Number(c.getAttribute("cy"))]);
    expect(at(0)).toEqual([pool[0], pool[1]]);
    expect(at(1)).toEqual([pool[4]]);
    // x grows left to right, y up: point 5 (x 5, y 1) is right of and above point 0 (x 0, y 0).
    expect(pool[5]![0]).toBeGreaterThan(pool[0]![0]!);
    expect(pool[5]![1]).toBeLessThan(pool[0]![1]!);
  });

  it("labels the axes UMAP 1 and 2, without variance shares, for a UMAP projection", () => {
    const umap = { ...points, x: [5, 4, 3, 2, 1, 0] };
    const figure = selectionMap(umap, run, { round: 1, document, width: 400, projection: "umap" });
    const text = figure.textContent ?? "";
    expect(text).toContain("UMAP 1 →");
    expect(text).toContain("↑ UMAP 2");
    expect(text).not.toContain("of variance");
    expect(text).not.toContain("PC 1");
    // The same marks, at the UMAP coordinates: point 0 is now right of point 5.
    const pool = circles(figure, "pool").map((c) => Number(c.getAttribute("cx")));
    expect(pool[0]).toBeGreaterThan(pool[5]!);
    expect(circles(figure, "batch")).toHaveLength(1);
  });

  it("refuses mismatched arrays and picks outside the map", () => {
    expect(() => selectionMap({ ...points, y: [0] }, run, { round: 0, document })).toThrow(/one entry per point \(6\); got 1, 6, 6/);
    expect(() => selectionMap(points, { rounds: [[0, 9]] }, { round: 0, document })).toThrow(/picks point 9, but the map has 6 points/);
  });
});
