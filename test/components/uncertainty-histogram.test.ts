import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { GRID_AXIS_NAMES, type AxisLabels } from "../../src/components/grid-axes.ts";
import { histogramBars, histogramRounds, uncertaintyHistogram, varyingKeys, type HistogramData, type HistogramRound, type HistogramRun } from "../../src/components/uncertainty-histogram.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;

const axes = (dataset: string): AxisLabels => ({ ...(Object.fromEntries(GRID_AXIS_NAMES.map((a) => [a, "—"])) as AxisLabels), dataset });
const run = (id: string, sampler: string, seed: number, dataset: string, histograms: HistogramRound[]): HistogramRun => ({ run_id: id, ...axes(dataset), sampler, mode: "retrain", seed, histograms });

// Two bins over [0, 1]. Sampler a has seeds 1 and 2 on d1 (and seed 1 on d2); b has seed 1 on d1 and no round 1.
const data: HistogramData = {
  edges: [0, 0.5, 1],
  skipped: 0,
  runs: [
    run("a1", "a", 1, "d1", [{ round: 0, pool: [3, 1], batch: [0, 2] }, { round: 1, pool: [2, 0], batch: [1, 1] }]),
    run("a2", "a", 2, "d1", [{ round: 0, pool: [1, 3], batch: [1, 1] }, { round: 1, pool: [1, 1], batch: [0, 2] }]),
    run("b1", "b", 1, "d1", [{ round: 0, pool: [6, 2], batch: [2, 0] }]),
    run("a1-d2", "a", 1, "d2", [{ round: 0, pool: [0, 4], batch: [0, 2] }, { round: 2, pool: [1, 1], batch: null }]),
  ],
};

const pick = (bars: ReturnType<typeof histogramBars>, sampler: string, target: string) =>
  bars.filter((b) => b.sampler === sampler && b.target === target).map((b) => [b.count, b.share]);

describe("histogramBars", () => {
  it("sums the seeds' counts and normalises pool and batch to shares separately", () => {
    const bars = histogramBars(data, { where: { dataset: "d1" }, round: 0, seed: "sum" });
    // a pool: [3, 1] + [1, 3] = [4, 4] → 0.5, 0.5; a batch: [0, 2] + [1, 1] = [1, 3] → 0.25, 0.75.
    expect(pick(bars, "a", "pool")).toEqual([[4, 0.5], [4, 0.5]]);
    expect(pick(bars, "a", "batch")).toEqual([[1, 0.25], [3, 0.75]]);
    // b pool [6, 2] → 0.75, 0.25; batch [2, 0] → 1, 0.
    expect(pick(bars, "b", "pool")).toEqual([[6, 0.75], [2, 0.25]]);
    expect(pick(bars, "b", "batch")).toEqual([[2, 1], [0, 0]]);
    const first = bars.find((b) => b.sampler === "a" && b.target === "batch" && b.bin === 1)!;
    expect(first).toMatchObject({ lo: 0.5, hi: 1, total: 4, seeds: 2 });
  });

  it("takes one seed when asked, and leaves out a sampler without that round", () => {
    const bars = histogramBars(data, { where: { dataset: "d1" }, round: 1, seed: 1 });
    expect(pick(bars, "a", "pool")).toEqual([[2, 1], [0, 0]]);
    expect(pick(bars, "a", "batch")).toEqual([[1, 0.5], [1, 0.5]]);
    expect(bars.every((b) => b.seeds === 1)).toBe(true);
    expect(pick(bars, "b", "pool")).toEqual([]);
  });

  it("keeps the samplers asked for, in that order, and skips a missing batch", () => {
    const bars = histogramBars(data, { where: { dataset: "d1" }, round: 0, seed: "sum", samplers: ["b", "a"] });
    expect([...new Set(bars.map((b) => b.sampler))]).toEqual(["b", "a"]);
    const d2 = histogramBars(data, { where: { dataset: "d2" }, round: 2, seed: "sum" });
    expect(d2.map((b) => b.target)).toEqual(["pool", "pool"]);
  });

  it("refuses to add up runs of different data sets", () => {
    expect(() => histogramBars(data, { round: 0, seed: "sum" })).toThrow("histogramBars: sampler a has runs with dataset d1, d2; pick one dataset (only seeds may be summed)");
    const twice = { ...data, runs: [...data.runs, { ...data.runs[0]!, run_id: "a1-other" }] };
    expect(() => histogramBars(twice, { where: { dataset: "d1" }, round: 0, seed: 1 })).toThrow(/several runs of one seed \(a1, a1-other\)/);
  });

  it("says which axes vary and which rounds a setting has", () => {
    expect(varyingKeys(data)).toEqual(["dataset"]);
    expect(histogramRounds(data, { dataset: "d1" })).toEqual([0, 1]);
    expect(histogramRounds(data, { dataset: "d2" })).toEqual([0, 2]);
    expect(histogramRounds(data)).toEqual([0, 1, 2]);
  });
});

describe("uncertaintyHistogram", () => {
  const bars = histogramBars(data, { where: { dataset: "d1" }, round: 0, seed: "sum" });

  it("draws one panel per sampler with pool bars up and batch bars down, heights as shares", () => {
    const fig = uncertaintyHistogram(bars, { document, width: 600 });
    expect([...fig.querySelectorAll('g[aria-label="fy-axis tick label"] text')].map((t) => t.textContent)).toEqual(["a", "b"]);
    const pool = [...fig.querySelectorAll("g.histogram-pool rect")];
    const batch = [...fig.querySelectorAll("g.histogram-batch rect")];
    expect(pool).toHaveLength(4); // 2 samplers × 2 bins
    expect(batch).toHaveLength(4);
    const h = (r: Element) => Number(r.getAttribute("height"));
    const y = (r: Element) => Number(r.getAttribute("y"));
    // Panel a: pool 0.5 / 0.5 (equal), batch 0.25 / 0.75 (1 : 3); b: pool 0.75 / 0.25 (3 : 1), batch 1 / 0.
    const [aPool0, aPool1, bPool0, bPool1] = pool;
    const [aBatch0, aBatch1, bBatch0, bBatch1] = batch;
    expect(h(aPool0!)).toBeCloseTo(h(aPool1!), 6);
    expect(h(aBatch1!) / h(aBatch0!)).toBeCloseTo(3, 6);
    expect(h(bPool0!) / h(bPool1!)).toBeCloseTo(3, 6);
    expect(h(bBatch0!) / h(aPool0!)).toBeCloseTo(2, 6);
    expect(h(bBatch1!)).toBeCloseTo(0, 6);
    // Mirrored: a pool bar ends where its panel's batch bar starts (the zero line).
    expect(y(aPool0!) + h(aPool0!)).toBeCloseTo(y(aBatch0!), 6);
    // Different colours for pool and batch, and a legend naming both.
    expect(pool[0]!.getAttribute("fill") ?? pool[0]!.parentElement!.getAttribute("fill")).not.toBe(batch[0]!.getAttribute("fill") ?? batch[0]!.parentElement!.getAttribute("fill"));
    expect([...fig.querySelectorAll("span")].map((s) => s.textContent)).toEqual(expect.arrayContaining(["Unlabelled pool", "Selected batch"]));
  });

  it("labels the shares as percentages on both sides of the axis", () => {
    const fig = uncertaintyHistogram(bars, { document });
    const ticks = [...fig.querySelectorAll('g[aria-label="y-axis tick label"] text')].map((t) => t.textContent);
    expect(ticks).toContain("50%");
    expect(ticks.filter((t) => t === "50%").length).toBeGreaterThanOrEqual(2); // +0.5 and −0.5
    expect(ticks.some((t) => t?.startsWith("-") || t?.startsWith("−"))).toBe(false);
  });
});
