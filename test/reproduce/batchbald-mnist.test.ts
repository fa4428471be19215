/** batchbald-mnist: its measures on hand-built runs, its paper values and its profiles. */
import { describe, expect, it } from "vitest";
import experiment, { reproduction } from "../../experiments/reproductions/batchbald-mnist.ts";
import { parseExperiment, resolveProfile } from "../../lib/experiments/define.ts";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import type { ReproductionRun } from "../../lib/reproduce/define.ts";

function run(sampler: string, accuracies: Array<[labelled: number, accuracy: number]>): ReproductionRun {
  const config = { experiment: "batchbald-mnist", sampler: { name: sampler, options: {} } } as unknown as RunConfig;
  return { config, rounds: accuracies.map(([labelled, accuracy], round) => ({ round, labelled, metrics: { accuracy } })), seconds: 10 };
}

const measure = (name: string) => reproduction.measures[name]!;

describe("batchbald-mnist measures", () => {
  const curve = run("batchbald", [[20, 0.6], [90, 0.88], [100, 0.8925], [110, 0.905], [120, 0.9]]);

  it("labels to 90% accuracy: the first evaluation at or past 0.90", () => {
    expect(measure("labels-90").of(curve)).toBe(110);
    expect(measure("labels-90").of(run("random", [[20, 0.5], [300, 0.8999]]))).toBeUndefined();
  });

  it("accuracy at 100 labels, %: that evaluation only, none when the run skips 100", () => {
    expect(measure("accuracy-100").of(curve)).toBeCloseTo(89.25, 10);
    expect(measure("accuracy-100").of(run("bald", [[20, 0.6], [95, 0.9], [105, 0.91]]))).toBeUndefined();
  });

  it("final accuracy, %: the last evaluation", () => {
    expect(measure("final-accuracy").of(curve)).toBeCloseTo(90, 10);
    expect(measure("final-accuracy").of(run("bald", []))).toBeUndefined();
  });

  it("names samplers as the paper does and carries the issue's values; headline BatchBALD at 100 labels", () => {
    expect(["batchbald", "bald", "random"].map((s) => reproduction.sampler!(run(s, []).config))).toEqual(["BatchBALD", "BALD", "Random"]);
    expect(reproduction.paper.map((p) => [p.sampler, p.measure, p.value])).toEqual([
      ["BatchBALD", "labels-90", 105],
      ["BALD", "labels-90", 155],
      ["BatchBALD", "accuracy-100", 89.2],
      ["BALD", "accuracy-100", 85.7],
    ]);
    expect(reproduction.headline).toEqual({ measure: "accuracy-100", sampler: "BatchBALD" });
    expect(reproduction.study).toBe(experiment.name);
  });
});

describe("batchbald-mnist profiles", () => {
  const input = experiment as unknown as Record<string, unknown>;

  it("the default is the published protocol on full MNIST: 20 + 28 × 10 = 300 labels, whole pool scored, T = 100", () => {
    const spec = parseExperiment(experiment, "batchbald-mnist.ts");
    expect(spec.dataset).toBe("mnist-full");
    expect([spec.samplers, spec.initial, spec.acquisition, spec.rounds, spec.mcSamples]).toEqual([
      ["batchbald", "bald", "random"],
      { size: 20, stratified: true },
      { size: 10 },
      28,
      { method: "mc-dropout", samples: 100 },
    ]);
  });

  it("local keeps T = 100 and reaches 100 labels (the headline) and beyond; ci is the same path, small", () => {
    const local = resolveProfile(input, "local", "batchbald-mnist.ts");
    expect(local.dataset).toBe("mnist");
    expect(local.mcSamples).toEqual({ method: "mc-dropout", samples: 100 });
    // 20 + 18 × 10 = 200 labels: past BALD's published 155 to 90% accuracy.
    expect(local.rounds).toBe(18);
    const ci = resolveProfile(input, "ci", "batchbald-mnist.ts");
    expect(ci.learner).toMatchObject({ name: "cnn", options: { kernelSize: 5, padding: "valid" } });
    expect(ci.samplers).toEqual(["batchbald", "bald", "random"]);
  });
});
