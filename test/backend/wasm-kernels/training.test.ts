/**
 * End to end: every model type our learners use trains on wasm with our kernels (stock wasm
 * throws "Kernel 'Conv2DBackpropFilter' / 'UnsortedSegmentSum' not registered" for all but the
 * MLP), its gradients match the cpu backend's from identical weights, training is bit-identical
 * for a seed, and MC-dropout passes run.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { createRandom } from "../../../lib/al/random.ts";
import { prepareBackends, worstRatio } from "./backends.ts";
import { buildNet, makeBatch, trainStep, type Net, type NetSpec } from "./models.ts";

beforeAll(async () => {
  await prepareBackends();
  await tf.setBackend("wasm");
});

const specs: Array<[string, NetSpec]> = [
  ["MLP, sigmoid head + binary cross-entropy", { kind: "mlp", inputs: 20, hidden: [16], classes: 3, head: "sigmoid" }],
  ["image CNN (same/stride 1, valid/stride 2, max pooling)", { kind: "cnn", size: 12, filters: [4, 6], dense: 8, classes: 3 }],
  ["1D-CNN for text (kernel sizes 2, 3, 4)", { kind: "cnn1d", vocab: 200, length: 20, embed: 8, kernels: [2, 3, 4], filters: 4, classes: 3 }],
  ["BiLSTM, 1 layer", { kind: "bilstm", vocab: 200, length: 12, embed: 8, units: 6, layers: 1, classes: 3 }],
  ["BiLSTM, 2 layers", { kind: "bilstm", vocab: 200, length: 12, embed: 8, units: 6, layers: 2, classes: 3 }],
  ["transformer encoder block", { kind: "transformer", vocab: 200, length: 12, model: 8, heads: 2, ff: 16, classes: 3 }],
];

const evalLoss = (net: Net, x: tf.Tensor, y: tf.Tensor): number => tf.tidy(() => net.loss(y, net.apply(x, false)).dataSync()[0]!);

/** Trains `steps` Adam steps on wasm from `seed`; returns every weight's bytes. */
function trainedWeights(spec: NetSpec, seed: number, steps: number): Float32Array[] {
  const net = buildNet(spec, seed);
  const batch = makeBatch(spec, 8, seed);
  const optimizer = tf.train.adam(0.01);
  net.dropout.random = createRandom(seed, "dropout");
  for (let i = 0; i < steps; i++) trainStep(net, optimizer, batch);
  const weights = net.variables.map((v) => v.dataSync() as Float32Array);
  net.dispose();
  optimizer.dispose();
  tf.dispose([batch.x, batch.y]);
  return weights;
}

describe.each(specs)("%s on wasm", (_, spec) => {
  it("trains: the loss on a fixed batch falls by more than a quarter in 20 steps", () => {
    const net = buildNet(spec, 1);
    const batch = makeBatch(spec, 16, 1);
    const optimizer = tf.train.adam(0.01);
    net.dropout.random = createRandom(1, "dropout");
    const before = evalLoss(net, batch.x, batch.y);
    for (let i = 0; i < 20; i++) trainStep(net, optimizer, batch);
    const after = evalLoss(net, batch.x, batch.y);
    expect(Number.isFinite(before)).toBe(true);
    expect(after).toBeLessThan(0.75 * before);
    net.dispose();
    optimizer.dispose();
    tf.dispose([batch.x, batch.y]);
  });

  it("gives the cpu backend's gradients from the same weights, batch and dropout masks", async () => {
    // Tolerance per variable: max |g_wasm − g_cpu| ≤ 1e-4 · max |g_cpu| + 1e-7 (float32 sums in
    // another order, XNNPACK's fused multiply-adds; measured ≤ 3e-6 relative).
    const net = buildNet(spec, 2);
    const batch = makeBatch(spec, 8, 2);
    const gradients = async (backend: "wasm" | "cpu"): Promise<Float32Array[]> => {
      await tf.setBackend(backend); // the weights and batch move to this backend on first use
      net.dropout.random = createRandom(2, "dropout");
      const { value, grads } = tf.variableGrads(() => net.loss(batch.y, net.apply(batch.x, true)), net.variables);
      const out = net.variables.map((v) => grads[v.name]!.dataSync() as Float32Array);
      tf.dispose([value, ...Object.values(grads)]);
      return out;
    };
    try {
      const wasm = await gradients("wasm");
      const cpu = await gradients("cpu");
      net.variables.forEach((v, i) => {
        const peak = Math.max(...Array.from(cpu[i]!, Math.abs));
        expect(worstRatio(wasm[i]!, cpu[i]!, () => 1e-4 * peak + 1e-7), `${v.name} [${v.shape.join(", ")}]`).toBeLessThanOrEqual(1);
      });
      // Every variable gets a gradient (the embedding and conv filters included).
      expect(wasm.every((g) => g.some((x) => x !== 0))).toBe(true);
    } finally {
      await tf.setBackend("wasm");
      net.dispose();
      tf.dispose([batch.x, batch.y]);
    }
  });

  it("is bit-identical for a seed, differs for another, and runs MC-dropout passes", () => {
    const a = trainedWeights(spec, 3, 4);
    const b = trainedWeights(spec, 3, 4);
    const c = trainedWeights(spec, 4, 4);
    const bytes = (ws: Float32Array[]) => ws.map((w) => Buffer.from(w.buffer, w.byteOffset, w.byteLength).toString("base64"));
    expect(bytes(b)).toEqual(bytes(a));
    expect(bytes(c)).not.toEqual(bytes(a));

    const net = buildNet(spec, 5);
    const batch = makeBatch(spec, 8, 5);
    net.dropout.random = createRandom(5, "mc");
    const pass = (training: boolean) => tf.tidy(() => net.apply(batch.x, training).dataSync() as Float32Array);
    const [p1, p2] = [pass(true), pass(true)];
    expect(p1.every(Number.isFinite)).toBe(true);
    expect(Array.from(p1)).not.toEqual(Array.from(p2)); // fresh masks per pass
    expect(Array.from(pass(false))).toEqual(Array.from(pass(false)));
    net.dispose();
    tf.dispose([batch.x, batch.y]);
  });
});
