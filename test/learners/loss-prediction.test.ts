/**
 * Loss prediction in the shared tfjs core: the ranking loss by hand, the module on every tfjs
 * learner's intermediate features, the backbone untouched by the module's seeds (and, once
 * detached, by its gradient), checkpoints with the module's weights, and the predicted losses
 * ranking the true ones on Fashion-MNIST (small).
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { takeRows, type Matrix } from "../../lib/al/matrix.ts";
import { createRandom } from "../../lib/al/random.ts";
import { rankWithTies } from "../../lib/al/stats/ranks.ts";
import { selectBackend } from "../../lib/backend/select.ts";
import type { Dataset } from "../../lib/data/dataset.ts";
import { loadDataset } from "../../lib/data/registry.ts";
import { learnerCapabilities, learnerRegistry } from "../../lib/learners/index.ts";
import type { Learner, LearnerShape } from "../../lib/learners/learner.ts";
import { mlp } from "../../lib/learners/mlp.ts";
import { rankingLoss } from "../../lib/learners/tf/ranking-loss.ts";
import { tfjsLearner } from "../../lib/learners/tfjs-learner.ts";

let ds: Dataset;
const first = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
const bits = (a: ArrayLike<number>) => Buffer.from(Float32Array.from(a).buffer);

beforeAll(async () => {
  await selectBackend({ force: "wasm" });
  ds = await loadDataset({ name: "fashion-mnist-small" });
});

describe("rankingLoss", () => {
  const value = (p: number[], l: number[], margin = 1) => tf.tidy(() => rankingLoss(tf.tensor1d(p), tf.tensor1d(l), margin).dataSync()[0]!);
  const grads = (p: number[], l: number[]) =>
    tf.tidy(() => {
      const [gp, gl] = tf.grads((a: tf.Tensor, b: tf.Tensor) => rankingLoss(a, b, 1))([tf.tensor1d(p), tf.tensor1d(l)]);
      return [Array.from(gp!.dataSync()), Array.from(gl!.dataSync())];
    });

  it("pairs the batch's halves and averages max(0, −sign(l_i − l_j)(l̂_i − l̂_j) + ξ)", () => {
    // Pairs (0, 2): l 2 > 1 and l̂ 3 − 0.5 = 2.5 ≥ ξ: satisfied, 0. (1, 3): l 1 < 3 but
    // l̂ 0 − 0.2 = −0.2, only 0.2 of the margin: 1 − 0.2 = 0.8. Mean over 2 pairs: 0.4.
    expect(value([3, 0, 0.5, 0.2], [2, 1, 1, 3])).toBeCloseTo(0.4, 6);
    // ξ = 3 makes pair (0, 2) pay too: 3 − 2.5 = 0.5, and (1, 3) 3 − 0.2 = 2.8: mean 1.65.
    expect(value([3, 0, 0.5, 0.2], [2, 1, 1, 3], 3)).toBeCloseTo(1.65, 5);
    // An odd last point has no partner; one point, no pair: 0.
    expect(value([3, 0, 0.5, 0.2, 100], [2, 1, 1, 3, -100])).toBeCloseTo(0.4, 6);
    expect(value([5], [1])).toBe(0);
    // Tied true losses cost ξ whatever the predictions.
    expect(value([7, -2], [1, 1])).toBeCloseTo(1, 6);
  });

  it("has no gradient from pairs that satisfy the margin, nor into the true losses", () => {
    const [gp, gl] = grads([3, 0, 0.5, 0.2], [2, 1, 1, 3]);
    // Only pair (1, 3) is active: ∂/∂l̂_1 (l̂_1 − l̂_3 + 1)/2 = 1/2, ∂/∂l̂_3 = −1/2.
    expect(gp).toEqual([0, 0.5, 0, -0.5]);
    expect(gl).toEqual([0, 0, 0, 0]);
    const [satisfied] = grads([5, 0, 1, 2], [3, 0, 1, 2]);
    expect(satisfied).toEqual([0, 0, 0, 0]);
  });

  it("is ≥ 0, and 0 once predictions are the losses scaled far apart (200 random batches)", () => {
    const r = createRandom(3, "ranking");
    for (let t = 0; t < 200; t++) {
      const b = 2 + r.int(30);
      const l = Array.from({ length: b }, () => r.next() * 5);
      const p = Array.from({ length: b }, () => r.normal());
      expect(value(p, l)).toBeGreaterThanOrEqual(0);
      // Distinct losses (continuous draws) scaled so every gap exceeds ξ: perfectly ranked.
      let gap = Infinity;
      for (let i = 0; i < b >> 1; i++) gap = Math.min(gap, Math.abs(l[i]! - l[i + (b >> 1)]!));
      expect(value(l.map((v) => (2 * v) / gap), l)).toBe(0);
    }
  });
});

/** Six random rows (token ids for text learners), two per class. */
function tinyData(name: string, shape: LearnerShape): Matrix {
  const r = createRandom(1, "tiny", name);
  const tokens = ["cnn1d", "bilstm", "transformer"].includes(name);
  return { data: Float32Array.from({ length: 6 * shape.inputSize }, () => (tokens ? 1 + r.int(49) : r.normal())), n: 6, c: shape.inputSize };
}
const tinyLabels = Int32Array.of(0, 1, 2, 0, 1, 2);
const shapeFor = (name: string): LearnerShape =>
  name === "cnn" ? { inputSize: 64, inputShape: [8, 8], classes: 3 } : { inputSize: 12, classes: 3, vocabSize: 50 };

describe("the module on every tfjs learner's intermediate features", () => {
  const tfNames = Object.keys(learnerRegistry).filter((name) => learnerCapabilities[name]!({}).epochPredictions);

  it.each(tfNames)("%s: trains with the module, predicts one finite loss per row, and says so in its capabilities", async (name) => {
    const factory = learnerRegistry[name]!;
    // bilstm with two layers: its first tap is a masked sequence, pooled over the real tokens.
    const options = factory.parseOptions({ lossPrediction: { units: 4 }, ...(name === "bilstm" ? { layers: 2 } : {}) }, "learner.options") as Record<string, unknown>;
    expect(learnerCapabilities[name]!(options).predictedLoss).toBe(true);
    expect(learnerCapabilities[name]!(factory.parseOptions({}, "o") as Record<string, unknown>).predictedLoss).toBe(false);
    const shape = shapeFor(name);
    const x = tinyData(name, shape);
    const learner = factory.create(options, shape);
    try {
      learner.reset(1);
      await learner.fit(x, tinyLabels, { epochs: 2, random: createRandom(1, "fit") });
      const predicted = await learner.predictLoss!(x);
      expect(predicted.length).toBe(6);
      for (const v of predicted) expect(Number.isFinite(v)).toBe(true);
    } finally {
      learner.dispose();
    }
  });

  it("multi-label heads: each row's loss is its mean per-label cross-entropy", async () => {
    const shape: LearnerShape = { inputSize: 12, classes: 3, task: "multilabel" };
    const learner = mlp.create(mlp.parseOptions({ hidden: [8], lossPrediction: { units: 4 } }, "o"), shape);
    try {
      learner.reset(1);
      const x = tinyData("mlp", shape);
      const y = { data: Float32Array.of(1, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 0, 1, 0), n: 6, c: 3 };
      await learner.fit(x, y, { epochs: 2, random: createRandom(1, "fit") });
      const predicted = await learner.predictLoss!(x);
      expect(predicted.length).toBe(6);
      for (const v of predicted) expect(Number.isFinite(v)).toBe(true);
    } finally {
      learner.dispose();
    }
  });

  it("a learner without the option has no predictLoss; layers out of range or empty bodies fail in one line", async () => {
    const shape = { inputSize: 784, classes: 10 };
    const plain = mlp.create(mlp.parseOptions({}, "o"), shape);
    expect(plain.predictLoss).toBeUndefined();
    plain.dispose();
    const wide = mlp.create(mlp.parseOptions({ hidden: [8, 8], lossPrediction: { layers: [2] } }, "o"), shape);
    expect(() => wide.reset(1)).toThrow(/^mlp: lossPrediction\.layers: 2 is out of range; this network has 2 feature maps \(0–1\)$/);
    const one = mlp.create(mlp.parseOptions({ hidden: [8], lossPrediction: { layers: [1] } }, "o"), shape);
    expect(() => one.reset(1)).toThrow(/^mlp: lossPrediction\.layers: 1 is out of range; this network has 1 feature map \(0\)$/);
    const twice = mlp.create(mlp.parseOptions({ hidden: [8, 8], lossPrediction: { layers: [1, 1] } }, "o"), shape);
    expect(() => twice.reset(1)).toThrow(/^mlp: lossPrediction\.layers: \[1, 1\] repeats a layer; name each once$/);
    const flat = mlp.create(mlp.parseOptions({ hidden: [], lossPrediction: {} }, "o"), shape);
    expect(() => flat.reset(1)).toThrow(/^mlp: lossPrediction needs intermediate features, but the network exposes none; give it a hidden layer$/);
    // A failed reset leaves nothing to train: fit says reset first instead of training without the module.
    await expect(flat.fit({ data: new Float32Array(784), n: 1, c: 784 }, Int32Array.of(0), { epochs: 1, random: createRandom(1, "fit") })).rejects.toThrow(/^mlp: fit\(\) before reset\(seed\)$/);
    expect(() => mlp.parseOptions({ lossPrediction: { margin: 0 } }, "learner.options")).toThrow(/lossPrediction\.margin/);
  });

  it("tfjsLearner: the module reads the outputs of the body's layers with weights", async () => {
    const net = tfjsLearner({
      name: "lp-net",
      lossPrediction: { units: 4, layers: [0, 1] },
      build: (inputShape) =>
        tf.sequential({ layers: [tf.layers.dense({ inputShape, units: 8, activation: "relu" }), tf.layers.dropout({ rate: 0.1 }), tf.layers.dense({ units: 6, activation: "relu" })] }),
    });
    const shape = { inputSize: 12, classes: 3 };
    expect(net.capabilities(shape)).toEqual({ mcSamples: true, embeddings: true, epochPredictions: true, predictedLoss: true, featureMaps: 2 });
    const learner = net.create(net.defined.options, shape);
    try {
      learner.reset(1);
      const x = tinyData("tfjs", shape);
      await learner.fit(x, tinyLabels, { epochs: 2, random: createRandom(1, "fit") });
      expect((await learner.predictLoss!(x)).length).toBe(6);
      // Three layers' weights (2 dense + head) and the module's three dense layers, kernel and bias each.
      expect((await learner.getState!()).tensors.filter((t) => t.name.startsWith("model/")).length).toBe(12);
      // Only two layers have weights: a third tap does not exist.
      const three = net.create({ ...net.defined.options, lossPrediction: { units: 4, margin: 1, weight: 1, layers: [2] } }, shape);
      expect(() => three.reset(1)).toThrow(/^lp-net: lossPrediction\.layers: 2 is out of range; this network has 2 feature maps \(0–1\)$/);
    } finally {
      learner.dispose();
    }
  });
});

describe("mlp with the module on Fashion-MNIST (small)", () => {
  const shape = { inputSize: 784, classes: 10 };
  const x = () => takeRows(ds.pool.x, first(300));
  const y = () => ds.pool.y.slice(0, 300);
  const make = (lossPrediction?: object) => mlp.create(mlp.parseOptions(lossPrediction ? { lossPrediction } : {}, "o"), shape);

  it("starts from the same backbone as without it, and detached from epoch 0 trains it identically", async () => {
    const rows = takeRows(ds.test.x, first(200));
    const plain = make();
    const module = make({ units: 16 });
    const detached = make({ units: 16, detachAfter: 0 });
    try {
      for (const l of [plain, module, detached]) l.reset(4);
      // The module draws its seeds from its own stream: the classifier starts bit for bit the same.
      expect(bits((await module.predictProba(rows)).data).equals(bits((await plain.predictProba(rows)).data))).toBe(true);
      for (const l of [plain, module, detached]) await l.fit(x(), y(), { epochs: 2, random: createRandom(4, "fit") });
      const p = (await plain.predictProba(rows)).data;
      // Detached, the ranking loss's gradient stops at the features: the backbone learns as without the module.
      expect(bits((await detached.predictProba(rows)).data).equals(bits(p))).toBe(true);
      // Attached, it shapes the features too.
      expect(bits((await module.predictProba(rows)).data).equals(bits(p))).toBe(false);
    } finally {
      for (const l of [plain, module, detached]) l.dispose();
    }
  });

  it("checkpoints hold the module: a restored learner predicts and keeps training bit for bit the same", async () => {
    const rows = takeRows(ds.test.x, first(200));
    const a = make({ units: 16 });
    const b = make({ units: 16 });
    try {
      a.reset(2);
      await a.fit(x(), y(), { epochs: 2, random: createRandom(2, "fit", 0) });
      const state = await a.getState!();
      b.reset(99);
      await b.setState!(state);
      expect(bits(await b.predictLoss!(rows)).equals(bits(await a.predictLoss!(rows)))).toBe(true);
      for (const l of [a, b]) await l.fit(x(), y(), { epochs: 1, random: createRandom(2, "fit", 1) });
      expect(bits(await b.predictLoss!(rows)).equals(bits(await a.predictLoss!(rows)))).toBe(true);
      expect(bits((await b.predictProba(rows)).data).equals(bits((await a.predictProba(rows)).data))).toBe(true);
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it("early stopping restores the module's weights of the best epoch with the classifier's", async () => {
    // As test/learners/train-core.test.ts: one batch per epoch, a high learning rate overfits 150
    // rows quickly; a fit of exactly the best epoch's length must end on the same module.
    const rows = takeRows(ds.test.x, first(200));
    const train = async (patience: number, epochs: number) => {
      const options = { hidden: [64], dropout: 0, learningRate: 0.02, batchSize: 1000, earlyStopping: { patience, validationFraction: 0.3 }, lossPrediction: { units: 8 } };
      const learner = mlp.create(mlp.parseOptions(options, "o"), shape);
      learner.reset(1);
      await learner.fit(takeRows(ds.pool.x, first(150)), ds.pool.y.slice(0, 150), { epochs, random: createRandom(1, "fit") });
      const iter = (await learner.getState!()).tensors.find((t) => t.name === "optimizer/iter")!.data[0]!;
      const predicted = await learner.predictLoss!(rows);
      learner.dispose();
      return { iter, predicted };
    };
    const stopped = await train(3, 200);
    expect(stopped.iter).toBeLessThan(200);
    const best = await train(1000, stopped.iter - 3);
    expect(bits(best.predicted).equals(bits(stopped.predicted))).toBe(true);
  });

  it("leaves no tensor behind: training (detached and not, early stopping), prediction, checkpoints, dispose", async () => {
    const before = tf.memory().numTensors;
    const learner = make({ units: 8, detachAfter: 1 });
    const other = make({ units: 8, detachAfter: 1 });
    learner.reset(1);
    other.reset(2);
    const options = mlp.parseOptions({ earlyStopping: { patience: 1 }, lossPrediction: { units: 8, detachAfter: 1 } }, "o");
    const stopping = mlp.create(options, shape);
    stopping.reset(3);
    await learner.fit(x(), y(), { epochs: 2, random: createRandom(1, "fit") });
    await stopping.fit(x(), y(), { epochs: 3, random: createRandom(1, "fit") });
    await learner.predictLoss!(takeRows(ds.test.x, first(50)));
    await other.setState!(await learner.getState!());
    for (const l of [learner, other, stopping]) l.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("ranks the true losses of unseen points: Spearman > 0.5 (measured 0.60–0.65, seeds 1–3)", async () => {
    // 300 training rows, 10 epochs; the true loss is each test point's cross-entropy.
    const learner = make({});
    try {
      learner.reset(1);
      await learner.fit(x(), y(), { epochs: 10, random: createRandom(1, "fit") });
      const tx = takeRows(ds.test.x, first(1000));
      const predicted = await learner.predictLoss!(tx);
      const probs = await learner.predictProba(tx);
      const loss = Float64Array.from(ds.test.y.slice(0, 1000), (c, i) => -Math.log(Math.max(probs.data[i * 10 + c]!, 1e-12)));
      expect(spearman(predicted, loss)).toBeGreaterThan(0.5);
    } finally {
      learner.dispose();
    }
  });
});

/** Pearson correlation of the tie-averaged ranks. */
function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ra = rankWithTies(a);
  const rb = rankWithTies(b);
  const n = ra.length;
  const mean = (n + 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i]! - mean) * (rb[i]! - mean);
    da += (ra[i]! - mean) ** 2;
    db += (rb[i]! - mean) ** 2;
  }
  return num / Math.sqrt(da * db);
}
