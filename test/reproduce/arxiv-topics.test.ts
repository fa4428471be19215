/**
 * The arxiv-topics reproduction's measures on hand-built runs whose configs are the experiment's
 * own ci grid, so settings, names and pairings are those a real run gets.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadExperiment } from "../../lib/experiments/define.ts";
import { expandExperiment } from "../../lib/experiments/grid.ts";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import type { ReproductionRun } from "../../lib/reproduce/define.ts";
import { reproduction } from "../../experiments/reproductions/arxiv-topics.ts";

const file = join(import.meta.dirname, "../../experiments/reproductions/arxiv-topics.ts");
let grid: RunConfig[];
beforeAll(async () => {
  grid = expandExperiment(await loadExperiment(file, "ci"), file);
});

function cell(learner: string, sampler: string, mode: "retrain" | "keep-train"): RunConfig {
  const config = grid.find((c) => !c.baseline && c.learner.name === learner && c.sampler.name === sampler && c.mode === mode);
  if (!config) throw new Error(`no ${learner}/${sampler}/${mode} cell in the ci grid`);
  return config;
}
function baseline(learner: string, percent: number): RunConfig {
  const config = grid.find((c) => c.learner.name === learner && c.baseline?.percent === percent);
  if (!config) throw new Error(`no ${learner} ${percent}% baseline in the ci grid`);
  return config;
}

/** A run with macro AUROC per evaluation (80 initial + 20 per round in the ci grid). */
function run(config: RunConfig, auroc: number[]): ReproductionRun {
  return { config, seconds: 1, rounds: auroc.map((v, round) => ({ round, labelled: 80 + 20 * round, metrics: { auroc_multilabel: v, micro_f1: v / 2 } })) };
}

const m = () => reproduction.measures;
const minus = (r: ReproductionRun, all?: ReproductionRun[]) => (m().al_minus_random!.of as (r: ReproductionRun, all?: readonly ReproductionRun[]) => number | undefined)(r, all);

describe("arxiv-topics reproduction", () => {
  it("groups by learner and names baselines by their share of the pool", () => {
    // 1D-CNN: 4 samplers × 2 modes (one keep-train period); BiLSTM: retrain only; 2 baselines each.
    expect(grid).toHaveLength(8 + 4 + 4);
    expect(grid.filter((c) => c.learner.name === "bilstm" && c.mode === "keep-train")).toEqual([]);
    expect(reproduction.setting!(baseline("bilstm", 100))).toBe("bilstm");
    expect(reproduction.setting!(cell("cnn1d", "random", "keep-train"))).toBe("cnn1d");
    expect(reproduction.sampler!(baseline("cnn1d", 10))).toBe("naive 10%");
    expect(reproduction.sampler!(cell("bilstm", "binary-minimum", "retrain"))).toBe("least confidence");
    expect(reproduction.sampler!(cell("bilstm", "random", "retrain"))).toBe("random");
    expect(reproduction.sampler!(cell("bilstm", "binary-bald", "retrain"))).toBe("BALD");
    expect(reproduction.sampler!(cell("cnn1d", "binary-batchbald", "keep-train"))).toBe("BatchBALD");
  });

  it("reads naive training from baseline runs only, and final AUROC from AL runs only", () => {
    const naive = run(baseline("bilstm", 100), [0.84]);
    const al = run(cell("bilstm", "binary-minimum", "retrain"), [0.7, 0.75, 0.78]);
    expect(m().naive_auroc!.of(naive)).toBe(0.84);
    expect(m().naive_auroc!.of(al)).toBeUndefined();
    expect(m().final_auroc!.of(al)).toBe(0.78);
    expect(m().final_auroc!.of(naive)).toBeUndefined();
  });

  it("pairs each AL run with random in the same learner, mode, period and seed", () => {
    const runs = [
      run(cell("bilstm", "random", "retrain"), [0.7, 0.8, 0.82]),
      run(cell("bilstm", "binary-minimum", "retrain"), [0.7, 0.77, 0.8]),
      run(cell("cnn1d", "random", "keep-train"), [0.7, 0.75, 0.8]),
      run(cell("cnn1d", "binary-minimum", "keep-train"), [0.7, 0.8, 0.85]),
      run(cell("cnn1d", "random", "retrain"), [0.6, 0.6, 0.6]),
      run(cell("cnn1d", "binary-minimum", "retrain"), [0.6, 0.62, 0.61]),
      run(baseline("bilstm", 100), [0.9]),
    ];
    expect(minus(runs[1]!, runs)).toBeCloseTo(-0.02, 10);
    expect(minus(runs[3]!, runs)).toBeCloseTo(0.05, 10);
    expect(minus(runs[5]!, runs)).toBeCloseTo(0.01, 10);
    expect(minus(runs[0]!, runs)).toBeUndefined();
    expect(minus(runs[6]!, runs)).toBeUndefined();
    expect(minus(runs[1]!)).toBeUndefined();
    // Without its random partner (here only the 1D-CNN's and another seed's are present), no number.
    const otherSeed = run({ ...cell("bilstm", "random", "retrain"), seed: 7 }, [0.1]);
    expect(minus(runs[1]!, [runs[1]!, runs[4]!, otherSeed])).toBeUndefined();
  });

  it("pairs BALD and BatchBALD with random although only they carry mcSamples", () => {
    const random = run(cell("cnn1d", "random", "retrain"), [0.6, 0.6, 0.6]);
    const bald = run(cell("cnn1d", "binary-bald", "retrain"), [0.6, 0.63, 0.64]);
    const batchbald = run(cell("cnn1d", "binary-batchbald", "retrain"), [0.6, 0.61, 0.59]);
    expect(bald.config.mcSamples).toBeDefined();
    expect(random.config.mcSamples).toBeUndefined();
    expect(minus(bald, [random, bald, batchbald])).toBeCloseTo(0.04, 10);
    expect(minus(batchbald, [random, bald, batchbald])).toBeCloseTo(-0.01, 10);
  });

  it("enters the slides' numbers: naive 100% per learner, and 0 as the bound of 'did not surpass random'", () => {
    // The BiLSTM rows carry why the local-cnn page has no runs for them.
    expect(reproduction.paper).toContainEqual(expect.objectContaining({ setting: "bilstm", sampler: "naive 100%", measure: "naive_auroc", value: 0.847 }));
    expect(reproduction.paper).toContainEqual({ setting: "cnn1d", sampler: "naive 100%", measure: "naive_auroc", value: 0.849 });
    expect(reproduction.paper).toContainEqual(expect.objectContaining({ setting: "bilstm", sampler: "least confidence", measure: "al_minus_random", value: 0 }));
    for (const p of reproduction.paper.filter((p) => p.setting === "bilstm")) expect(p.notRun).toContain("local-cnn");
  });

  it("runs the local profile without binary-bald and binary-batchbald, as the shipped local results were", async () => {
    const local = expandExperiment(await loadExperiment(file, "local"), file);
    expect(new Set(local.filter((c) => !c.baseline).map((c) => c.sampler.name))).toEqual(new Set(["random", "binary-minimum"]));
  });

  it("runs local-cnn as the 1D-CNN on the whole pool: 4 samplers retrained, keep-train for the two without MC passes, 3 baselines", async () => {
    const cnn = expandExperiment(await loadExperiment(file, "local-cnn"), file);
    expect(new Set(cnn.map((c) => c.learner.name))).toEqual(new Set(["cnn1d"]));
    // The full profile's model: the local profile's smaller one did not learn.
    const full = expandExperiment(await loadExperiment(file), file).find((c) => c.learner.name === "cnn1d")!;
    for (const c of cnn) expect(c.learner.options).toEqual(full.learner.options);
    expect(full.learner.options).toMatchObject({ embeddingSize: 64, filters: 64, kernelSizes: [3, 4, 5] });
    const al = cnn.filter((c) => !c.baseline);
    const cells = al.map((c) => `${c.sampler.name}/${c.mode}`).sort();
    expect(cells).toEqual(["binary-bald/retrain", "binary-batchbald/retrain", "binary-minimum/keep-train", "binary-minimum/retrain", "random/keep-train", "random/retrain"]);
    // Two 5% steps of the 32,800-title pool: 6,560 → 9,840 labels.
    for (const c of al) expect(c).toMatchObject({ dataset: { name: "arxiv-titles" }, initial: { size: 0.2 }, acquisition: { size: 0.05 }, budget: 9840, epochs: 5 });
    expect(al.filter((c) => c.mode === "keep-train").map((c) => c.period)).toEqual([2, 2]);
    expect(al.find((c) => c.sampler.name === "binary-batchbald")!.sampler.options).toEqual({ candidates: 3280, draws: 100, maxConfigurations: 100 });
    expect(cnn.filter((c) => c.baseline).map((c) => c.baseline!.percent).sort((a, b) => a - b)).toEqual([10, 50, 100]);
    expect(new Set(cnn.map((c) => c.seed))).toEqual(new Set([1]));
  });

  it("leads the page with local-cnn and headlines the 1D-CNN's naive 100%, which both reduced profiles ran", () => {
    expect(reproduction.profiles).toEqual(["local-cnn", "local"]);
    expect(reproduction.headline).toEqual({ measure: "naive_auroc", sampler: "naive 100%", setting: "cnn1d" });
  });

  it("keeps the protocol as the default grid: 20% initial, 1% or 5% steps to half the pool, periods 5 and 10, six baselines", async () => {
    const full = expandExperiment(await loadExperiment(file), file);
    const al = full.filter((c) => !c.baseline);
    // 2 learners × 4 samplers × (retrain + keep-train × 2 periods) × 2 step sizes × 3 seeds.
    expect(al).toHaveLength(2 * 4 * 3 * 2 * 3);
    expect(new Set(al.map((c) => c.sampler.name))).toEqual(new Set(["random", "binary-minimum", "binary-bald", "binary-batchbald"]));
    expect(new Set(al.map((c) => c.acquisition.size))).toEqual(new Set([0.01, 0.05]));
    expect(new Set(al.filter((c) => c.mode === "keep-train").map((c) => c.period))).toEqual(new Set([5, 10]));
    for (const c of al) expect(c).toMatchObject({ initial: { size: 0.2 }, budget: 16400, epochs: 20 });
    expect(new Set(full.filter((c) => c.baseline).map((c) => c.baseline!.percent))).toEqual(new Set([1, 5, 10, 20, 50, 100]));
  });
});
