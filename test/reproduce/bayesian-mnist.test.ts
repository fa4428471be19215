/** bayesian-mnist: its measures on hand-built runs, its paper values and its profiles. */
import { describe, expect, it } from "vitest";
import experiment, { reproduction } from "../../experiments/reproductions/bayesian-mnist.ts";
import { parseExperiment, resolveProfile } from "../../lib/experiments/define.ts";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import type { ReproductionRun } from "../../lib/reproduce/define.ts";

function run(sampler: string, accuracies: Array<[labelled: number, accuracy: number]>): ReproductionRun {
  const config = { experiment: "bayesian-mnist", sampler: { name: sampler, options: {} } } as unknown as RunConfig;
  return { config, rounds: accuracies.map(([labelled, accuracy], round) => ({ round, labelled, metrics: { accuracy, log_loss: 1 } })), seconds: 10 };
}

const measure = (name: string) => reproduction.measures[name]!;

describe("bayesian-mnist measures", () => {
  // 20, 30, …: the curve crosses 90% at 40 labels and 95% at 60; it dips back below 90% at 50.
  const curve = run("bald", [[20, 0.5], [30, 0.8999], [40, 0.9], [50, 0.89], [60, 0.951], [70, 0.96]]);

  it("labels to 10% and 5% error: the first evaluation at or past 90% / 95% accuracy", () => {
    expect(measure("labels-10").of(curve)).toBe(40);
    expect(measure("labels-5").of(curve)).toBe(60);
    // A run that never gets there has no value (not the last labelled count).
    expect(measure("labels-5").of(run("random", [[20, 0.4], [30, 0.949]]))).toBeUndefined();
  });

  it("final error: 100 × (1 − the last evaluation's accuracy)", () => {
    expect(measure("final-error").of(curve)).toBeCloseTo(4, 10);
    expect(measure("final-error").of(run("random", []))).toBeUndefined();
  });

  it("names samplers as the paper's table and has its four 10%-error values; headline BALD", () => {
    const name = (s: string) => reproduction.sampler!(run(s, []).config);
    expect(["random", "bald", "variation-ratios", "entropy", "mean-std"].map(name)).toEqual(["Random", "BALD", "Var Ratios", "Max Entropy", "Mean STD"]);
    expect(reproduction.paper.map((p) => [p.sampler, p.measure, p.value])).toEqual([
      ["Random", "labels-10", 255],
      ["BALD", "labels-10", 145],
      ["Var Ratios", "labels-10", 120],
      ["Max Entropy", "labels-10", 165],
    ]);
    expect(reproduction.headline).toEqual({ measure: "labels-10", sampler: "BALD" });
    expect(reproduction.study).toBe(experiment.name);
  });
});

describe("bayesian-mnist profiles", () => {
  const input = experiment as unknown as Record<string, unknown>;

  it("the default is the published protocol on full MNIST: 20 + 98 × 10 = 1,000 labels, 2,000 candidates, T = 20, 3 seeds", () => {
    const spec = parseExperiment(experiment, "bayesian-mnist.ts");
    expect(spec.dataset).toBe("mnist-full");
    expect([spec.initial, spec.acquisition, spec.rounds, spec.mcSamples, spec.seeds]).toEqual([
      { size: 20, stratified: true },
      { size: 10, candidates: 2000 },
      98,
      { method: "mc-dropout", samples: 20 },
      [1, 2, 3],
    ]);
    expect(spec.learner).toMatchObject({ name: "cnn", options: { filters: [32], convsPerBlock: 2, kernelSize: 4, padding: "valid", convDropout: 0.25, hidden: [128], dropout: 0.5 } });
  });

  it("local and ci keep the code path (same learner, stratified start, MC dropout) on MNIST-10k", () => {
    for (const name of ["local", "ci"]) {
      const spec = resolveProfile(input, name, "bayesian-mnist.ts");
      expect(spec.dataset).toMatchObject({ name: "mnist" });
      expect(spec.learner).toMatchObject({ name: "cnn", options: { convsPerBlock: 2, kernelSize: 4, padding: "valid" } });
      expect(spec.initial).toEqual({ size: 20, stratified: true });
      expect(spec.mcSamples).toEqual({ method: "mc-dropout", samples: 20 });
    }
    // local reaches 20 + 24 × 10 = 260 labels, past the paper's random 255 to 10% error.
    expect(resolveProfile(input, "local", "bayesian-mnist.ts").rounds).toBe(24);
  });
});
