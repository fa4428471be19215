/**
 * The shared tfjs training core (lib/learners/tf/train.ts), through the MLP: early stopping
 * with the best weights restored, class weights, optimizers, and the pure helpers it uses
 * (class weights, seeded validation split) with hand-computed cases.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { argmaxRows, takeRows, type Matrix } from "../../lib/al/matrix.ts";
import { accuracy } from "../../lib/al/metrics/accuracy.ts";
import { createRandom } from "../../lib/al/random.ts";
import { selectBackend } from "../../lib/backend/select.ts";
import type { Dataset } from "../../lib/data/dataset.ts";
import { loadDataset } from "../../lib/data/registry.ts";
import { resolveClassWeights } from "../../lib/learners/class-weights.ts";
import type { Learner } from "../../lib/learners/learner.ts";
import { mlp } from "../../lib/learners/mlp.ts";
import { validationSplit } from "../../lib/learners/validation-split.ts";

let ds: Dataset;
const first = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

beforeAll(async () => {
  await selectBackend({ force: "wasm" });
  ds = await loadDataset({ name: "fashion-mnist-small" });
});

/** Optimizer steps taken so far, from the checkpoint state (tfjs counts them in "iter"). */
async function steps(learner: Learner): Promise<number> {
  const state = await learner.getState!();
  const iter = state.tensors.find((t) => t.name === "optimizer/iter");
  return iter!.data[0]!;
}

describe("early stopping", () => {
  it("stops after `patience` epochs without improvement and restores the best epoch's weights", async () => {
    // One batch per epoch (batchSize > rows), so optimizer steps = epochs trained. A high
    // learning rate on 150 rows overfits quickly, so the validation loss turns up early.
    const x = takeRows(ds.pool.x, first(150));
    const y = ds.pool.y.slice(0, 150);
    const options = { hidden: [64], dropout: 0, learningRate: 0.02, batchSize: 1000 };
    const train = async (patience: number, epochs: number) => {
      const learner = mlp.create(mlp.parseOptions({ ...options, earlyStopping: { patience, validationFraction: 0.3 } }, "o"), { inputSize: 784, classes: 10 });
      learner.reset(1);
      await learner.fit(x, y, { epochs, random: createRandom(1, "fit") });
      const trained = await steps(learner);
      const probs = await learner.predictProba(takeRows(ds.test.x, first(200)));
      learner.dispose();
      return { trained, probs };
    };
    const stopped = await train(3, 200);
    expect(stopped.trained).toBeLessThan(200);
    expect(stopped.trained).toBeGreaterThan(3);
    // The best epoch was `trained − 3`: a run that trains exactly that long (same split, same
    // shuffles, nothing to stop) ends on the same weights, so the predictions are identical.
    const best = await train(1000, stopped.trained - 3);
    expect(best.trained).toBe(stopped.trained - 3);
    expect(Buffer.from(best.probs.data.buffer).equals(Buffer.from(stopped.probs.data.buffer))).toBe(true);
  });
});

describe("class weights", () => {
  it("'balanced' raises the recall of a rare class", async () => {
    // T-shirt (0) vs shirt (6), 300 : 12 in training: unweighted, the rare class is mostly missed.
    const rows: number[] = [];
    let rare = 0;
    for (let i = 0; i < ds.pool.x.n && rows.length < 312; i++) {
      const k = ds.pool.y[i]!;
      if (k === 0 && rows.length - rare < 300) rows.push(i);
      if (k === 6 && rare < 12) {
        rows.push(i);
        rare++;
      }
    }
    const testRows = first(ds.test.x.n).filter((i) => ds.test.y[i] === 0 || ds.test.y[i] === 6);
    const x = takeRows(ds.pool.x, rows);
    const y = Int32Array.from(rows, (i) => (ds.pool.y[i] === 6 ? 1 : 0));
    const testX = takeRows(ds.test.x, testRows);
    const recall = async (classWeights?: "balanced") => {
      const learner = mlp.create(mlp.parseOptions({ hidden: [32], ...(classWeights ? { classWeights } : {}) }, "o"), { inputSize: 784, classes: 2 });
      learner.reset(1);
      await learner.fit(x, y, { epochs: 5, random: createRandom(1, "fit") });
      const predicted = argmaxRows(await learner.predictProba(testX));
      learner.dispose();
      let hits = 0;
      let total = 0;
      testRows.forEach((r, i) => {
        if (ds.test.y[r] === 6) {
          total++;
          if (predicted[i] === 1) hits++;
        }
      });
      return hits / total;
    };
    const plain = await recall();
    const balanced = await recall("balanced");
    expect(balanced).toBeGreaterThan(plain + 0.2);
  });

  it("rejects a weight list of the wrong length at create()", () => {
    expect(() => mlp.create(mlp.parseOptions({ classWeights: [1, 2] }, "o"), { inputSize: 4, classes: 3 })).toThrow(
      "mlp: classWeights has 2 entries but the data has 3 classes",
    );
  });

  it("resolves 'balanced' by hand", () => {
    // Multi-class y = [0, 0, 0, 1], 3 classes, 2 present: w_c = n / (present · n_c):
    // w0 = 4 / (2·3) = 2/3, w1 = 4 / (2·1) = 2, w2 (absent) = 1.
    const mc = resolveClassWeights("balanced", { task: "multiclass", y: Int32Array.of(0, 0, 0, 1) }, 3)!;
    expect(Array.from(mc)).toEqual([2 / 3, 2, 1].map(Math.fround));
    // Multi-label, 4 rows × 4 labels; positives per label [3, 1, 0, 4]: w = negatives / positives
    // = [1/3, 3/1, 1 (no positives), 1 (no negatives)].
    const y: Matrix = { data: Float32Array.of(1, 1, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1), n: 4, c: 4 };
    const ml = resolveClassWeights("balanced", { task: "multilabel", y }, 4)!;
    expect(Array.from(ml)).toEqual([1 / 3, 3, 1, 1].map(Math.fround));
    expect(resolveClassWeights(undefined, { task: "multilabel", y }, 4)).toBeUndefined();
    expect(Array.from(resolveClassWeights([1, 5], { task: "multiclass", y: Int32Array.of(0) }, 2)!)).toEqual([1, 5]);
  });
});

describe("validation split", () => {
  it("is stratified: round(fraction · count) per class, keeping one row of each class for training", () => {
    // Classes with 10, 5 and 1 rows, fraction 0.2: quotas round(2) = 2, round(1) = 1, and 0 for
    // the singleton (its only row must train).
    const y = Int32Array.from([...Array(10).fill(0), ...Array(5).fill(1), 2]);
    const split = validationSplit({ task: "multiclass", y }, 0.2, createRandom(1));
    expect(Array.from(split.validation, (i) => y[i])).toEqual([0, 0, 1]);
    expect(split.train.length + split.validation.length).toBe(16);
    expect([...split.train, ...split.validation].sort((a, b) => a - b)).toEqual(Array.from(first(16)));
    expect(Array.from(split.train)).toEqual(Array.from(split.train).sort((a, b) => a - b));
  });

  it("is seeded, and holds out round(fraction · n) random rows for multi-label sets", () => {
    for (let seed = 0; seed < 20; seed++) {
      const random = createRandom(seed, "case");
      const n = 2 + random.int(60);
      const y: Matrix = { data: new Float32Array(n * 2), n, c: 2 };
      const a = validationSplit({ task: "multilabel", y }, 0.25, createRandom(seed));
      const b = validationSplit({ task: "multilabel", y }, 0.25, createRandom(seed));
      expect(a).toEqual(b);
      expect(a.validation.length).toBe(Math.min(n - 1, Math.round(0.25 * n)));
      expect(new Set([...a.train, ...a.validation]).size).toBe(n);
    }
  });
});

describe("optimizers", () => {
  it("sgd and rmsprop train the MLP too", async () => {
    const x = takeRows(ds.pool.x, first(500));
    const y = ds.pool.y.slice(0, 500);
    for (const [optimizer, learningRate] of [["sgd", 0.1], ["rmsprop", 0.001]] as const) {
      const learner = mlp.create(mlp.parseOptions({ hidden: [32], optimizer, learningRate }, "o"), { inputSize: 784, classes: 10 });
      learner.reset(1);
      await learner.fit(x, y, { epochs: 3, random: createRandom(1, "fit") });
      const acc = accuracy(argmaxRows(await learner.predictProba(ds.test.x)), ds.test.y);
      learner.dispose();
      // Ten classes: chance is 0.1.
      expect(acc, optimizer).toBeGreaterThan(0.6);
    }
  });
});
