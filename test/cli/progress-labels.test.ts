import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import { grouping, methodNamer } from "../../lib/cli/compare.ts";
import { runLabeller } from "../../lib/runner/progress.ts";
import { study } from "./study.ts";

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
const config = (over: Partial<RunConfig>): RunConfig => ({ ...base, ...over });

describe("progress labels", () => {
  it("name sampler, mode and seed when nothing else varies (as before)", () => {
    const grid = [config({}), config({ sampler: { name: "random", options: {} } }), config({ seed: 2 })];
    expect(grid.map(runLabeller(grid))).toEqual(["margin · retrain · seed 1", "random · retrain · seed 1", "margin · retrain · seed 2"]);
  });

  it("name every axis that varies, and the options that tell same-named things apart", () => {
    const grid = [
      config({}),
      config({ dataset: { name: "noisy-blobs", blobs: 20 }, learner: { name: "knn", options: {} } }),
      config({ dataset: { name: "noisy-blobs", blobs: 40 }, acquisition: { size: 20 }, epochs: 3 }),
      config({ mode: "keep-train", period: 2, budget: 60, rounds: undefined, initial: { size: 30, stratified: true } }),
    ];
    expect(grid.map(runLabeller(grid))).toEqual([
      "wdbc · logistic · margin · retrain · initial 20 · batch 10 · 2 rounds · epochs 1 · seed 1",
      "noisy-blobs (blobs 20) · knn · margin · retrain · initial 20 · batch 10 · 2 rounds · epochs 1 · seed 1",
      "noisy-blobs (blobs 40) · logistic · margin · retrain · initial 20 · batch 20 · 2 rounds · epochs 3 · seed 1",
      "wdbc · logistic · margin · keep-train · initial 30 stratified · batch 10 · budget 60 · epochs 1 · period 2 · seed 1",
    ]);
  });

  it("name the scored candidates when they vary (a random subset per round, or the whole pool)", () => {
    const grid = [config({}), config({ acquisition: { size: 10, candidates: 500 } })];
    expect(grid.map(runLabeller(grid))).toEqual(["margin · retrain · all candidates · seed 1", "margin · retrain · 500 candidates · seed 1"]);
  });

  it("name the MC-sample setting of the samplers that have one when it varies", () => {
    const bald = { name: "bald", options: {} };
    const grid = [
      config({ sampler: { name: "random", options: {} } }),
      config({ sampler: bald, mcSamples: { method: "mc-dropout", samples: 3 } }),
      config({ sampler: bald, mcSamples: { method: "mc-dropout", samples: 5 } }),
    ];
    expect(grid.map(runLabeller(grid))).toEqual(["random · retrain · seed 1", "bald · mc-dropout 3 · retrain · seed 1", "bald · mc-dropout 5 · retrain · seed 1"]);
    // One setting: nothing to tell apart.
    expect(runLabeller(grid.slice(0, 2))(grid[1]!)).toBe("bald · retrain · seed 1");
  });

  it("al compare names BALD at two MC-sample counts as two methods (not one run superseding the other)", () => {
    const bald = { name: "bald", options: {} };
    const grid = [
      config({ sampler: { name: "random", options: {} } }),
      config({ sampler: bald, mcSamples: { method: "mc-dropout", samples: 3 } }),
      config({ sampler: bald, mcSamples: { method: "mc-dropout", samples: 5 } }),
    ];
    expect(grid.map(methodNamer(grid, (s) => s.name))).toEqual(["random", "bald · mc-dropout 3", "bald · mc-dropout 5"]);
    expect(grid.slice(0, 2).map(methodNamer(grid.slice(0, 2), (s) => s.name))).toEqual(["random", "bald"]);
  });

  it("al compare's groups tell runs apart by their scored candidates too", () => {
    const grid = [config({}), config({ acquisition: { size: 10, candidates: 500 } })];
    const name = grouping(grid, (l) => l.name);
    expect(grid.map(name)).toEqual(["batch 10", "batch 10 of 500 candidates"]);
  });

  it("name a run without an oracle the perfect annotator in al compare's groups", () => {
    const grid = [config({}), config({ oracle: { noise: 0.2 } })];
    expect(grid.map(grouping(grid, (l) => l.name))).toEqual(["oracle perfect", 'oracle {"noise":0.2}']);
  });

  it("print baselines as baselines, with their learner", () => {
    const grid = [config({}), config({ baseline: { percent: 10 }, seed: 0 })];
    expect(runLabeller(grid)(grid[1]!)).toBe("baseline 10% · logistic · seed 0");
  });

  it("in a real al run over two data sets and two learners, every line names both", async () => {
    const s = await study();
    const lines = readFileSync(join(s.dir, "progress.log"), "utf8").split("\n").filter((l) => /^\[\d+\/\d+\] /.test(l));
    expect(lines).toHaveLength(48);
    const labels = lines.map((l) => l.replace(/^\[\d+\/\d+\] /, "").replace(/: done in .*$/, "")).sort();
    const expected = ["noisy-blobs", "diabetes"].flatMap((d) =>
      ["logistic", "knn"].flatMap((l) => [1, 2, 3].flatMap((seed) => [
        ...["random", "margin", "entropy"].map((x) => `${d} · ${l} · ${x} · retrain · seed ${seed}`),
        `baseline 10% · ${d} · ${l} · seed ${seed}`,
      ])),
    );
    expect(labels).toEqual(expected.sort());
  });
});
