/**
 * The learner contract, for every registered learner: seeded determinism, probability rows,
 * multi-label heads, MC samples (shape, variation across passes, reproducible per seed),
 * embeddings, tensors released (numTensors stable over retrain/keep-train rounds and back to
 * the start after dispose), on the cpu and wasm backends for the tfjs learners.
 */
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import type { Matrix } from "../../lib/al/matrix.ts";
import { createRandom } from "../../lib/al/random.ts";
import { selectBackend, type BackendChoice } from "../../lib/backend/select.ts";
import { learnerRegistry } from "../../lib/learners/index.ts";
import type { Learner, LearnerShape, Targets } from "../../lib/learners/learner.ts";

interface Case {
  name: string;
  options: object;
  shape: LearnerShape;
  /** Embedding width expected from the options. */
  embedWidth: number;
  tfjs: boolean;
  /** Same options with a new seed give different probabilities. */
  seeded: boolean;
}

const image: LearnerShape = { inputSize: 64, inputShape: [8, 8], classes: 3 };
const text: LearnerShape = { inputSize: 10, classes: 3, vocabSize: 30 };
const tabular: LearnerShape = { inputSize: 6, classes: 3 };

const cases: Case[] = [
  { name: "mlp", options: { hidden: [12, 8] }, shape: image, embedWidth: 8, tfjs: true, seeded: true },
  { name: "cnn", options: { filters: [3, 4], hidden: [6] }, shape: image, embedWidth: 6, tfjs: true, seeded: true },
  // No hidden layers: the embedding is the concatenated max-pooled branches, 2 × 5 filters.
  { name: "cnn1d", options: { embeddingSize: 6, kernelSizes: [2, 3], filters: 5 }, shape: text, embedWidth: 10, tfjs: true, seeded: true },
  // Two directions × 4 units.
  { name: "bilstm", options: { embeddingSize: 6, units: 4, layers: 2 }, shape: text, embedWidth: 8, tfjs: true, seeded: true },
  { name: "transformer", options: { embeddingSize: 8, heads: 2, layers: 2, feedForward: 8 }, shape: text, embedWidth: 8, tfjs: true, seeded: true },
  { name: "random-forest", options: { trees: 7 }, shape: tabular, embedWidth: 6, tfjs: false, seeded: true },
  { name: "logistic", options: {}, shape: tabular, embedWidth: 6, tfjs: false, seeded: false },
  { name: "knn", options: { k: 3, weights: "distance" }, shape: tabular, embedWidth: 6, tfjs: false, seeded: false },
];

/** Rows whose class depends on the features, so every learner has something to fit. */
function data(shape: LearnerShape, n: number, seed: number): { x: Matrix; y: Int32Array; labels: Matrix } {
  const random = createRandom(seed, "data");
  const x = new Float32Array(n * shape.inputSize);
  const y = new Int32Array(n);
  const labels = new Float32Array(n * shape.classes);
  for (let i = 0; i < n; i++) {
    const k = i % shape.classes;
    y[i] = k;
    for (let f = 0; f < shape.inputSize; f++) {
      const o = i * shape.inputSize + f;
      if (shape.vocabSize) {
        // Tokens 1..29, class-dependent range, padded after a random length ≥ 3.
        const length = 3 + ((i * 7) % (shape.inputSize - 3));
        x[o] = f < length ? 1 + k * 9 + random.int(9) : 0;
      } else x[o] = random.next() + (f % shape.classes === k ? 1 : 0);
    }
    labels[i * shape.classes + k] = 1;
    if (i % 2 === 0) labels[i * shape.classes + ((k + 1) % shape.classes)] = 1;
  }
  return { x: { data: x, n, c: shape.inputSize }, y, labels: { data: labels, n, c: shape.classes } };
}

function make(c: Case, shape: LearnerShape = c.shape): Learner {
  const factory = learnerRegistry[c.name]!;
  return factory.create(factory.parseOptions(c.options, "learner.options"), shape);
}

async function fitted(c: Case, seed: number, shape: LearnerShape = c.shape, targets?: (d: ReturnType<typeof data>) => Targets): Promise<{ learner: Learner; x: Matrix }> {
  const d = data(shape, 36, 1);
  const learner = make(c, shape);
  learner.reset(seed);
  await learner.fit(d.x, targets ? targets(d) : d.y, { epochs: 2, random: createRandom(seed, "fit") });
  return { learner, x: d.x };
}

const same = (a: Float32Array, b: Float32Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function contract(c: Case): void {
  it("gives identical probabilities for a seed (and different ones for another, where seeded)", async () => {
    const run = async (seed: number) => {
      const { learner, x } = await fitted(c, seed);
      const p = await learner.predictProba(x);
      learner.dispose();
      return p;
    };
    const a = await run(3);
    const b = await run(3);
    const other = await run(4);
    expect(same(a.data, b.data)).toBe(true);
    expect(same(a.data, other.data)).toBe(!c.seeded);
    expect([a.n, a.c]).toEqual([36, 3]);
    for (let i = 0; i < a.n; i++) {
      const row = a.data.subarray(i * 3, i * 3 + 3);
      expect(row.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    }
  });

  it("has a multi-label head: per-label probabilities from an N×L label matrix", async () => {
    const shape: LearnerShape = { ...c.shape, task: "multilabel" };
    const { learner, x } = await fitted(c, 1, shape, (d) => d.labels);
    const p = await learner.predictProba(x);
    expect([p.n, p.c]).toEqual([36, 3]);
    expect(p.data.every((v) => v >= 0 && v <= 1)).toBe(true);
    // Independent sigmoids (or label rates) need not sum to 1; with two labels on half the rows they do not.
    const sums = Array.from({ length: p.n }, (_, i) => p.data[i * 3]! + p.data[i * 3 + 1]! + p.data[i * 3 + 2]!);
    expect(sums.some((s) => Math.abs(s - 1) > 0.05)).toBe(true);
    await expect(learner.fit(x, new Int32Array(36), { epochs: 1, random: createRandom(1) })).rejects.toThrow(`${c.name}: a multi-label learner needs an N×3 0/1 label matrix`);
    learner.dispose();
  });

  it("embeds rows into its penultimate layer (classical: the input features)", async () => {
    const { learner, x } = await fitted(c, 1);
    const e = await learner.embed!(x);
    expect([e.n, e.c]).toEqual([36, c.embedWidth]);
    if (!c.tfjs) expect(e.data).toEqual(x.data);
    learner.dispose();
  });

  it("rejects misshapen inputs and calls before reset with one line naming the learner", async () => {
    const d = data(c.shape, 6, 1);
    const learner = make(c);
    await expect(learner.fit(d.x, d.y, { epochs: 1, random: createRandom(1) })).rejects.toThrow(`${c.name}: fit() before reset(seed)`);
    learner.reset(1);
    const wide = { data: new Float32Array(6 * (c.shape.inputSize + 1)), n: 6, c: c.shape.inputSize + 1 };
    await expect(learner.fit(wide, d.y, { epochs: 1, random: createRandom(1) })).rejects.toThrow(`${c.name}: expected ${c.shape.inputSize} features per row, got ${c.shape.inputSize + 1}`);
    await expect(learner.fit(d.x, Int32Array.of(0, 1, 2, 3, 0, 1), { epochs: 1, random: createRandom(1) })).rejects.toThrow(`${c.name}: label 3 at row 3 is outside 0..2`);
    await expect(learner.fit(d.x, d.y.slice(1), { epochs: 1, random: createRandom(1) })).rejects.toThrow(`${c.name}: 5 labels for 6 rows`);
    learner.dispose();
  });

  if (c.name === "logistic" || c.name === "knn") {
    it("has no MC samples (deterministic, no ensemble)", () => {
      expect(make(c).predictSamples).toBeUndefined();
    });
  } else {
    it("gives N×T×C samples that vary across passes and repeat for a seed", async () => {
      const { learner, x } = await fitted(c, 1);
      const draw = (seed: number) => learner.predictSamples!(x, { samples: 5, random: createRandom(seed, "mc") });
      const a = await draw(1);
      const b = await draw(1);
      const other = await draw(2);
      expect([a.n, a.t, a.c]).toEqual([36, 5, 3]);
      expect(same(a.data, b.data)).toBe(true);
      // MC dropout depends on the stream; the forest's samples are its trees and do not.
      expect(same(a.data, other.data)).toBe(c.name === "random-forest");
      let differs = 0;
      for (let i = 0; i < a.n; i++) {
        const first = a.data.subarray(i * 15, i * 15 + 3);
        for (let t = 1; t < 5; t++) if (!same(first, a.data.subarray(i * 15 + t * 3, i * 15 + t * 3 + 3))) differs++;
      }
      expect(differs).toBeGreaterThan(0);
      learner.dispose();
    });
  }
}

function tensorsStable(c: Case): void {
  it("keeps tf.memory().numTensors stable over rounds and frees everything on dispose", async () => {
    const start = tf.memory().numTensors;
    const d = data(c.shape, 24, 2);
    const learner = make(c);
    learner.reset(1);
    await learner.fit(d.x, d.y, { epochs: 1, random: createRandom(1, "a") });
    await learner.predictProba(d.x);
    const baseline = tf.memory().numTensors;
    for (let round = 0; round < 3; round++) {
      if (round % 2 === 0) learner.reset(round); // retrain; odd rounds keep training
      await learner.fit(d.x, d.y, { epochs: 1, random: createRandom(1, "r", round) });
      await learner.predictProba(d.x);
      await learner.predictSamples?.(d.x, { samples: 2, random: createRandom(round) });
      await learner.embed?.(d.x);
      await learner.setState?.(await learner.getState!());
      expect(tf.memory().numTensors).toBe(baseline);
    }
    learner.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
}

for (const backend of ["wasm", "cpu"] as BackendChoice[]) {
  describe(`tfjs learners on ${backend}`, () => {
    for (const c of cases.filter((c) => c.tfjs)) {
      describe(c.name, () => {
        it(`runs on ${backend}`, async () => {
          await selectBackend({ force: backend, warn: () => {} });
          expect(tf.getBackend()).toBe(backend);
        });
        contract(c);
        tensorsStable(c);
      });
    }
  });
}

describe("classical learners", () => {
  for (const c of cases.filter((c) => !c.tfjs)) describe(c.name, () => contract(c));

  it("every registered learner is covered here", () => {
    expect(Object.keys(learnerRegistry).sort()).toEqual(cases.map((c) => c.name).sort());
  });
});
