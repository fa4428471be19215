/**
 * Loss prediction through the loop (lib/al/loop.ts) with a real MLP and its module: keep-train
 * resumed from a round's checkpointed state continues bit for bit as the uninterrupted run, so the
 * checkpoint carries the module's weights and optimizer slots.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { runLoop, type LoopState } from "../../lib/al/loop.ts";
import type { RoundRecord } from "../../lib/al/records.ts";
import { getSampler } from "../../lib/al/samplers/index.ts";
import { selectBackend } from "../../lib/backend/select.ts";
import type { Dataset } from "../../lib/data/dataset.ts";
import { loadDataset } from "../../lib/data/registry.ts";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import { mlp } from "../../lib/learners/mlp.ts";

let ds: Dataset;
beforeAll(async () => {
  await selectBackend({ force: "wasm" });
  ds = await loadDataset({ name: "fashion-mnist-small", pool: 600, test: 200 });
});

const options = { hidden: [32], lossPrediction: { units: 16, detachAfter: 1 } };
const config: RunConfig = {
  experiment: "t",
  dataset: { name: "fashion-mnist-small", pool: 600, test: 200 },
  learner: { name: "mlp", options },
  sampler: { name: "loss-prediction", options: {} },
  mode: "keep-train",
  initial: { size: 30, stratified: true },
  acquisition: { size: 25 },
  rounds: 4,
  epochs: 2,
  period: 2,
  seed: 5,
};

async function run(resume?: LoopState): Promise<Array<{ record: RoundRecord; state: LoopState }>> {
  const sampler = getSampler("loss-prediction", "sampler");
  const make = () => mlp.create(mlp.parseOptions(options, "learner.options"), { inputSize: ds.pool.x.c, classes: ds.classes.length });
  const learner = make();
  const out: Array<{ record: RoundRecord; state: LoopState }> = [];
  try {
    await runLoop({
      runId: "r", config, dataset: ds, learner, sampler, samplerOptions: {}, keepState: true, makeLearner: make,
      onRound: (record, state) => void out.push({ record, state }),
      ...(resume ? { resume } : {}),
    });
  } finally {
    learner.dispose();
  }
  return out;
}

describe("loss-prediction in the loop (keep-train, mlp with the module)", () => {
  it("selects 25 new pool points a round, and a resumed run selects and scores exactly as the whole one", async () => {
    const whole = await run();
    expect(whole.map((r) => r.record.labelled)).toEqual([30, 55, 80, 105, 130]);
    const all = [...whole[0]!.record.initial!, ...whole.flatMap((r) => [...r.record.selected])];
    expect(new Set(all).size).toBe(130);
    // The checkpoint holds the classifier's 4 weight tensors and the module's 4 (dense(16) and dense(1), kernel and bias each).
    expect(whole[1]!.state.learner!.tensors.filter((t) => t.name.startsWith("model/")).length).toBe(4 + 4);
    const resumed = await run(whole[1]!.state);
    expect(resumed.map((r) => r.record.round)).toEqual([2, 3, 4]);
    for (let i = 0; i < resumed.length; i++) {
      expect(Array.from(resumed[i]!.record.selected)).toEqual(Array.from(whole[i + 2]!.record.selected));
      expect(resumed[i]!.record.metrics.accuracy).toBe(whole[i + 2]!.record.metrics.accuracy);
      expect(resumed[i]!.record.metrics.log_loss).toBe(whole[i + 2]!.record.metrics.log_loss);
    }
  });
});
