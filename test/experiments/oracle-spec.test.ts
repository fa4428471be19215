/**
 * `oracle`, `cost` and `costBudget` in an experiment: validation (one line naming the file and
 * the field), grid expansion, plans, and run ids that stay as they were without them.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planRun } from "../../lib/al/plan.ts";
import { loadExperiment, parseExperiment } from "../../lib/experiments/define.ts";
import { expandExperiment } from "../../lib/experiments/grid.ts";
import { runId } from "../../lib/experiments/id.ts";
import { revisionOf } from "../../lib/revisions.ts";

const base = {
  name: "t",
  dataset: "noisy-blobs",
  learner: "logistic",
  samplers: ["random", "margin"],
  initial: { size: 4 },
  acquisition: { size: 2 },
  rounds: 1,
  epochs: 1,
  seeds: [1],
};

function errorOf(spec: Record<string, unknown>): string {
  try {
    expandExperiment(parseExperiment({ ...base, ...spec }, "exp.ts"), "exp.ts");
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
}

describe("oracle and cost fields", () => {
  it.each([
    [{ oracle: { noise: 1 } }, "exp.ts: oracle.noise: expected a share in [0, 1), got 1"],
    [{ oracle: { noise: -0.1 } }, "exp.ts: oracle.noise: expected a share in [0, 1), got -0.1"],
    [{ oracle: [{ noise: 0.1 }, { noise: 0.1 }] }, "exp.ts: oracle[1]: this value is listed twice (also at [0]); remove the repeat or change it"],
    [{ oracle: { confusion: [[1, 0], [0, 1, 0]] } }, "exp.ts: oracle.confusion[1]: expected 2 entries (a square matrix: 2 rows), got 3"],
    [{ oracle: { confusion: [[0.5, 0.4], [0, 1]] } }, "exp.ts: oracle.confusion[0]: the row sums to 0.9, expected 1 (a distribution over given labels)"],
    [{ oracle: { confusion: [[1.2, -0.2], [0, 1]] } }, "exp.ts: oracle.confusion[0][0]: expected a probability in [0, 1], got 1.2"],
    [{ oracle: { flips: 0.1 } }, "exp.ts: oracle: expected { noise: share }, { confusion: [[…], …] } or { column: name }"],
    [{ cost: 0 }, "exp.ts: cost: expected a cost > 0, got 0"],
    [{ cost: { perCharacter: -1 } }, "exp.ts: cost.perCharacter: expected a cost > 0, got -1"],
    [{ rounds: undefined, costBudget: 10 }, "exp.ts: costBudget: a budget in cost units needs `cost` (what each label costs)"],
    [{ costBudget: 10, cost: 1 }, "exp.ts: costBudget: give one of `rounds`, `budget`, `costBudget`, not `rounds` and `costBudget`"],
    [{ rounds: undefined, costBudget: 0, cost: 1 }, "exp.ts: costBudget: expected a cost budget > 0, got 0"],
  ])("%j → %s", (spec, message) => {
    expect(errorOf(spec)).toBe(message);
  });

  it("makes the oracle a grid axis; noise 0 is no oracle, a matrix stays (to be checked against the data)", () => {
    const spec = parseExperiment({ ...base, oracle: [{ noise: 0 }, { noise: 0.2 }, { confusion: [[1, 0], [0, 1]] }], cost: 2 }, "exp.ts");
    const runs = expandExperiment(spec, "exp.ts");
    expect(runs.map((r) => [r.sampler.name, r.oracle ?? "perfect", r.cost])).toEqual([
      ["random", "perfect", 2],
      ["random", { noise: 0.2 }, 2],
      ["random", { confusion: [[1, 0], [0, 1]] }, 2],
      ["margin", "perfect", 2],
      ["margin", { noise: 0.2 }, 2],
      ["margin", { confusion: [[1, 0], [0, 1]] }, 2],
    ]);
  });

  it("leaves the quickstart's run ids as they were before oracles existed", async () => {
    const file = join(import.meta.dirname, "../../experiments/quickstart.ts");
    const identity = { checksum: "c", version: "1", backend: "wasm" };
    const ids = expandExperiment(await loadExperiment(file, "ci"), file).map((c) => runId(c, identity));
    // Recorded from the code without oracles (same identity, learner revision mlp 2 — the
    // transposed-matmul kernels changed them, not the oracle): stored runs stay valid.
    expect(ids).toEqual(["301b635311929e2e", "36f14c6a4fce85ab", "7536ce9a49145a29", "e91273b4736d3c98", "b32ca0ea4f165075", "f298ce6674ba4461", "7df1e7dc1000675a", "025da53c4eaefd0a"]);
    // `oracle: { noise: 0 }` is the same experiment, so the same runs; noise 0.1 is another run.
    const spec = await loadExperiment(file, "ci");
    expect(expandExperiment({ ...spec, oracle: { noise: 0 } }, file).map((c) => runId(c, identity))).toEqual(ids);
    const noisy = expandExperiment({ ...spec, oracle: { noise: 0.1 } }, file).map((c) => runId(c, identity));
    expect(noisy.filter((id) => ids.includes(id))).toEqual([]);
  });

  it("re-keys only the stratified runs under an oracle, whose initial set is now balanced by the given labels", () => {
    const runs = (spec: Record<string, unknown>) => expandExperiment(parseExperiment({ ...base, ...spec }, "exp.ts"), "exp.ts");
    const stratified = { initial: { size: 4, stratified: true } };
    expect(runs({ ...stratified, oracle: { noise: 0.2 } }).map((r) => revisionOf(r)["oracleInitial"])).toEqual([2, 2]);
    // No oracle, a random initial set or a k-means cold start: their numbers did not change.
    for (const spec of [stratified, { oracle: { noise: 0.2 } }, { oracle: { noise: 0.2 }, initial: { size: 4, kmeans: true } }]) {
      expect(runs(spec).map((r) => revisionOf(r)["oracleInitial"])).toEqual([undefined, undefined]);
    }
  });
});

describe("oracle and cost columns of a user's table", () => {
  const own = { ...base, dataset: { file: "/data/study.csv", label: "label" } };
  const runs = (spec: Record<string, unknown>) => expandExperiment(parseExperiment({ ...own, ...spec }, "exp.ts"), "exp.ts");
  const identity = { checksum: "c", version: "1", backend: "wasm" };

  it("read every named column in every run of the experiment, the perfect oracle's too, so all train on the same features", () => {
    const grid = runs({ oracle: [{ noise: 0 }, { column: "ann1" }, { column: "ann2" }], cost: { column: "seconds" } });
    expect(grid.map((r) => [r.sampler.name, r.oracle ?? "perfect", r.cost])).toEqual([
      ["random", "perfect", { column: "seconds" }],
      ["random", { column: "ann1" }, { column: "seconds" }],
      ["random", { column: "ann2" }, { column: "seconds" }],
      ["margin", "perfect", { column: "seconds" }],
      ["margin", { column: "ann1" }, { column: "seconds" }],
      ["margin", { column: "ann2" }, { column: "seconds" }],
    ]);
    for (const r of grid) expect(r.dataset).toMatchObject({ annotations: { oracle: ["ann1", "ann2"], cost: "seconds" } });
  });

  it("put the column's name in the run id (the data checksum covers the cells)", () => {
    const ids = (spec: Record<string, unknown>) => runs(spec).map((r) => runId(r, identity));
    const one = ids({ oracle: { column: "ann1" } });
    expect(new Set([...one, ...ids({ oracle: { column: "ann2" } })]).size).toBe(4);
    expect(new Set([...ids({ cost: { column: "seconds" } }), ...ids({ cost: { column: "minutes" } })]).size).toBe(4);
    // Without annotation columns the file's runs keep their ids.
    expect(ids({})).toEqual(expandExperiment(parseExperiment(own, "exp.ts"), "exp.ts").map((r) => runId(r, identity)));
  });

  it.each([
    [{ oracle: { column: "" } }, "exp.ts: oracle.column: expected a column name, got \"\""],
    [{ cost: { column: "" } }, "exp.ts: cost.column: expected a column name, got \"\""],
    [{ dataset: "noisy-blobs", oracle: { column: "ann" } }, 'exp.ts: oracle.column: data set "noisy-blobs" is not a user\'s table file; a column of annotations needs dataset: { file: "….csv", label: "…" } (or use { noise } or { confusion })'],
    [{ dataset: "wdbc", cost: { column: "seconds" } }, 'exp.ts: cost.column: data set "wdbc" is not a user\'s table file; a column of annotations needs dataset: { file: "….csv", label: "…" } (or use a constant cost)'],
    [{ dataset: { file: "/data/arrays.npz" }, oracle: { column: "ann" } }, "exp.ts: dataset: oracle.column applies only to table files (csv, tsv, jsonl, parquet), not npz; convert the data to a table, or use { noise } or { confusion }"],
  ])("%j → %s", (spec, message) => {
    let error = "no error";
    try {
      runs(spec);
    } catch (e) {
      error = (e as Error).message;
    }
    expect(error).toBe(message);
  });
});

describe("cost-budget plans", () => {
  const config = (costBudget: number, cost: number | { perCharacter: number; base?: number }) =>
    expandExperiment(parseExperiment({ ...base, rounds: undefined, costBudget, cost }, "exp.ts"), "exp.ts")[0]!;

  it("bound the batches by what the budget buys at the cheapest cost", () => {
    // Cost 2, budget 15: 7 labels at most (14); initial 4, then batches of 2 and 1.
    expect(planRun(config(15, 2), 100, 2)).toEqual({ validation: 0, initial: 4, batches: [2, 1], costBudget: 15 });
    // The cheapest point costs 0.5 (from the data): 40 labels at most, 36 after the initial set.
    expect(planRun(config(20, { perCharacter: 0.5 }), 100, 2, { minCost: 0.5 }).batches).toEqual(new Array(18).fill(2));
    // Without the data: one character, 0.5, too; with a base the base bounds it.
    expect(planRun(config(20, { perCharacter: 0.5, base: 1 }), 100, 2).batches.length).toBe(8);
    // The pool bounds it as well.
    expect(planRun(config(1000, 1), 10, 2).batches).toEqual([2, 2, 2]);
  });

  it("refuse a budget that cannot pay for the initial set", () => {
    expect(() => planRun(config(7, 2), 100, 2)).toThrow("costBudget: 7 cannot pay for the initial set of 4 at 2 or more each; raise costBudget or lower initial.size");
  });
});
