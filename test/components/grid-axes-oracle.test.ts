/** Oracle and cost-budget axes as labels: report pickers (grid-axes.ts) and progress lines. */
import { describe, expect, it } from "vitest";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import { runLabeller } from "../../lib/runner/progress.ts";
import { gridAxisLabels } from "../../src/components/grid-axes.ts";

const base: RunConfig = {
  experiment: "e",
  dataset: { name: "wdbc" },
  learner: { name: "logistic", options: {} },
  sampler: { name: "margin", options: {} },
  mode: "retrain",
  initial: { size: 20, stratified: false },
  acquisition: { size: 10 },
  rounds: 2,
  epochs: 1,
  seed: 1,
};

describe("oracle axis labels", () => {
  it("read 'perfect' beside noisy oracles, '—' where no run has one", () => {
    const configs = [base, { ...base, oracle: { noise: 0.2 } }, { ...base, oracle: { confusion: [[0.9, 0.1], [0, 1]] } }];
    expect(gridAxisLabels(configs).map((l) => l.oracle)).toEqual(["perfect", "noise 0.2", "confusion"]);
    expect(gridAxisLabels([base, { ...base, seed: 2 }]).map((l) => l.oracle)).toEqual(["—", "—"]);
    // An annotator's column is named by its column; the progress line says it is one.
    const columns = [base, { ...base, oracle: { column: "ann1" } }, { ...base, oracle: { column: "ann2" } }];
    expect(gridAxisLabels(columns).map((l) => l.oracle)).toEqual(["perfect", "column ann1", "column ann2"]);
    expect(columns.map(runLabeller(columns))).toEqual(["margin · retrain · perfect oracle · seed 1", "margin · retrain · oracle column ann1 · seed 1", "margin · retrain · oracle column ann2 · seed 1"]);
    // Two matrices share the short label, so their entries are added.
    const two = gridAxisLabels([{ ...base, oracle: { confusion: [[1, 0], [0.5, 0.5]] } }, { ...base, oracle: { confusion: [[0.5, 0.5], [0, 1]] } }]).map((l) => l.oracle);
    expect(new Set(two).size).toBe(2);
    expect(two.every((l) => l.startsWith("confusion {confusion:"))).toBe(true);
  });

  it("name the oracle and the cost budget in progress lines where they vary", () => {
    const { rounds: _r, ...rest } = base;
    const grid: RunConfig[] = [
      { ...rest, costBudget: 30, cost: 1 },
      { ...rest, costBudget: 30, cost: 1, oracle: { noise: 0.2 } },
      { ...rest, costBudget: 60, cost: 1, oracle: { confusion: [[1, 0], [0.5, 0.5]] } },
    ];
    expect(grid.map(runLabeller(grid))).toEqual([
      "margin · retrain · cost budget 30 · perfect oracle · seed 1",
      "margin · retrain · cost budget 30 · noise 0.2 · seed 1",
      "margin · retrain · cost budget 60 · confusion oracle · seed 1",
    ]);
  });
});
