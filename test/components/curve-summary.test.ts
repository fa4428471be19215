import { describe, expect, it } from "vitest";
import { curveSummary, formatInterval, interval, normalisedArea, withStoredArea } from "../../src/components/curve-summary.ts";
import { gridAxisLabels } from "../../src/components/grid-axes.ts";

describe("curveSummary", () => {
  // Two data sets, one sampler, 2 seeds, points at 20/30/40 labels.
  const curve = (dataset: string, seed: number, ys: number[]) =>
    ys.map((accuracy, i) => ({ dataset, learner: "logistic", sampler: "random", mode: "retrain", seed, labelled: 20 + 10 * i, accuracy }));
  const rows = [...curve("a", 1, [0.5, 0.7, 0.9]), ...curve("a", 2, [0.5, 0.5, 0.5]), ...curve("b", 1, [0.9, 0.9, 0.9]), ...curve("b", 2, [0.9, 0.9, 0.9])];

  it("computes each seed's normalised trapezoid area and final value, then mean and CI per curve", () => {
    const s = curveSummary(rows);
    expect(s.map((d) => [d.dataset, d.n, d.finalLabelled])).toEqual([["a", 2, 40], ["b", 2, 40]]);
    // Seed 1: ((0.5 + 0.7) / 2 × 10 + (0.7 + 0.9) / 2 × 10) / 20 = 0.7; seed 2: 0.5 → mean 0.6
    expect(s[0]!.area!.mean).toBeCloseTo(0.6, 12);
    // sd = sqrt(2 × 0.1² / 1) = 0.1414; half-width = 12.706 × 0.1414 / √2 = 1.2706
    expect(s[0]!.area!.ciHigh - s[0]!.area!.mean).toBeCloseTo(1.2706, 4);
    expect(s[0]!.final.mean).toBeCloseTo(0.7, 12);
    expect(s[1]!.area).toEqual({ mean: 0.9, ciLow: 0.9, ciHigh: 0.9 });
  });

  it("has no area for a one-point curve", () => {
    expect(normalisedArea([[20, 0.5]])).toBeUndefined();
    expect(curveSummary(rows.filter((r) => r.labelled === 20))[0]!.area).toBeNull();
  });

  it("formats an interval", () => {
    expect(formatInterval(interval([0.5]))).toBe("0.500");
    expect(formatInterval(interval([0.5, 0.7]))).toBe("0.600 [-0.671, 1.871]");
    expect(formatInterval(null)).toBe("—");
  });
});

describe("gridAxisLabels", () => {
  it("labels each axis by name or size, and adds the options only where names collide", () => {
    const base = { initial: { size: 20, stratified: true }, acquisition: { size: 10 }, rounds: 3, epochs: 5 };
    const labels = gridAxisLabels([
      { ...base, dataset: { name: "noisy-blobs", blobs: 20 }, learner: { name: "mlp", options: { hidden: [64] }, code: "abc" } },
      { ...base, dataset: { name: "diabetes", pool: 200 }, learner: { name: "mlp", options: { hidden: [128] }, code: "def" } },
    ]);
    expect(labels.map((l) => l.dataset)).toEqual(["noisy-blobs", "diabetes"]);
    expect(labels.map((l) => l.learner)).toEqual(['mlp {options:{hidden:[64]}}', 'mlp {options:{hidden:[128]}}']);
    expect(labels[0]).toMatchObject({ initial: "20", acquisition: "10", rounds: "3", epochs: "5", budget: "—", mc_samples: "—" });
  });
});

describe("withStoredArea", () => {
  const table = curveSummary([
    ...[1, 2].flatMap((seed) => [20, 30].map((labelled, i) => ({ dataset: "a", sampler: "random", mode: "retrain", seed, labelled, accuracy: 0.5 + 0.1 * i }))),
    ...[1, 2].flatMap((seed) => [20, 30].map((labelled, i) => ({ dataset: "b", sampler: "random", mode: "retrain", seed, labelled, accuracy: 0.5 + 0.1 * i }))),
  ]);
  const stored = [
    { dataset: "a", sampler: "random", mode: "retrain", seed: 1, kind: "al", name: "aulc_accuracy", value: 0.6 },
    { dataset: "a", sampler: "random", mode: "retrain", seed: 2, kind: "al", name: "aulc_accuracy", value: 0.8 },
    { dataset: "a", sampler: "random", mode: "retrain", seed: 1, kind: "al", name: "final_accuracy", value: 0.1 },
    // Only one of b's two seeds is stored: b keeps its computed area.
    { dataset: "b", sampler: "random", mode: "retrain", seed: 1, kind: "al", name: "aulc_accuracy", value: 0.9 },
  ];

  it("uses the stored per-run areas of a curve only when every seed has one, matching on the keys", () => {
    const { rows, stored: used } = withStoredArea(table, stored, { name: "aulc_accuracy", keys: ["dataset", "sampler", "mode"] });
    expect(used).toBe(true);
    expect(rows[0]!.area!.mean).toBeCloseTo(0.7, 12);
    // b: computed, (0.5 + 0.6) / 2 = 0.55 for each seed
    expect(rows[1]!.area).toEqual(table[1]!.area);
    expect(rows[1]!.area!.mean).toBeCloseTo(0.55, 12);
  });

  it("reports when nothing came from the store", () => {
    expect(withStoredArea(table, stored, { name: "aulc_macro_f1", keys: ["dataset", "sampler", "mode"] }).stored).toBe(false);
  });
});
