import "@tensorflow/tfjs-backend-wasm";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { createRandom } from "../../lib/al/random.ts";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { adamUpdate, adamUpdateName, simdUpdate } from "../../lib/backend/wasm-kernels/adam-update.ts";
import { fusedAdam } from "../../lib/learners/tf/fused-adam.ts";
import { loadTfState, saveTfState } from "../../lib/learners/tf-state.ts";
import { prepareBackends } from "../backend/wasm-kernels/backends.ts";
import { buildNet, makeBatch, trainStep, type NetSpec } from "../backend/wasm-kernels/models.ts";

beforeAll(prepareBackends);

/** Each float's bit pattern: equal arrays of these are equal bit for bit (−0, NaN included). */
const bits = (t: tf.Tensor): number[] => Array.from(new Uint32Array(Float32Array.from(t.dataSync() as Float32Array).buffer));

interface Trained {
  weights: number[][];
  /** The step counter, then each slot's bits (names differ: each net has new layer names). */
  slots: number[][];
  losses: number[];
}

/** Trains `spec` from seed 7 for `steps` steps with `optimizer`; returns weights, slots and losses. */
async function train(spec: NetSpec, optimizer: tf.Optimizer, steps: number): Promise<Trained> {
  const net = buildNet(spec, 7);
  const batch = makeBatch(spec, 24, 3);
  net.dropout.random = createRandom(11, "dropout");
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) losses.push(trainStep(net, optimizer, batch));
  const named = await optimizer.getWeights();
  const slots = named.map(({ tensor }) => (tensor.dtype === "float32" ? bits(tensor) : Array.from(tensor.dataSync())));
  const weights = net.variables.map(bits);
  for (const { tensor } of named) if (!(tensor instanceof tf.Variable)) tensor.dispose();
  net.dispose();
  tf.dispose([batch.x, batch.y]);
  optimizer.dispose();
  return { weights, slots, losses };
}

const mlpSpec: NetSpec = { kind: "mlp", inputs: 20, hidden: [16, 8], classes: 5, head: "softmax" };
const cnnSpec: NetSpec = { kind: "cnn", size: 12, filters: [4, 6], dense: 10, classes: 3 };

describe("fusedAdam on wasm", () => {
  it("runs one AlAdamUpdate per variable instead of the elementwise ops", async () => {
    await tf.setBackend("wasm");
    const net = buildNet(mlpSpec, 7);
    const batch = makeBatch(mlpSpec, 24, 3);
    net.dropout.random = createRandom(11, "dropout");
    const optimizer = fusedAdam(0.01);
    const profile = await tf.profile(() => void trainStep(net, optimizer, batch));
    const names = profile.kernels.map((k) => k.name);
    expect(names.filter((n) => n === adamUpdateName)).toHaveLength(net.variables.length);
    // Only the backward pass's element-wise ops are left: the stock optimizer adds a Sqrt per variable.
    expect(names.filter((n) => n === "Sqrt")).toHaveLength(0);
    optimizer.dispose();
    net.dispose();
    tf.dispose([batch.x, batch.y]);
  });

  it("moves every weight by about the learning rate on the first step (m̂ = g, v̂ = g²)", async () => {
    await tf.setBackend("wasm");
    const x = tf.variable(tf.tensor1d([0.5, -1, 2]), true, "fused-adam-first");
    const optimizer = fusedAdam(0.01);
    // The gradient of Σ cᵢxᵢ is c: steps of −0.01·sign(c)·|c|/(|c| + 1e-7).
    const c = tf.tensor1d([3, -0.25, 1e-3]);
    optimizer.minimize(() => tf.sum(tf.mul(c, x)) as tf.Scalar, false, [x]);
    const moved = x.dataSync();
    expect(moved[0]).toBeCloseTo(0.49, 6);
    expect(moved[1]).toBeCloseTo(-0.99, 6);
    expect(moved[2]).toBeCloseTo(2 - 0.01 * (1e-3 / (1e-3 + 1e-7)), 6);
    optimizer.dispose();
    tf.dispose([x, c]);
  });

  it("takes the SIMD path here, and it gives the scalar loop's bits, tail included", async () => {
    await tf.setBackend("wasm");
    expect(simdUpdate(tf.backend() as BackendWasm)).not.toBeNull();
    // 4·250 + 3 elements: the 4-wide loop and the scalar tail. Moments from earlier steps
    // (v ≥ 0), values and gradients over several magnitudes, zeros and a tiny βᵗ gap.
    const n = 1003;
    const random = createRandom(9, "adam-simd");
    const wide = () => Float32Array.from({ length: n }, (_, i) => (i % 17 === 0 ? 0 : random.normal() * 10 ** (random.int(9) - 5)));
    const x = wide(), m = wide(), g = wide();
    const v = Float32Array.from(wide(), Math.abs);
    const attrs = { learningRate: 3e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    // The running powers as the float32 variables hold them.
    for (const [acc1, acc2] of [[0.9, 0.999], [0.9 ** 40, 0.999 ** 40]].map((p) => p.map(Math.fround)) as Array<[number, number]>) {
      const [accBeta1, accBeta2] = [tf.scalar(acc1), tf.scalar(acc2)];
      const ins = [x, m, v, g].map((a) => tf.tensor1d(a));
      const outs = tf.engine().runKernel(adamUpdateName, { x: ins[0]!, m: ins[1]!, v: ins[2]!, g: ins[3]!, accBeta1, accBeta2 }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      const expected = { outX: new Float32Array(n), outM: new Float32Array(n), outV: new Float32Array(n) };
      adamUpdate({ x, m, v, g, ...expected }, attrs, acc1, acc2);
      expect(outs.map(bits)).toEqual([expected.outX, expected.outM, expected.outV].map((a) => Array.from(new Uint32Array(a.buffer))));
      tf.dispose([...ins, ...outs, accBeta1, accBeta2]);
    }
  });

  for (const [label, spec] of [
    ["MLP", mlpSpec],
    ["CNN (4-d filters)", cnnSpec],
  ] as const) {
    it(`trains the ${label} to the same bits as tf.train.adam`, async () => {
      await tf.setBackend("wasm");
      const stock = await train(spec, tf.train.adam(0.02), 12);
      const fused = await train(spec, fusedAdam(0.02), 12);
      expect(fused.losses).toEqual(stock.losses);
      expect(fused.weights).toEqual(stock.weights);
      expect(fused.slots).toEqual(stock.slots);
      // The run did move: a no-op on both sides would compare equal too.
      const first = await train(spec, tf.train.adam(0.02), 1);
      expect(first.weights).not.toEqual(stock.weights);
    });
  }

  it("resumes from a checkpoint (tf-state) to the same bits as an uninterrupted run", async () => {
    await tf.setBackend("wasm");
    const build = () => {
      const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [6], units: 5, activation: "relu" }), tf.layers.dense({ units: 3 })] });
      // Fixed weights: initializer draws would differ between the two models.
      model.setWeights(model.getWeights().map((w, i) => tf.tidy(() => tf.sin(tf.add(tf.range(0, w.size).reshape(w.shape), i)))));
      return model;
    };
    const random = createRandom(5, "resume");
    const xs = tf.tensor2d(Float32Array.from({ length: 40 * 6 }, () => random.normal()), [40, 6]);
    const ys = tf.oneHot(tf.tensor1d(Int32Array.from({ length: 40 }, () => random.int(3)), "int32"), 3);
    const step = (model: tf.LayersModel, optimizer: tf.Optimizer) =>
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor) as tf.Scalar, false);

    const whole = build();
    const wholeOptimizer = fusedAdam(0.05);
    for (let s = 0; s < 8; s++) step(whole, wholeOptimizer);

    const first = build();
    const firstOptimizer = fusedAdam(0.05);
    for (let s = 0; s < 3; s++) step(first, firstOptimizer);
    const state = await saveTfState("test", first, firstOptimizer);
    const resumed = build();
    const resumedOptimizer = fusedAdam(0.05);
    await loadTfState(state, "test", resumed, resumedOptimizer);
    for (let s = 3; s < 8; s++) step(resumed, resumedOptimizer);

    expect(resumed.getWeights().map(bits)).toEqual(whole.getWeights().map(bits));
    for (const o of [wholeOptimizer, firstOptimizer, resumedOptimizer]) o.dispose();
    for (const m of [whole, first, resumed]) m.dispose();
    tf.dispose([xs, ys]);
  });
});

describe("fusedAdam without the kernel (cpu)", () => {
  it("is the stock optimizer", async () => {
    await tf.setBackend("cpu");
    expect(tf.getKernel(adamUpdateName, "cpu")).toBeUndefined();
    const stock = await train(mlpSpec, tf.train.adam(0.02), 5);
    const fused = await train(mlpSpec, fusedAdam(0.02), 5);
    expect(fused.weights).toEqual(stock.weights);
    expect(fused.slots).toEqual(stock.slots);
  });
});
