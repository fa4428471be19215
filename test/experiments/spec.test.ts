import { describe, expect, it } from "vitest";
import { parseExperiment } from "../../lib/experiments/define.ts";
import { expandExperiment } from "../../lib/experiments/grid.ts";
import { canonicalJson, runId } from "../../lib/experiments/id.ts";
import quickstart from "../../experiments/quickstart.ts";

const base = {
  name: "t",
  dataset: "fashion-mnist-small",
  learner: "mlp",
  samplers: ["random", "margin"],
  modes: ["retrain", "keep-train"],
  initial: { size: 20 },
  acquisition: { size: 10 },
  rounds: 2,
  seeds: [1, 2, 3],
};

/** The one-line error parse + expand give for `spec`. */
function errorOf(spec: unknown): string {
  try {
    expandExperiment(parseExperiment(spec, "exp.ts"), "exp.ts");
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
}

describe("experiment spec", () => {
  it("validates the quickstart and expands it to 4 samplers × 2 modes × 3 seeds", () => {
    const runs = expandExperiment(parseExperiment(quickstart, "experiments/quickstart.ts"), "experiments/quickstart.ts");
    expect(runs).toHaveLength(24);
    expect(new Set(runs.map((r) => `${r.sampler.name}/${r.mode}/${r.seed}`)).size).toBe(24);
    expect(runs[0]!.learner.options).toMatchObject({ hidden: [128], dropout: 0.2, learningRate: 0.001, batchSize: 32 });
  });

  it("fills defaults: modes = retrain, epochs = 10, not stratified", () => {
    const { modes: _m, ...rest } = base;
    const spec = parseExperiment(rest, "exp.ts");
    expect(spec.modes).toEqual(["retrain"]);
    expect(spec.epochs).toBe(10);
    expect(spec.initial).toEqual({ size: 20, stratified: false });
  });

  it.each([
    [{ ...base, samplers: ["random", "marginn"] }, 'exp.ts: samplers[1]: unknown sampler "marginn"; expected one of random, least-confidence, margin, entropy, ratio'],
    [{ ...base, samplers: [] }, "exp.ts: samplers: expected at least one sampler"],
    [{ ...base, rounds: "ten" }, "exp.ts: rounds: expected number, got \"ten\""],
    [{ ...base, seeds: [1, 2.5] }, "exp.ts: seeds[1]: expected int, got 2.5"],
    [{ ...base, learner: "svm" }, 'exp.ts: learner: unknown learner "svm"; expected one of mlp'],
    [{ ...base, learner: { name: "mlp", options: { hiden: [10] } } }, "exp.ts: learner.options.hiden: unknown field; remove it or check its spelling"],
    [{ ...base, learner: { name: "mlp", options: { dropout: 1.5 } } }, "exp.ts: learner.options.dropout"],
    [{ ...base, dataset: "cifar" }, 'exp.ts: dataset: unknown data set "cifar"'],
    [{ ...base, modes: ["retrain", "finetune"] }, "exp.ts: modes[1]"],
    [{ ...base, colour: "red" }, "exp.ts: colour: unknown field"],
    [{ ...base, rounds: undefined }, "exp.ts: rounds: expected `rounds`, `budget` or `costBudget`"],
    [{ ...base, budget: 100 }, "exp.ts: budget: give one of `rounds`, `budget`, `costBudget`, not `rounds` and `budget`"],
    [{ ...base, acquisition: { size: 0 } }, "exp.ts: acquisition.size"],
    [{ ...base, name: "Bad Name" }, "exp.ts: name: expected lower-case letters"],
    [{ ...base, samplers: ["margin", "margin"] }, 'exp.ts: samplers[1]: "margin" is listed twice'],
    [{ ...base, samplers: [{ name: "margin", options: { beta: 2 } }] }, 'exp.ts: samplers[0].options: unknown option "beta"'],
    [{ ...base, profiles: { ci: { rounds: -1 } } }, "exp.ts: profiles.ci.rounds"],
    [{ ...base, profiles: { ci: { name: "x" } } }, "exp.ts: profiles.ci.name: a profile cannot rename the experiment"],
  ])("rejects a bad spec with one line naming the field (%#)", (spec, message) => {
    const error = errorOf(spec);
    expect(error).toContain(message);
    expect(error).not.toContain("\n");
  });

  it("expands mcSamples and saturation lists as grid axes, only where they apply", () => {
    const runs = expandExperiment(
      parseExperiment(
        {
          ...base,
          samplers: ["margin", "bald"],
          modes: ["retrain"],
          seeds: [1],
          mcSamples: [{ samples: 5 }, { method: "ensemble", samples: 3 }],
          saturation: [{ validation: 50 }, { validation: 100, patience: 3 }],
        },
        "exp.ts",
      ),
      "exp.ts",
    );
    // margin: 2 saturation settings (MC settings do not apply); bald: 2 × 2.
    expect(runs.map((r) => `${r.sampler.name}/${r.mcSamples?.method ?? "-"}/${r.saturation!.validation}`)).toEqual([
      "margin/-/50",
      "margin/-/100",
      "bald/mc-dropout/50",
      "bald/ensemble/50",
      "bald/mc-dropout/100",
      "bald/ensemble/100",
    ]);
    expect(runs[1]!.saturation).toEqual({ validation: 100, patience: 3, maxEpochs: 50 });
  });

  it("gives a run id that ignores key order and the data directory, but not the backend", () => {
    const [a] = expandExperiment(parseExperiment(base, "exp.ts"), "exp.ts");
    const identity = { checksum: "c", version: "1", backend: "wasm" };
    const shuffled = JSON.parse(canonicalJson(a)) as typeof a;
    expect(runId(shuffled!, identity)).toBe(runId(a!, identity));
    expect(runId({ ...a!, dataset: { ...a!.dataset, dir: "/elsewhere" } }, identity)).toBe(runId(a!, identity));
    expect(runId({ ...a!, experiment: "other" }, identity)).toBe(runId(a!, identity));
    expect(runId(a!, { ...identity, backend: "cpu" })).not.toBe(runId(a!, identity));
    expect(runId({ ...a!, seed: 99 }, identity)).not.toBe(runId(a!, identity));
    expect(runId(a!, identity)).toMatch(/^[0-9a-f]{16}$/);
  });

  it("canonical JSON sorts keys at every level and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  });
});
