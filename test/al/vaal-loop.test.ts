/**
 * VAAL through the loop on real data (Fashion-MNIST, wasm): the provider trains the β-VAE and
 * discriminator per round from (seed, "vaal", round), so picks are valid, a run replays bit for
 * bit, a resumed run continues exactly as the uninterrupted one, and another seed picks others.
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
  await selectBackend({ force: "wasm", warn: () => {} });
  ds = await loadDataset({ name: "fashion-mnist-small", pool: 300, test: 100 });
});

function config(seed: number, mode: RunConfig["mode"] = "retrain"): RunConfig {
  return {
    experiment: "t",
    dataset: { name: "fashion-mnist-small", pool: 300, test: 100 },
    learner: { name: "mlp", options: { hidden: [16] } },
    sampler: { name: "vaal", options: { epochs: 2, hidden: 32, latent: 8 } },
    mode,
    initial: { size: 20, stratified: true },
    acquisition: { size: 10 },
    rounds: 3,
    epochs: 1,
    seed,
  };
}

async function run(cfg: RunConfig, resume?: LoopState): Promise<Array<{ record: RoundRecord; state: LoopState }>> {
  const sampler = getSampler("vaal", "sampler");
  const learner = mlp.create(mlp.parseOptions(cfg.learner.options, "o"), { inputSize: 784, classes: 10 });
  const out: Array<{ record: RoundRecord; state: LoopState }> = [];
  try {
    await runLoop({
      runId: "r",
      config: cfg,
      dataset: ds,
      learner,
      sampler,
      samplerOptions: sampler.parseOptions(cfg.sampler.options, "sampler.options"),
      onRound: (record, state) => void out.push({ record, state }),
      keepState: true,
      ...(resume ? { resume } : {}),
    });
  } finally {
    learner.dispose();
  }
  return out;
}

const picks = (rounds: Array<{ record: RoundRecord }>) => rounds.map((r) => [...r.record.selected]);

describe("vaal in the loop", () => {
  it("selects k new distinct points a round; same seed ⇒ same picks, another seed ⇒ others; resume continues exactly", async () => {
    for (const mode of ["retrain", "keep-train"] as const) {
      const whole = await run(config(4, mode));
      expect(whole.map((r) => r.record.labelled)).toEqual([20, 30, 40, 50]);
      const seen = new Set(whole[0]!.record.initial);
      for (const { record } of whole.slice(0, -1)) {
        expect(record.selected).toHaveLength(10);
        for (const i of record.selected) {
          expect(seen.has(i), `round ${record.round} point ${i}`).toBe(false);
          seen.add(i);
        }
      }
      expect(seen.size).toBe(50);
      const strip = (rs: Array<{ record: RoundRecord }>) => rs.map((r) => ({ ...r.record, seconds: null }));
      expect(strip(await run(config(4, mode)))).toEqual(strip(whole));
      // A kill after round 1: the checkpointed state is all the resumed run gets.
      const resumed = await run(config(4, mode), whole[1]!.state);
      expect(resumed.map((r) => r.record.round)).toEqual([2, 3]);
      expect(strip(resumed)).toEqual(strip(whole.slice(2)));
      expect(picks(await run(config(5, mode)))).not.toEqual(picks(whole));
    }
  });
});
