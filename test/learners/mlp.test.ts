import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { argmaxRows, takeRows } from "../../lib/al/matrix.ts";
import { accuracy } from "../../lib/al/metrics/accuracy.ts";
import { createRandom } from "../../lib/al/random.ts";
import { selectBackend } from "../../lib/backend/select.ts";
import type { Dataset } from "../../lib/data/dataset.ts";
import { loadDataset } from "../../lib/data/registry.ts";
import { mlp } from "../../lib/learners/mlp.ts";

let ds: Dataset;
const first = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

beforeAll(async () => {
  await selectBackend({ force: "wasm" });
  ds = await loadDataset({ name: "fashion-mnist-small" });
});

function make(options: unknown = {}) {
  return mlp.create(mlp.parseOptions(options, "learner.options"), { inputSize: 784, classes: 10 });
}

describe("MLP learner (wasm)", () => {
  it("trains to > 75% test accuracy on 1,000 real Fashion-MNIST images", async () => {
    const learner = make();
    learner.reset(1);
    await learner.fit(takeRows(ds.pool.x, first(1000)), ds.pool.y.slice(0, 1000), { epochs: 10, random: createRandom(1, "fit") });
    const probs = await learner.predictProba(ds.test.x);
    expect(accuracy(argmaxRows(probs), ds.test.y)).toBeGreaterThan(0.75);
    // Rows are probability distributions.
    for (let i = 0; i < 5; i++) {
      const row = probs.data.subarray(i * 10, i * 10 + 10);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    learner.dispose();
  });

  it("is bit-identical for the same seed and different for another", async () => {
    const run = async (seed: number) => {
      const learner = make({ hidden: [32], dropout: 0.3 });
      learner.reset(seed);
      await learner.fit(takeRows(ds.pool.x, first(200)), ds.pool.y.slice(0, 200), { epochs: 2, random: createRandom(seed, "fit") });
      const p = await learner.predictProba(takeRows(ds.test.x, first(100)));
      learner.dispose();
      return p.data;
    };
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
  });

  it("does not leak tensors across rounds (keep-train and retrain)", async () => {
    const learner = make({ hidden: [16] });
    const x = takeRows(ds.pool.x, first(100));
    const y = ds.pool.y.slice(0, 100);
    learner.reset(1);
    await learner.fit(x, y, { epochs: 1, random: createRandom(1, "a") });
    await learner.predictProba(x);
    const baseline = tf.memory().numTensors;
    for (let round = 0; round < 4; round++) {
      if (round % 2 === 0) learner.reset(round);
      await learner.fit(x, y, { epochs: 1, random: createRandom(1, "r", round) });
      await learner.predictProba(ds.test.x);
      expect(tf.memory().numTensors).toBe(baseline);
    }
    learner.dispose();
    expect(tf.memory().numTensors).toBeLessThan(baseline);
  });

  it("validates options with the field named", async () => {
    expect(() => mlp.parseOptions({ hidden: [0] }, "learner.options")).toThrow("learner.options.hidden[0]");
    expect(() => mlp.parseOptions({ learningRate: "fast" }, "learner.options")).toThrow('learner.options.learningRate: expected number, got "fast"');
    await expect(make().fit(ds.pool.x, ds.pool.y, { epochs: 1, random: createRandom(1) })).rejects.toThrow("before reset");
  });
});
