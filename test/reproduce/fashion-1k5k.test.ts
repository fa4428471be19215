/**
 * The fashion-1k5k reproduction's measures on hand-built runs whose configs are the experiment's
 * own ci grid, so names and pairings are those a real run gets.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadExperiment } from "../../lib/experiments/define.ts";
import { expandExperiment } from "../../lib/experiments/grid.ts";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import type { ReproductionRun } from "../../lib/reproduce/define.ts";
import { reproduction } from "../../experiments/reproductions/fashion-1k5k.ts";

const file = join(import.meta.dirname, "../../experiments/reproductions/fashion-1k5k.ts");
let grid: RunConfig[];
beforeAll(async () => {
  grid = expandExperiment(await loadExperiment(file, "ci"), file);
});

const cell = (sampler: string, baseline = false): RunConfig => {
  const config = grid.find((c) => (baseline ? c.baseline !== undefined : !c.baseline && c.sampler.name === sampler));
  if (!config) throw new Error(`no ${baseline ? "baseline" : sampler} cell in the ci grid`);
  return config;
};

/** A run with weighted F1 per round (100 initial + 2 × 50 labels in the ci grid). */
function run(config: RunConfig, f1: number[]): ReproductionRun {
  return { config, seconds: 1, rounds: f1.map((v, round) => ({ round, labelled: 100 + 50 * round, metrics: { accuracy: v, weighted_f1: v } })) };
}

const m = () => reproduction.measures;

describe("fashion-1k5k reproduction", () => {
  it("names samplers as the note does and the 100% baseline as the full training set", () => {
    expect(grid).toHaveLength(5);
    expect(reproduction.sampler!(cell("least-confidence"))).toBe("least confidence");
    expect(reproduction.sampler!(cell("margin"))).toBe("margin");
    expect(reproduction.sampler!(cell("random", true))).toBe("full training set");
    expect(cell("random", true).baseline).toEqual({ percent: 100 });
  });

  it("measures the final model, the 1,000-only model (round 0) and the gain between them, in points", () => {
    const lc = run(cell("least-confidence"), [0.6, 0.68, 0.73]);
    expect(m().final_f1!.of(lc)).toBeCloseTo(73, 10);
    expect(m().initial_f1!.of(lc)).toBeCloseTo(60, 10);
    expect(m().gain_over_initial!.of(lc)).toBeCloseTo(13, 10);
    // The full-training-set model has one fit: a final F1, but no 1,000-only model and no gain.
    const full = run(cell("random", true), [0.8]);
    expect(m().final_f1!.of(full)).toBeCloseTo(80, 10);
    expect(m().initial_f1!.of(full)).toBeUndefined();
    expect(m().gain_over_initial!.of(full)).toBeUndefined();
  });

  it("takes the final model as the last round that stored weighted F1", () => {
    const lc = run(cell("least-confidence"), [0.6, 0.7, 0.9]);
    const cut = { ...lc, rounds: [...lc.rounds.slice(0, 2), { round: 2, labelled: 200, metrics: { accuracy: 0.9 } }] };
    expect(m().final_f1!.of(cut)).toBeCloseTo(70, 10);
    expect(m().gain_over_initial!.of(run(cell("margin"), []))).toBeUndefined();
  });

  it("sets each sampler against random sampling of the same cell and seed", () => {
    const random = run(cell("random"), [0.6, 0.66, 0.7]);
    const otherSeed = run({ ...cell("random"), seed: 2 }, [0.5, 0.5, 0.5]);
    const lc = run(cell("least-confidence"), [0.6, 0.68, 0.73]);
    const entropy = run(cell("entropy"), [0.6, 0.6, 0.695]);
    const full = run(cell("random", true), [0.8]);
    const runs = [random, otherSeed, lc, entropy, full];
    const minus = (r: ReproductionRun, all?: ReproductionRun[]) => (m().minus_random!.of as (r: ReproductionRun, all?: readonly ReproductionRun[]) => number | undefined)(r, all);
    expect(minus(lc, runs)).toBeCloseTo(3, 10);
    expect(minus(entropy, runs)).toBeCloseTo(-0.5, 10);
    // Random against itself, the baseline, and a call without the study's runs: no number.
    expect(minus(random, runs)).toBeUndefined();
    expect(minus(full, runs)).toBeUndefined();
    expect(minus(lc)).toBeUndefined();
    expect(minus(lc, [lc, otherSeed])).toBeUndefined();
  });

  it("enters the note's numbers for every method, and a headline among them", () => {
    const gains = reproduction.paper.filter((p) => p.measure === "gain_over_initial");
    expect(gains.map((p) => [p.sampler, p.value])).toEqual([["random", 12], ["least confidence", 12], ["margin", 12], ["entropy", 12]]);
    expect(reproduction.paper.filter((p) => p.measure === "minus_random").map((p) => p.value)).toEqual([0.7, 0.7, 0.7]);
    expect(reproduction.headline).toEqual({ measure: "gain_over_initial", sampler: "least confidence" });
  });

  it("keeps the published protocol as the default grid: 1,000 + 5 × 1,000 labels, the full training set", async () => {
    const full = expandExperiment(await loadExperiment(file), file);
    expect(full).toHaveLength(4 * 3 + 3);
    for (const c of full.filter((c) => !c.baseline)) {
      expect(c).toMatchObject({ dataset: { name: "fashion-mnist" }, initial: { size: 1000, stratified: false }, acquisition: { size: 1000 }, rounds: 5, mode: "retrain" });
      expect(c.metrics).toContain("weighted_f1");
    }
    const cifar = expandExperiment(await loadExperiment(file, "cifar10"), file);
    expect(new Set(cifar.map((c) => c.dataset.name))).toEqual(new Set(["cifar10"]));
  });
});
