import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { phaseTimes, phaseTimesChart } from "../../src/components/phase-times.ts";
import type { RunRow } from "../../src/components/runs-table.ts";
import { axes, runRow } from "./run-row-fixture.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;

// Initial size 20 for the AL runs, so a baseline (initial 1) differs from them in a size.
const at = (dataset: string, initial = "20") => axes(dataset, initial);
const run = (run_id: string, over: Partial<RunRow>, t: [number, number, number, number, number | null]): RunRow =>
  runRow({ run_id, ...at("d1"), train_seconds: t[0], score_seconds: t[1], select_seconds: t[2], evaluate_seconds: t[3], reference_seconds: t[4], ...over });

const rows: RunRow[] = [
  run("r1", { seed: 1 }, [1, 0.25, 0, 0.5, null]),
  run("r2", { seed: 2 }, [3, 0.75, 0.5, 0.5, null]),
  run("m1", { sampler: "margin", status: "failed" }, [100, 100, 100, 100, 100]),
  run("m2", { sampler: "margin", seed: 2 }, [4, 1, 1, 1, 2]),
  run("k1", { mode: "keep-train" }, [0.5, 0.25, 0, 0.25, null]),
  run("x1", { ...at("d2") }, [2, 2, 2, 2, null]),
  // A baseline's sizes are its own (initial 1): it is placed by its data set only.
  run("b1", { ...at("d1", "1"), kind: "baseline", baseline_percent: 10, stored_rounds: 1 }, [0.5, 0, 0, 0.25, null]),
];

const secondsOf = (times: ReturnType<typeof phaseTimes>, setting: string, bar: string) =>
  times.filter((t) => t.setting === setting && t.bar === bar).map((t) => [t.phase, t.seconds]);

describe("phaseTimes", () => {
  const times = phaseTimes(rows);

  it("averages each phase's seconds over the finished seeds, a missing phase as 0", () => {
    expect(secondsOf(times, "dataset: d1", "random · retrain")).toEqual([["train", 2], ["score", 0.5], ["select", 0.25], ["evaluate", 0.5], ["reference", 0]]);
    expect(times.find((t) => t.bar === "random · retrain" && t.setting === "dataset: d1")!.runs).toBe(2);
  });

  it("leaves out failed runs and keeps modes, data sets and baselines apart", () => {
    expect(secondsOf(times, "dataset: d1", "margin · retrain")).toEqual([["train", 4], ["score", 1], ["select", 1], ["evaluate", 1], ["reference", 2]]);
    expect(secondsOf(times, "dataset: d1", "random · keep-train")[0]).toEqual(["train", 0.5]);
    expect(secondsOf(times, "dataset: d2", "random · retrain")[0]).toEqual(["train", 2]);
    expect(secondsOf(times, "dataset: d1", "baseline 10% · retrain")[0]).toEqual(["train", 0.5]);
    expect(new Set(times.map((t) => t.setting))).toEqual(new Set(["dataset: d1", "dataset: d2"]));
    expect(times).toHaveLength(5 * 5); // 5 bars × 5 phases
  });

  it("has no panel label when no other axis varies", () => {
    const one = phaseTimes(rows.filter((r) => r.dataset === "d1"));
    expect(new Set(one.map((t) => t.setting))).toEqual(new Set([""]));
  });
});

describe("phaseTimesChart", () => {
  it("draws one captioned chart per setting, the phases stacked, widths in proportion to seconds", () => {
    const div = phaseTimesChart(phaseTimes(rows), { document, width: 600 });
    expect(div.className).toBe("phase-times");
    expect([...div.querySelectorAll("p.phase-setting")].map((p) => p.textContent)).toEqual(["dataset: d1", "dataset: d2"]);
    const charts = [...div.querySelectorAll(":scope > figure, :scope > svg")];
    expect(charts).toHaveLength(2);
    const yLabels = (c: Element) => [...c.querySelectorAll('g[aria-label="y-axis tick label"] text')].map((t) => t.textContent);
    expect(yLabels(charts[0]!)).toEqual(["random · retrain", "margin · retrain", "random · keep-train", "baseline 10% · retrain"]);
    expect(yLabels(charts[1]!)).toEqual(["random · retrain"]);
    // Only the first chart has the phase legend.
    expect([...charts[0]!.querySelectorAll("span")].map((s) => s.textContent)).toEqual(expect.arrayContaining(["train", "score", "select", "evaluate", "reference fit"]));
    expect(charts[1]!.tagName.toLowerCase()).toBe("svg");
    // d1, random · retrain: train 2 s, score 0.5, select 0.25, evaluate 0.5 → widths 4 : 1 : 0.5 : 1, each starting where the last ends.
    const x = (r: Element) => Number(r.getAttribute("x"));
    const w = (r: Element) => Number(r.getAttribute("width"));
    const rects = [...charts[0]!.querySelectorAll('g[aria-label="bar"] rect')];
    const firstY = rects.map((r) => Number(r.getAttribute("y"))).reduce((a, b) => Math.min(a, b));
    const [train, score, select, evaluate] = rects.filter((r) => Number(r.getAttribute("y")) === firstY && w(r) > 0).sort((a, b) => x(a) - x(b));
    expect(w(train!) / w(score!)).toBeCloseTo(4, 3);
    expect(w(select!) / w(score!)).toBeCloseTo(0.5, 3);
    expect(w(evaluate!) / w(score!)).toBeCloseTo(1, 3);
    expect(x(score!)).toBeCloseTo(x(train!) + w(train!), 3);
    // One x scale for both charts: d2's random bar (8 s) is the longest and spans the axis; d1's (3.25 s) 3.25 / 8 of it.
    const span = (c: Element, y: number) => [...c.querySelectorAll('g[aria-label="bar"] rect')].filter((r) => Number(r.getAttribute("y")) === y).reduce((s, r) => s + w(r), 0);
    const d2Rects = [...charts[1]!.querySelectorAll('g[aria-label="bar"] rect')];
    expect(span(charts[0]!, firstY) / span(charts[1]!, Number(d2Rects[0]!.getAttribute("y")))).toBeCloseTo(3.25 / 8, 3);
  });
});
