import { describe, expect, it } from "vitest";
import { comparisonTable, defaultTarget, formatPValue, formatReach, formatWinTieLoss } from "../../src/components/comparison-table.ts";

// One cell, random and margin, 3 seeds, points at 10/20/30 labels.
const curve = (sampler: string, seed: number, ys: number[], mode = "retrain") =>
  ys.map((accuracy, i) => ({ dataset: "a", learner: "logistic", sampler, mode, seed, labelled: 10 + 10 * i, accuracy }));
const rows = [
  ...curve("random", 1, [0.5, 0.6, 0.7]), // area (0.55 + 0.65) / 2 = 0.6
  ...curve("random", 2, [0.4, 0.6, 0.8]), // area 0.6
  ...curve("random", 3, [0.5, 0.5, 0.5]), // area 0.5
  ...curve("margin", 1, [0.6, 0.8, 0.9]), // area (0.7 + 0.85) / 2 = 0.775
  ...curve("margin", 2, [0.5, 0.7, 0.8]), // area 0.675
  ...curve("margin", 3, [0.5, 0.5, 0.6]), // area 0.525
];

describe("comparisonTable", () => {
  it("keeps area and final value with their CIs", () => {
    const [random, margin] = comparisonTable(rows, { target: 0.75 });
    expect([random!.sampler, margin!.sampler]).toEqual(["random", "margin"]);
    expect(random!.area!.mean).toBeCloseTo((0.6 + 0.6 + 0.5) / 3, 12);
    expect(margin!.area!.mean).toBeCloseTo((0.775 + 0.675 + 0.525) / 3, 12);
    expect(margin!.final.mean).toBeCloseTo((0.9 + 0.8 + 0.6) / 3, 12);
    expect(margin).toMatchObject({ n: 3, finalLabelled: 30, areaStored: false, mode: "retrain", dataset: "a" });
  });

  it("counts the labels each seed needs to reach the target, and the seeds that never do", () => {
    const [random, margin] = comparisonTable(rows, { target: 0.75 });
    // random: seed 2 crosses between 0.6 @ 20 and 0.8 @ 30 → 20 + 0.15 / 0.2 × 10 = 27.5; seeds 1 and 3 never.
    expect(random!.reach).toMatchObject({ target: 0.75, reached: 1, never: 2 });
    expect(random!.reach.labels!.mean).toBeCloseTo(27.5, 12);
    // margin: seed 1 → 10 + 0.15 / 0.2 × 10 = 17.5, seed 2 → 20 + 0.05 / 0.1 × 10 = 25; mean 21.25,
    // sd = √2 × 3.75, half-width = 12.706 × 3.75 = 47.6475.
    expect(margin!.reach).toMatchObject({ reached: 2, never: 1 });
    expect(margin!.reach.labels!.mean).toBeCloseTo(21.25, 12);
    expect(margin!.reach.labels!.ciHigh - 21.25).toBeCloseTo(47.6475, 4);
    expect(formatReach(margin!.reach)).toBe("21 [-26, 69] (1 of 3 never)");
    expect(formatReach(random!.reach)).toBe("28 (2 of 3 never)");
    expect(formatReach(comparisonTable(rows, { target: 0.95 })[0]!.reach)).toBe("never (3 seeds)");
  });

  it("defaults the target to 95% of the best final mean", () => {
    // margin's final mean (0.9 + 0.8 + 0.6) / 3 = 0.76667 is the best; × 0.95 = 0.72833
    expect(defaultTarget(rows)).toBeCloseTo(0.95 * (2.3 / 3), 12);
    expect(comparisonTable(rows)[0]!.reach.target).toBeCloseTo(0.95 * (2.3 / 3), 12);
    expect(defaultTarget([])).toBeUndefined();
  });

  it("tests each sampler against random on the paired areas: Wilcoxon and win/tie/loss", () => {
    const [random, margin] = comparisonTable(rows);
    expect(random!.versus).toEqual({ status: "reference" });
    // Differences 0.175, 0.075, 0.025, all positive: W+ = 6 of 6, exact two-sided p = 2 × 1/8 = 0.25.
    expect(margin!.versus).toMatchObject({ status: "paired", pairs: 3, wins: 3, ties: 0, losses: 0 });
    expect(margin!.versus.status === "paired" && margin!.versus.pValue).toBeCloseTo(0.25, 12);
    expect(formatPValue(margin!.versus)).toBe("0.250");
    expect(formatWinTieLoss(margin!.versus)).toBe("3/0/0");
    expect(formatPValue(random!.versus)).toBe("reference");
    expect(formatWinTieLoss(random!.versus)).toBe("—");
  });

  it("pairs only within the same cell and mode, and says n/a for one seed", () => {
    const more = [...rows, ...curve("margin", 1, [0.5, 0.6, 0.9], "keep-train"), ...curve("random", 1, [0.6, 0.6, 0.6], "keep-train"), ...curve("entropy", 1, [0.5, 0.5, 0.5])];
    const table = comparisonTable(more.map((r) => (r.mode === "keep-train" ? { ...r, dataset: "b" } : r)));
    const keep = table.find((d) => d.sampler === "margin" && d.mode === "keep-train")!;
    // b's margin (area (0.55 + 0.75) / 2 = 0.65) against b's random (0.6): one pair.
    expect(keep.versus).toEqual({ status: "paired", pairs: 1, pValue: null, note: "n/a (1 seed)", wins: 1, ties: 0, losses: 0 });
    expect(formatPValue(keep.versus)).toBe("n/a (1 seed)");
    expect(formatWinTieLoss(keep.versus)).toBe("1/0/0");
    // entropy (seed 1 only) vs random seed 1 (0.6 vs 0.5): a loss.
    const entropy = table.find((d) => d.sampler === "entropy")!;
    expect(formatWinTieLoss(entropy.versus)).toBe("0/0/1");
  });

  it("says when there is no random run in the cell", () => {
    const table = comparisonTable(rows.filter((r) => r.sampler !== "random"));
    expect(table[0]!.versus).toEqual({ status: "missing" });
    expect(formatPValue(table[0]!.versus)).toBe("no random run");
    expect(formatWinTieLoss(table[0]!.versus)).toBe("—");
  });

  it("uses a curve's stored areas when every seed has one, for the interval and the test", () => {
    const stored = [1, 2, 3].map((seed, i) => ({ dataset: "a", sampler: "margin", mode: "retrain", seed, kind: "al", name: "aulc_accuracy", value: [0.8, 0.7, 0.5][i]! }));
    const [random, margin] = comparisonTable(rows, { stored, storedKeys: ["dataset", "sampler", "mode"] });
    expect(margin!.areaStored).toBe(true);
    expect(margin!.area!.mean).toBeCloseTo(2 / 3, 12);
    expect(random!.areaStored).toBe(false);
    // 0.8 − 0.6, 0.7 − 0.6, 0.5 − 0.5: the zero is dropped, 2 positive ranks → p = 2 × 1/4 = 0.5.
    expect(margin!.versus).toMatchObject({ pairs: 3, pValue: 0.5, wins: 2, ties: 1, losses: 0 });
    // One seed short: computed again.
    expect(comparisonTable(rows, { stored: stored.slice(1) })[1]!.areaStored).toBe(false);
  });

  it("turns wins and the target around when lower is better", () => {
    const loss = rows.map((r) => ({ ...r, log_loss: 1 - r.accuracy }));
    const [random, margin] = comparisonTable(loss, { metric: "log_loss", higherIsBetter: false, target: 0.25 });
    // margin's areas are lower than random's on every seed: three wins; the test is two-sided, p = 0.25 as before.
    expect(formatWinTieLoss(margin!.versus)).toBe("3/0/0");
    expect(margin!.versus.status === "paired" && margin!.versus.pValue).toBeCloseTo(0.25, 12);
    // 1 − 0.75: the same crossings as the accuracy target 0.75.
    expect(margin!.reach.labels!.mean).toBeCloseTo(21.25, 12);
    expect(random!.reach.reached).toBe(1);
    // The best (lowest) final mean 1 − 0.76667 = 0.23333, × 1.05
    expect(defaultTarget(loss, { metric: "log_loss", higherIsBetter: false })).toBeCloseTo(1.05 * (1 - 2.3 / 3), 12);
  });

  it("measures area and cost to reach over the labels' cost when x is cost", () => {
    // random's labels cost 1 each (costs 10, 20, 30: the areas as by count); margin picks dearer
    // points: costs 10, 40, 50 for 10, 20, 30 labels.
    const costed = [
      ...curve("random", 1, [0.5, 0.6, 0.7]).map((r, i) => ({ ...r, cost: [10, 20, 30][i]! })),
      ...curve("margin", 1, [0.6, 0.8, 0.9]).map((r, i) => ({ ...r, cost: [10, 40, 50][i]! })),
      // A round without a cost is left out of the cost curve only.
      { dataset: "a", learner: "logistic", sampler: "margin", mode: "retrain", seed: 1, labelled: 40, accuracy: 0.95 },
    ];
    const [random, margin] = comparisonTable(costed, { target: 0.75, x: "cost" });
    expect(random!.area!.mean).toBeCloseTo(0.6, 12);
    // margin over cost: (0.7 × 30 + 0.85 × 10) / 40 = 0.7375 (by count it would be 0.775).
    expect(margin!.area!.mean).toBeCloseTo(0.7375, 12);
    expect(margin!.finalLabelled).toBe(50);
    expect(margin!.final.mean).toBeCloseTo(0.9, 12);
    // Reaching 0.75: between 0.6 @ cost 10 and 0.8 @ cost 40 → 10 + 0.75 × 30 = 32.5.
    expect(margin!.reach.labels!.mean).toBeCloseTo(32.5, 12);
    expect(formatReach(margin!.reach, 1)).toBe("32.5");
    // The stored area over cost is aulc_cost_<metric>, never the area by count.
    const stored = [{ run_id: "m1", sampler: "margin", mode: "retrain", seed: 1, name: "aulc_accuracy", value: 0.1 }, { run_id: "m1", sampler: "margin", mode: "retrain", seed: 1, name: "aulc_cost_accuracy", value: 0.2 }];
    expect(comparisonTable(costed, { target: 0.75, x: "cost", stored })[1]!).toMatchObject({ areaStored: true, area: { mean: 0.2 } });
    expect(comparisonTable(costed, { target: 0.75, stored })[1]!).toMatchObject({ areaStored: true, area: { mean: 0.1 } });
  });

  it("rejects a target that is not a number", () => {
    expect(() => comparisonTable(rows, { target: Number.NaN })).toThrow(/target = NaN must be a finite number/);
  });
});
