import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { seedSummary } from "../../src/components/seed-summary.ts";
import { formatPoints, median, stopMarks, stoppingChart, stoppingSummary, stoppingTable, type StopRun } from "../../src/components/stopping-table.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;

const stop = (rule: string, stop_round: number | null, lost: number | null) => ({
  rule, stop_round, stop_labelled: stop_round === null ? null : 10 + 10 * stop_round, lost_accuracy: lost,
});

// margin: three seeds; "kappa" fires at rounds 1, 3 and never; "pool" fires at rounds 0, 0, 2.
// random: one seed, neither rule fires.
const runs: StopRun[] = [
  { sampler: "margin", mode: "retrain", seed: 1, stopping: [stop("kappa", 1, 0.05), stop("pool", 0, 0.1)] },
  { sampler: "margin", mode: "retrain", seed: 2, stopping: [stop("kappa", 3, -0.01), stop("pool", 0, 0.08)] },
  { sampler: "margin", mode: "retrain", seed: 3, stopping: [stop("kappa", null, null), stop("pool", 2, 0)] },
  { sampler: "random", mode: "retrain", seed: 1, stopping: [stop("kappa", null, null), stop("pool", null, null)] },
];

describe("stoppingSummary", () => {
  it("gives the median stop point and the mean and range of the loss over the seeds where a rule fired", () => {
    const s = stoppingSummary(runs);
    expect(s.map((d) => [d.sampler, d.rule, d.fired, d.runs])).toEqual([
      ["random", "kappa", 0, 1], ["random", "pool", 0, 1], ["margin", "kappa", 2, 3], ["margin", "pool", 3, 3],
    ]);
    // kappa on margin: stops at 20 and 40 labels → median 30 (round 2); loss (0.05 − 0.01) / 2 = 0.02.
    expect(s[2]).toMatchObject({ medianLabelled: 30, medianRound: 2, lostMin: -0.01, lostMax: 0.05 });
    expect(s[2]!.lostMean).toBeCloseTo(0.02, 12);
    // pool on margin: 10, 10, 30 labels → median 10; loss (0.1 + 0.08 + 0) / 3 = 0.06.
    expect(s[3]).toMatchObject({ medianLabelled: 10, medianRound: 0, lostMin: 0, lostMax: 0.1 });
    expect(s[3]!.lostMean).toBeCloseTo(0.06, 12);
    expect(s[0]).toMatchObject({ medianLabelled: null, medianRound: null, lostMean: null, lostMin: null, lostMax: null });
  });

  it("refuses a seed twice for one sampler × mode (another grid axis would be pooled)", () => {
    expect(() => stoppingSummary([...runs, runs[0]!])).toThrow(/seed 1 of margin \(retrain\) appears twice for rule kappa; pick one value/);
  });

  it("median and formatPoints", () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(formatPoints(0.0234)).toBe("+2.3 pp");
    expect(formatPoints(-0.01)).toBe("−1.0 pp");
    expect(formatPoints(0.0001)).toBe("0.0 pp");
    expect(formatPoints(null)).toBe("—");
  });
});

describe("stoppingTable", () => {
  it("has one row per sampler × rule with the summary's values as text", () => {
    const table = stoppingTable(stoppingSummary(runs), { document });
    expect([...table.querySelectorAll("thead th")].map((th) => th.textContent)).toEqual([
      "Sampler", "Rule", "Fired", "Median stop (labels)", "Median round", "Accuracy lost, mean", "Range",
    ]);
    const cells = [...table.querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent));
    expect(cells).toEqual([
      ["random", "kappa", "0 of 1", "never", "—", "—", "—"],
      ["random", "pool", "0 of 1", "never", "—", "—", "—"],
      ["margin", "kappa", "2 of 3", "30", "2", "+2.0 pp", "−1.0 pp to +5.0 pp"],
      ["margin", "pool", "3 of 3", "10", "0", "+6.0 pp", "0.0 pp to +10.0 pp"],
    ]);
  });

  it("adds a Mode column when the rows span modes, and keeps a <script> rule name as text", () => {
    const more = [...runs, { sampler: "margin", mode: "keep-train", seed: 1, stopping: [stop("<script>x</script>", 1, 0.02)] }];
    const table = stoppingTable(stoppingSummary(more), { document });
    expect(table.querySelector("thead th:nth-child(2)")!.textContent).toBe("Mode");
    const last = [...table.querySelectorAll("tbody tr")].at(-1)!;
    expect([...last.querySelectorAll("td")].slice(0, 3).map((td) => td.textContent)).toEqual(["margin", "keep-train", "<script>x</script>"]);
    expect(table.querySelectorAll("script")).toHaveLength(0);
  });
});

describe("stopMarks and stoppingChart", () => {
  // margin's mean accuracy: 0.5 at 10, 0.7 at 30, 0.8 at 40 labels (one seed).
  const curve = seedSummary([
    { sampler: "margin", mode: "retrain", seed: 1, labelled: 10, accuracy: 0.5 },
    { sampler: "margin", mode: "retrain", seed: 1, labelled: 30, accuracy: 0.7 },
    { sampler: "margin", mode: "retrain", seed: 1, labelled: 40, accuracy: 0.8 },
    { sampler: "random", mode: "retrain", seed: 1, labelled: 10, accuracy: 0.4 },
    { sampler: "random", mode: "retrain", seed: 1, labelled: 40, accuracy: 0.6 },
  ]);

  it("puts each fired rule's median stop point on its sampler's mean curve", () => {
    const summary = stoppingSummary([
      { sampler: "margin", mode: "retrain", seed: 1, stopping: [stop("kappa", 1, 0.1), stop("pool", 0, 0.3)] },
      { sampler: "random", mode: "retrain", seed: 1, stopping: [stop("kappa", null, null), stop("pool", 2, 0)] },
    ]);
    const marks = stopMarks(summary, curve);
    // margin kappa at 20 labels: halfway between 0.5 (10) and 0.7 (30) → 0.6; pool at 10 → 0.5;
    // random pool at 30: two thirds of the way from 0.4 (10) to 0.6 (40) → 0.5333…
    expect(marks.map((m) => [m.sampler, m.rule, m.labelled])).toEqual([["random", "pool", 30], ["margin", "kappa", 20], ["margin", "pool", 10]]);
    expect(marks.map((m) => m.value)).toEqual([expect.closeTo(0.4 + 0.2 * (20 / 30), 12), expect.closeTo(0.6, 12), expect.closeTo(0.5, 12)]);

    const chart = stoppingChart(curve, marks, { document });
    expect(chart.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
    expect(chart.querySelectorAll('g[aria-label="dot"] path')).toHaveLength(3);
    // Legends: the rules (in the order asked for, else the marks'), then the samplers.
    const swatches = (el: Element) => [...el.querySelectorAll("[class$='-swatch']")].map((s) => s.textContent);
    expect(swatches(chart)).toEqual(["pool", "kappa", "random", "margin"]);
    expect(swatches(stoppingChart(curve, marks, { document, rules: ["kappa", "pool", "other"] }))).toEqual(["kappa", "pool", "random", "margin"]);
    // No rule fired: the curves alone, no rule legend.
    const bare = stoppingChart(curve, [], { document });
    expect(bare.querySelectorAll('g[aria-label="dot"] path')).toHaveLength(0);
    expect(swatches(bare)).toEqual(["random", "margin"]);
  });
});
