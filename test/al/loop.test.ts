import { beforeAll, describe, expect, it } from "vitest";
import { runLoop, type LoopState } from "../../lib/al/loop.ts";
import { createRandom, permutation } from "../../lib/al/random.ts";
import type { Matrix } from "../../lib/al/matrix.ts";
import type { RoundRecord } from "../../lib/al/records.ts";
import { getSampler, samplerNames } from "../../lib/al/samplers/index.ts";
import { selectBackend } from "../../lib/backend/select.ts";
import type { Dataset } from "../../lib/data/dataset.ts";
import { loadDataset } from "../../lib/data/registry.ts";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import type { Learner } from "../../lib/learners/learner.ts";
import { mlp } from "../../lib/learners/mlp.ts";
import { centroidCore } from "./centroid-learner.ts";

let ds: Dataset;
beforeAll(async () => {
  ds = await loadDataset({ name: "fashion-mnist-small", pool: 600, test: 200 });
});

/** test/al/centroid-learner.ts, recording its resets and fits, with jittered MC passes. */
function centroidLearner(classes: number) {
  const calls = { resets: 0, fits: [] as number[] };
  const core = centroidCore(classes);
  const learner: Learner = {
    reset: () => {
      calls.resets++;
      core.clear();
    },
    async fit(x, targets, options) {
      calls.fits.push(x.n);
      await core.fit(x, targets, options);
    },
    predictProba: (x) => core.predictProba(x),
    // Stochastic passes: the mean prediction, jittered by the seeded stream.
    async predictSamples(x, { samples, random }) {
      const p = await learner.predictProba(x);
      const data = new Float32Array(x.n * samples * classes);
      for (let i = 0; i < x.n; i++)
        for (let t = 0; t < samples; t++) {
          let total = 0;
          for (let c = 0; c < classes; c++) total += data[(i * samples + t) * classes + c] = p.data[i * classes + c]! * (0.5 + random.next());
          for (let c = 0; c < classes; c++) data[(i * samples + t) * classes + c]! /= total;
        }
      return { data, n: x.n, t: samples, c: classes };
    },
    embed: async (x) => x,
    dispose: () => {},
  };
  return { learner, calls };
}

function config(overrides: Partial<RunConfig> = {}): RunConfig {
  return {
    experiment: "t",
    dataset: { name: "fashion-mnist-small", pool: 600, test: 200 },
    learner: { name: "mlp", options: {} },
    sampler: { name: "margin", options: {} },
    mode: "retrain",
    initial: { size: 30, stratified: true },
    acquisition: { size: 25 },
    rounds: 4,
    epochs: 1,
    seed: 3,
    ...overrides,
  };
}

async function collect(cfg: RunConfig, learner: Learner): Promise<RoundRecord[]> {
  const records: RoundRecord[] = [];
  const sampler = getSampler(cfg.sampler.name, "sampler");
  await runLoop({
    runId: "r",
    config: cfg,
    dataset: ds,
    learner,
    sampler,
    samplerOptions: sampler.parseOptions(cfg.sampler.options, "sampler.options"),
    onRound: (r) => void records.push(r),
    makeLearner: () => centroidLearner(10).learner,
  });
  return records;
}

describe("active-learning loop", () => {
  // Every multi-class sampler; the stochastic wrapper over margin; MC samples from both providers.
  const multiclass = samplerNames.filter((s) => {
    const sampler = getSampler(s, "s");
    // label-dispersion needs a learner that trains in epochs: test/al/epoch-predictions.test.ts runs it with the MLP;
    // loss-prediction one with a loss-prediction module: test/experiments/loss-prediction.test.ts runs it.
    // vaal trains a β-VAE per round (seconds at its defaults): test/al/vaal-loop.test.ts runs it with small options.
    return s !== "stochastic" && s !== "label-dispersion" && s !== "vaal" && !sampler.needs.includes("predictedLoss") && (sampler.tasks ?? ["multiclass"]).includes("multiclass");
  });
  const cases: Array<[string, Record<string, unknown>, Partial<RunConfig>]> = [
    ...multiclass.map((s): [string, Record<string, unknown>, Partial<RunConfig>] => [s, {}, {}]),
    ["stochastic", { score: "margin" }, {}],
    ["bald", {}, { mcSamples: { method: "ensemble", samples: 3 } }],
    ["suggestive-annotation", {}, { mcSamples: { method: "bootstrap", samples: 3 } }],
  ];
  it.each(cases.flatMap(([s, o, extra]) => [[s, o, extra, "retrain"], [s, o, extra, "keep-train"]] as const))(
    "%s %o %o/%s: grows by exactly k, never repeats a point, selects only pool points",
    async (sampler, options, extra, mode) => {
      const { learner, calls } = centroidLearner(10);
      const records = await collect(
        config({ sampler: { name: sampler, options }, mode, mcSamples: { method: "mc-dropout", samples: 4 }, reference: { learner: { name: "mlp", options: {} }, epochs: 1 }, ...extra }),
        learner,
      );
      expect(records.map((r) => r.round)).toEqual([0, 1, 2, 3, 4]);
      expect(records.map((r) => r.labelled)).toEqual([30, 55, 80, 105, 130]);
      expect(calls.fits).toEqual([30, 55, 80, 105, 130]);
      expect(calls.resets).toBe(mode === "retrain" ? 5 : 1);
      const all = [...records[0]!.initial!, ...records.flatMap((r) => [...r.selected])];
      expect(all).toHaveLength(130);
      expect(new Set(all).size).toBe(130);
      for (const i of all) expect(i >= 0 && i < ds.pool.x.n).toBe(true);
      expect(records.at(-1)!.selected).toHaveLength(0);
      for (const r of records.slice(0, -1)) expect(r.selected).toHaveLength(25);
      for (const r of records) {
        expect(r.metrics.accuracy).toBeGreaterThan(0.3);
        expect(r.metrics.macro_f1).toBeGreaterThan(0);
      }
    },
  );

  describe("the reference classifier", () => {
    const reference = { learner: { name: "knn", options: {} }, epochs: 1 };
    /**
     * Runs the loop counting the learners built for the reference (those asked for by name). Each
     * call gets its own data set object unless given one: the process shares a reference fit per
     * data set object, seed and options (cachedReferenceScores).
     */
    async function count(cfg: RunConfig, dataset: Dataset = { ...ds }): Promise<{ records: RoundRecord[]; built: number }> {
      const records: RoundRecord[] = [];
      let built = 0;
      const sampler = getSampler(cfg.sampler.name, "sampler");
      await runLoop({
        runId: "r",
        config: cfg,
        dataset,
        learner: centroidLearner(10).learner,
        sampler,
        samplerOptions: sampler.parseOptions(cfg.sampler.options, "sampler.options"),
        onRound: (r) => void records.push(r),
        makeLearner: (ref) => {
          if (ref !== undefined) built++;
          return centroidLearner(10).learner;
        },
      });
      return { records, built };
    }

    it("is fitted once, for easiness, and its time is recorded as round 0's reference seconds only", async () => {
      const { records, built } = await count(config({ reference }));
      expect(built).toBe(1);
      expect(records[0]!.seconds.reference).toBeGreaterThanOrEqual(0);
      expect(records.slice(1).map((r) => r.seconds.reference)).toEqual([undefined, undefined, undefined, undefined]);
      // A timing, not a test-set metric: metrics stay deterministic.
      expect(records[0]!.metrics.reference_seconds).toBeUndefined();
      expect(records[0]!.metrics.easiness).toBeGreaterThanOrEqual(0);
    });

    it("is fitted once per process for runs sharing data set, seed and reference options: the samplers of a grid cell reuse it", async () => {
      const shared: Dataset = { ...ds };
      const first = await count(config({ reference }), shared);
      const again = await count(config({ reference, sampler: { name: "iconfidence", options: {} } }), shared);
      const otherSeed = await count(config({ reference, seed: 7 }), shared);
      const fresh = await count(config({ reference }));
      expect([first.built, again.built, otherSeed.built, fresh.built]).toEqual([1, 0, 1, 1]);
      // The shared fit gives what a fit of its own gives.
      expect(first.records.map((r) => r.metrics.easiness)).toEqual(fresh.records.map((r) => r.metrics.easiness));
    });

    it("is not fitted when nothing needs it: metrics without easiness and a sampler without reference probabilities", async () => {
      const { records, built } = await count(config({ reference, metrics: ["accuracy", "batch_accuracy"] }));
      expect(built).toBe(0);
      for (const r of records) expect(Object.keys(r.metrics).sort()).toEqual(r.selected.length > 0 ? ["accuracy", "batch_accuracy"] : ["accuracy"]);
    });

    it("a run resumed after round 1 fits it again but stores its time with round 0 only, as an uninterrupted run does", async () => {
      const cfg = config({ reference });
      const sampler = getSampler(cfg.sampler.name, "sampler");
      const run = async (resume?: LoopState) => {
        const out: Array<{ record: RoundRecord; state: LoopState }> = [];
        await runLoop({
          runId: "r", config: cfg, dataset: ds, learner: centroidLearner(10).learner, sampler,
          samplerOptions: sampler.parseOptions(cfg.sampler.options, "sampler.options"),
          onRound: (record, state) => void out.push({ record, state }),
          makeLearner: () => centroidLearner(10).learner,
          ...(resume ? { resume } : {}),
        });
        return out;
      };
      const whole = await run();
      const resumed = await run(whole[1]!.state);
      expect(resumed.map((r) => r.record.round)).toEqual([2, 3, 4]);
      expect(resumed.map((r) => Object.keys(r.record.metrics).sort())).toEqual(whole.slice(2).map((r) => Object.keys(r.record.metrics).sort()));
      expect(resumed.map((r) => r.record.metrics.easiness)).toEqual(whole.slice(2).map((r) => r.record.metrics.easiness));
    });

    it("is fitted for IConfidence even when easiness is not measured", async () => {
      const { records, built } = await count(config({ reference, sampler: { name: "iconfidence", options: {} }, metrics: ["accuracy"] }));
      expect(built).toBe(1);
      expect(Object.keys(records[0]!.metrics).sort()).toEqual(["accuracy"]);
      expect(records[0]!.seconds.reference).toBeGreaterThanOrEqual(0);
    });
  });

  it("draws a stratified initial set of 3 per class", async () => {
    const { learner } = centroidLearner(10);
    const [first] = await collect(config({ initial: { size: 30, stratified: true } }), learner);
    const counts = new Array(10).fill(0);
    for (const i of first!.initial!) counts[ds.pool.y[i]!]++;
    expect(counts).toEqual(new Array(10).fill(3));
  });

  it("draws a k-means cold-start set that covers the pool without using labels", async () => {
    const { learner } = centroidLearner(10);
    const [first] = await collect(config({ initial: { size: 30, stratified: false, kmeans: true } }), learner);
    expect(first!.initial).toHaveLength(30);
    expect(new Set(first!.initial).size).toBe(30);
    // Same seed, same set.
    const [again] = await collect(config({ initial: { size: 30, stratified: false, kmeans: true } }), centroidLearner(10).learner);
    expect([...again!.initial!]).toEqual([...first!.initial!]);
  });

  it("acquires on saturation: trains epoch by epoch on a validation set it never selects or trains on", async () => {
    const { learner, calls } = centroidLearner(10);
    const records = await collect(config({ saturation: { validation: 100, patience: 2, maxEpochs: 10 }, rounds: 2 }), learner);
    // The centroid learner is fully fit after one epoch, so accuracy stalls at once: 1 + patience epochs.
    for (const r of records) expect(r.metrics.epochs).toBe(3);
    expect(calls.fits).toEqual([30, 30, 30, 55, 55, 55, 80, 80, 80]);
    for (const r of records) expect(r.metrics.validation_accuracy).toBeGreaterThan(0.3);
    // 600 pool − 100 validation − 30 initial: selections come from the remaining 470 only.
    const picked = new Set([...records[0]!.initial!, ...records.flatMap((r) => [...r.selected])]);
    expect(picked.size).toBe(80);
    // The validation set is the loop's seeded draw (seed 3): none of it is ever picked.
    const validation = permutation(600, createRandom(3, "validation")).slice(0, 100);
    for (const v of validation) expect(picked.has(v)).toBe(false);
    const bigger = await collect(config({ saturation: { validation: 100, patience: 2, maxEpochs: 10 }, rounds: 18 }), centroidLearner(10).learner);
    expect(bigger.at(-1)!.labelled).toBe(30 + 18 * 25);
    await expect(collect(config({ saturation: { validation: 100, patience: 2, maxEpochs: 10 }, rounds: 19 }), centroidLearner(10).learner)).rejects.toThrow(
      "rounds: 30 initial + 19 rounds × 25 = 505 labels exceed the 500 pool points left after the validation set",
    );
  });

  it("stops exactly at a label budget, cutting the last batch", async () => {
    const { learner } = centroidLearner(10);
    const { rounds: _r, ...rest } = config();
    const records = await collect({ ...rest, budget: 100 }, learner);
    expect(records.map((r) => r.labelled)).toEqual([30, 55, 80, 100]);
  });

  it("accepts fractions for the initial set and the acquisition size", async () => {
    const { learner } = centroidLearner(10);
    const records = await collect(config({ initial: { size: 0.05, stratified: false }, acquisition: { size: 0.1 }, rounds: 2 }), learner);
    expect(records.map((r) => r.labelled)).toEqual([30, 90, 150]);
  });

  it("rejects impossible plans before training", async () => {
    const { learner, calls } = centroidLearner(10);
    await expect(collect(config({ initial: { size: 700, stratified: false } }), learner)).rejects.toThrow(
      "initial.size: 700 initial labels exceed the pool of 600 points",
    );
    await expect(collect(config({ acquisition: { size: 580 } }), learner)).rejects.toThrow(
      "acquisition.size: 580 exceeds the 570 unlabelled pool points",
    );
    await expect(collect(config({ rounds: 30 }), learner)).rejects.toThrow("rounds: 30 initial + 30 rounds × 25 = 780 labels exceed the pool of 600");
    expect(calls.fits).toEqual([]);
  });

  it("with the real MLP on wasm: same seed ⇒ bit-identical selections and metrics; another seed differs", async () => {
    await selectBackend({ force: "wasm" });
    const run = async (seed: number, mode: RunConfig["mode"]) => {
      const learner = mlp.create(mlp.parseOptions({ hidden: [32] }, "o"), { inputSize: 784, classes: 10 });
      try {
        return await collect(config({ seed, mode, rounds: 3, epochs: 2 }), learner);
      } finally {
        learner.dispose();
      }
    };
    for (const mode of ["retrain", "keep-train"] as const) {
      const a = await run(5, mode);
      const b = await run(5, mode);
      const strip = (rs: RoundRecord[]) => rs.map((r) => ({ ...r, seconds: null }));
      expect(strip(b)).toEqual(strip(a));
      const c = await run(6, mode);
      expect(c.map((r) => [...r.selected])).not.toEqual(a.map((r) => [...r.selected]));
    }
  });
});
