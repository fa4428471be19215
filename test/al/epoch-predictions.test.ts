/**
 * The per-epoch record behind label dispersion: its helpers by hand, the shared tfjs training
 * core's `recordPredictions` (through the MLP on fashion-mnist-small), and the loop handing
 * it to the sampler — E columns per round, retrain, keep-train, saturation and candidates.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { joinEpochs, recordOf } from "../../lib/al/epoch-predictions.ts";
import { runLoop } from "../../lib/al/loop.ts";
import { argmaxRows, takeRows } from "../../lib/al/matrix.ts";
import { createRandom } from "../../lib/al/random.ts";
import type { RoundRecord } from "../../lib/al/records.ts";
import { labelDispersion, labelDispersionScores } from "../../lib/al/samplers/label-dispersion.ts";
import type { EpochPredictions, Sampler } from "../../lib/al/samplers/sampler.ts";
import { topKUnlabelled } from "../../lib/al/samplers/top-k.ts";
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

const first = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
const small = { hidden: [32], dropout: 0.2 };

describe("record helpers", () => {
  it("joinEpochs puts records of the same rows side by side", () => {
    const a: EpochPredictions = { data: Int32Array.of(1, 2, 3, 4), n: 2, e: 2 }; // rows [1 2], [3 4]
    const b: EpochPredictions = { data: Int32Array.of(5, 6), n: 2, e: 1 }; // rows [5], [6]
    expect(joinEpochs([a, b])).toEqual({ data: Int32Array.of(1, 2, 5, 3, 4, 6), n: 2, e: 3 });
    expect(joinEpochs([b])).toEqual(b);
    expect(() => joinEpochs([a, { data: Int32Array.of(1), n: 1, e: 1 }])).toThrow("joinEpochs: records of 2 and 1 rows; join records of the same rows");
    expect(() => recordOf(undefined, "knn")).toThrow(/^learner "knn" recorded no per-epoch predictions; label dispersion needs a learner that trains in epochs/);
  });
});

describe("recordPredictions in the shared tfjs training core", () => {
  const x = () => takeRows(ds.pool.x, first(120));
  const y = () => ds.pool.y.slice(0, 120);
  const pool = () => takeRows(ds.pool.x, first(300));

  it("records each epoch's classes; the last column is the trained model's argmax; training is unchanged", async () => {
    const make = () => mlp.create(mlp.parseOptions(small, "o"), { inputSize: 784, classes: 10 });
    const recording = make();
    const plain = make();
    try {
      recording.reset(4);
      plain.reset(4);
      const fitted = await recording.fit(x(), y(), { epochs: 4, random: createRandom(1, "fit"), recordPredictions: pool() });
      const none = await plain.fit(x(), y(), { epochs: 4, random: createRandom(1, "fit") });
      expect(none).toBeUndefined();
      const record = recordOf(fitted, "mlp");
      expect([record.n, record.e]).toEqual([300, 4]);
      const after = await recording.predictProba(pool());
      // Recording draws nothing from the fit's stream and changes no weight: the same model.
      expect(Buffer.from(after.data.buffer).equals(Buffer.from((await plain.predictProba(pool())).data.buffer))).toBe(true);
      const last = argmaxRows(after);
      for (let i = 0; i < 300; i++) expect(record.data[i * 4 + 3], `point ${i}`).toBe(last[i]);
      // Early epochs of a 120-label fit disagree with the last on some points, so dispersion is not all 0.
      const s = labelDispersionScores(record);
      expect(s.some((v) => v > 0)).toBe(true);
    } finally {
      recording.dispose();
      plain.dispose();
    }
  });

  it("with early stopping, records every epoch trained (fewer than asked)", async () => {
    // One batch per epoch and a high rate: validation loss turns up early (as in train-core.test.ts).
    const learner = mlp.create(
      mlp.parseOptions({ hidden: [64], dropout: 0, learningRate: 0.02, batchSize: 1000, earlyStopping: { patience: 2, validationFraction: 0.3 } }, "o"),
      { inputSize: 784, classes: 10 },
    );
    try {
      learner.reset(1);
      const record = recordOf(await learner.fit(x(), y(), { epochs: 200, random: createRandom(1, "fit"), recordPredictions: pool() }), "mlp");
      const state = await learner.getState!();
      const steps = state.tensors.find((t) => t.name === "optimizer/iter")!.data[0]!;
      expect(record.e).toBe(steps);
      expect(record.e).toBeLessThan(200);
      expect(record.e).toBeGreaterThanOrEqual(3);
    } finally {
      learner.dispose();
    }
  });

  it("refuses a record on a multi-label head and rows of the wrong width, naming the learner", async () => {
    const multi = mlp.create(mlp.parseOptions(small, "o"), { inputSize: 784, classes: 3, task: "multilabel" });
    const learner = mlp.create(mlp.parseOptions(small, "o"), { inputSize: 784, classes: 10 });
    try {
      multi.reset(1);
      learner.reset(1);
      const sets = { data: new Float32Array(120 * 3).fill(1), n: 120, c: 3 };
      await expect(multi.fit(x(), sets, { epochs: 1, random: createRandom(1), recordPredictions: pool() })).rejects.toThrow(
        "mlp: recordPredictions records one class per row, but this head is multi-label; use it on multi-class data",
      );
      await expect(learner.fit(x(), y(), { epochs: 1, random: createRandom(1), recordPredictions: { data: new Float32Array(10), n: 1, c: 10 } })).rejects.toThrow(/^mlp: /);
    } finally {
      multi.dispose();
      learner.dispose();
    }
  });
});

describe("label-dispersion through the loop (mlp, fashion-mnist-small)", () => {
  /** The sampler, keeping each round's record as it saw it. */
  function watched(): { sampler: Sampler; seen: EpochPredictions[]; labelled: Uint8Array[] } {
    const seen: EpochPredictions[] = [];
    const labelled: Uint8Array[] = [];
    const sampler: Sampler = {
      ...labelDispersion,
      select(inputs, k, options, context) {
        seen.push(inputs.epochPredictions!);
        labelled.push(inputs.labelled.slice());
        return labelDispersion.select(inputs, k, options, context);
      },
    };
    return { sampler, seen, labelled };
  }

  async function run(overrides: Partial<RunConfig>) {
    const config: RunConfig = {
      experiment: "t",
      dataset: { name: "fashion-mnist-small", pool: 300, test: 100 },
      learner: { name: "mlp", options: small },
      sampler: { name: "label-dispersion", options: {} },
      mode: "retrain",
      initial: { size: 20, stratified: true },
      acquisition: { size: 15 },
      rounds: 2,
      epochs: 3,
      seed: 2,
      ...overrides,
    };
    const { sampler, seen, labelled } = watched();
    const records: RoundRecord[] = [];
    const learner = mlp.create(mlp.parseOptions(small, "o"), { inputSize: 784, classes: 10 });
    // Which fits were asked to record (the last round selects nothing, so it should not be).
    const asked: Array<number | false> = [];
    const fit = learner.fit.bind(learner);
    learner.fit = (x, y, options) => {
      asked.push(options.recordPredictions?.n ?? false);
      return fit(x, y, options);
    };
    try {
      await runLoop({ runId: "ld", config, dataset: ds, learner, sampler, samplerOptions: {}, onRound: (r) => void records.push(r) });
    } finally {
      learner.dispose();
    }
    return { records, seen, labelled, asked };
  }

  it("retrain: each round's record has `epochs` columns; picks are the top dispersion, distinct and unlabelled", async () => {
    const { records, seen, labelled, asked } = await run({});
    expect(seen.map((r) => [r.n, r.e])).toEqual([[300, 3], [300, 3]]);
    expect(asked).toEqual([300, 300, false]);
    const all = [...records[0]!.initial!, ...records.flatMap((r) => [...r.selected])];
    expect(all).toHaveLength(50);
    expect(new Set(all).size).toBe(50);
    seen.forEach((record, round) => {
      const picked = records[round]!.selected;
      for (const i of picked) expect(labelled[round]![i]).toBe(0);
      expect(picked).toEqual(topKUnlabelled(labelDispersionScores(record), 15, labelled[round]!));
    });
    // The round still stores its uncertainty histograms (least confidence of the pool, whatever the sampler).
    expect(records[0]!.histograms?.length).toBeGreaterThan(0);
  });

  it("keep-train: round 0 records `epochs`, later rounds their `period`", async () => {
    const { seen } = await run({ mode: "keep-train", epochs: 4, period: 2 });
    expect(seen.map((r) => r.e)).toEqual([4, 2]);
  });

  it("acquire on saturation: one column per epoch trained, as stored in the round's epochs metric", async () => {
    const { records, seen } = await run({ mode: "keep-train", saturation: { validation: 40, patience: 1, maxEpochs: 5 } });
    expect(seen.map((r) => r.e)).toEqual([records[0]!.metrics["epochs"], records[1]!.metrics["epochs"]]);
    for (const r of seen) expect(r.e).toBeGreaterThanOrEqual(2);
  });

  it("candidates: only the round's view is recorded", async () => {
    const { records, seen, labelled, asked } = await run({ acquisition: { size: 15, candidates: 60 } });
    expect(asked).toEqual([80, 95, false]);
    // 60 candidates + the blocked points of the round (20 labelled in round 0, 35 in round 1).
    expect(seen.map((r) => [r.n, r.e])).toEqual([[80, 3], [95, 3]]);
    expect(labelled.map((l) => l.length)).toEqual([80, 95]);
    expect(new Set(records.flatMap((r) => [...r.selected])).size).toBe(30);
  });
});
