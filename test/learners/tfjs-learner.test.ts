/**
 * tfjsLearner: a model written as a user would (plain tf.sequential / tf.model, tf.layers.dropout)
 * trained by the shared core — seeded and reproducible, MC dropout, penultimate embeddings,
 * checkpoints — on real Fashion-MNIST rows.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { argmaxRows, takeRows, type Matrix } from "../../lib/al/matrix.ts";
import { accuracy } from "../../lib/al/metrics/accuracy.ts";
import { createRandom } from "../../lib/al/random.ts";
import { selectBackend } from "../../lib/backend/select.ts";
import type { Dataset } from "../../lib/data/dataset.ts";
import { loadDataset } from "../../lib/data/registry.ts";
import type { Learner, LearnerShape } from "../../lib/learners/learner.ts";
import { tf, tfjsLearner, type BuildModel } from "../../lib/learners/tfjs-learner.ts";

let ds: Dataset;
let shape: LearnerShape;
let x: Matrix;
let y: Int32Array;
let testX: Matrix;
let testY: Int32Array;
const first = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
const bytes = (m: { data: Float32Array }) => Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);

beforeAll(async () => {
  await selectBackend({ force: "wasm" });
  ds = await loadDataset({ name: "fashion-mnist-small" });
  shape = { inputSize: ds.pool.x.c, inputShape: ds.shape, classes: ds.classes.length };
  x = takeRows(ds.pool.x, first(600));
  y = ds.pool.y.slice(0, 600);
  testX = takeRows(ds.test.x, first(500));
  testY = ds.test.y.slice(0, 500);
});

/** Flatten → dense 32 → dropout → dense 16: the body; al-lab adds the 10-way head. */
const mlpBody: BuildModel = (inputShape) =>
  tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape }),
      tf.layers.dense({ units: 32, activation: "relu" }),
      tf.layers.dropout({ rate: 0.25 }),
      tf.layers.dense({ units: 16, activation: "relu" }),
    ],
  });
const net = tfjsLearner({ name: "user-mlp", build: mlpBody, batchSize: 32, learningRate: 0.003 });

async function trained(seed: number, epochs = 5): Promise<Learner> {
  const learner = net.create(net.defined.options, shape);
  learner.reset(seed);
  await learner.fit(x, y, { epochs, random: createRandom(seed, "fit") });
  return learner;
}

describe("tfjsLearner", () => {
  it("trains a user's model through the shared core", async () => {
    const before = tf.memory().numTensors;
    const learner = await trained(1);
    const acc = accuracy(argmaxRows(await learner.predictProba(testX)), testY);
    learner.dispose();
    // Ten classes (chance 0.1); this body reaches ~0.7 on 600 rows in 5 epochs.
    expect(acc).toBeGreaterThan(0.6);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("is reproducible from the seed, and another seed gives other weights", async () => {
    const a = await trained(3, 2);
    const b = await trained(3, 2);
    const c = await trained(4, 2);
    const [pa, pb, pc] = [await a.predictProba(testX), await b.predictProba(testX), await c.predictProba(testX)];
    [a, b, c].forEach((l) => l.dispose());
    expect(bytes(pa).equals(bytes(pb))).toBe(true);
    expect(bytes(pa).equals(bytes(pc))).toBe(false);
  });

  it("gives MC-dropout samples that differ across passes and repeat for the same stream", async () => {
    expect(net.capabilities(shape)).toEqual({ mcSamples: true, embeddings: true, epochPredictions: true, predictedLoss: false, featureMaps: 2 });
    const learner = await trained(2, 2);
    const rows = takeRows(testX, first(50));
    const s1 = await learner.predictSamples!(rows, { samples: 4, random: createRandom(2, "mc-dropout", 0) });
    const s2 = await learner.predictSamples!(rows, { samples: 4, random: createRandom(2, "mc-dropout", 0) });
    const s3 = await learner.predictSamples!(rows, { samples: 4, random: createRandom(2, "mc-dropout", 1) });
    learner.dispose();
    expect(s1).toMatchObject({ n: 50, t: 4, c: 10 });
    expect(bytes(s1).equals(bytes(s2))).toBe(true);
    expect(bytes(s1).equals(bytes(s3))).toBe(false);
    // Within a point, the 4 passes use 4 masks: class-0 probabilities (almost) all differ.
    let distinct = 0;
    for (let i = 0; i < 50; i++) distinct += new Set([0, 1, 2, 3].map((t) => s1.data[(i * 4 + t) * 10])).size;
    expect(distinct).toBeGreaterThan(50 * 3.5);
  });

  it("embeds with the body's output: the penultimate layer, 16 wide", async () => {
    const learner = await trained(2, 1);
    const e = await learner.embed!(takeRows(testX, first(20)));
    learner.dispose();
    expect(e.n).toBe(20);
    expect(e.c).toBe(16);
    // ReLU features: non-negative, and not all zero.
    expect(Math.min(...e.data)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...e.data)).toBeGreaterThan(0);
  });

  it("round-trips its state: a restored learner predicts and trains on identically", async () => {
    const a = await trained(5, 2);
    const state = await a.getState!();
    const b = net.create(net.defined.options, shape);
    b.reset(99);
    await b.setState!(state);
    expect(bytes(await b.predictProba(testX)).equals(bytes(await a.predictProba(testX)))).toBe(true);
    await a.fit(x, y, { epochs: 1, random: createRandom(5, "fit", 1) });
    await b.fit(x, y, { epochs: 1, random: createRandom(5, "fit", 1) });
    expect(bytes(await b.predictProba(testX)).equals(bytes(await a.predictProba(testX)))).toBe(true);
    a.dispose();
    b.dispose();
  });

  it("offers no MC samples for a body without dropout, and reshapes flat rows to a functional model's image input", async () => {
    const conv = tfjsLearner({
      name: "user-conv",
      build: () => {
        const input = tf.input({ shape: [28, 28, 1] });
        let h = tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: "relu" }).apply(input) as tf.SymbolicTensor;
        h = tf.layers.maxPooling2d({ poolSize: 2 }).apply(h) as tf.SymbolicTensor;
        h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
        return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 8, activation: "relu" }).apply(h) as tf.SymbolicTensor });
      },
      learningRate: 0.003,
    });
    expect(conv.capabilities(shape)).toEqual({ mcSamples: false, embeddings: true, epochPredictions: true, predictedLoss: false, featureMaps: 2 });
    const learner = conv.create(conv.defined.options, shape);
    learner.reset(1);
    await learner.fit(x, y, { epochs: 3, random: createRandom(1, "fit") });
    const acc = accuracy(argmaxRows(await learner.predictProba(testX)), testY);
    expect((await learner.embed!(takeRows(testX, first(3)))).c).toBe(8);
    expect(learner.predictSamples).toBeUndefined();
    learner.dispose();
    // Chance is 0.1; this small conv body reaches ~0.55 here.
    expect(acc).toBeGreaterThan(0.4);
  });

  it("refuses a model with its own head, unseedable noise, epochs, and what is not a model, in one line", () => {
    const dense = (activation?: "softmax") => tf.layers.dense({ units: 10, inputShape: [784], ...(activation ? { activation } : {}) });
    const flat = { inputSize: 784, classes: 10 };
    expect(() => tfjsLearner({ name: "headed", build: () => tf.sequential({ layers: [dense("softmax")] }) }).capabilities(flat)).toThrow(
      'headed: build returns a model ending in a softmax head; return the body without it (al-lab adds the dense classification head)',
    );
    expect(() => tfjsLearner({ name: "noisy", build: () => tf.sequential({ layers: [dense(), tf.layers.gaussianNoise({ stddev: 1 })] }) }).capabilities(flat)).toThrow(
      "noisy: the model uses a GaussianNoise layer, whose randomness cannot be seeded; use tf.layers.dropout (al-lab seeds it)",
    );
    expect(() => tfjsLearner({ name: "not-a-model", build: () => ({}) as tf.LayersModel }).capabilities(flat)).toThrow(
      "not-a-model: build must return a tf.LayersModel",
    );
    expect(() => tfjsLearner({ name: "too-wide", build: () => tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [785] })] }) }).capabilities(flat)).toThrow(
      "too-wide: the model's input shape [785] does not hold the data's 784 values per row; use build's inputShape [784]",
    );
    expect(() => tfjsLearner({ build: mlpBody, epochs: 3 } as Parameters<typeof tfjsLearner>[0])).toThrow(
      'tfjsLearner("tfjs"): epochs: set the experiment\'s `epochs` instead',
    );
    expect(() => tfjsLearner({ build: mlpBody, batchSize: 0 })).toThrow('tfjsLearner("tfjs"): batchSize');
    expect(() => tfjsLearner({ name: "a b", build: mlpBody })).toThrow(`tfjsLearner: name "a b": expected letters, digits, '.', '_' or '-'`);
  });

  it("puts the training options (defaults filled) and the build source in its definition", () => {
    expect(net.defined.options).toEqual({ optimizer: "adam", learningRate: 0.003, batchSize: 32 });
    expect(net.defined.sources.build).toContain("dropout");
    expect(JSON.parse(JSON.stringify(net))).toEqual({ name: "user-mlp", options: net.defined.options, kind: "tfjs-learner", sources: net.defined.sources });
  });
});
