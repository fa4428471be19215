/**
 * The model types our learners train, built directly from tf.layers / tf ops (the learner
 * classes live elsewhere) so the backend tests and bench/training.bench.ts exercise the same
 * kernels: an MLP (softmax or sigmoid + binary cross-entropy head), a small image CNN, a 1D-CNN
 * for text, a (stacked) BiLSTM and a small transformer encoder block. Every random number —
 * weights, data, dropout masks — comes from createRandom, so a net is reproducible from its seed.
 */
import * as tf from "@tensorflow/tfjs";
import { createRandom, type Random } from "../../../lib/al/random.ts";
import { SeededDropout } from "../../../lib/learners/seeded-dropout.ts";

export type NetSpec =
  | { kind: "mlp"; inputs: number; hidden: number[]; classes: number; head: "softmax" | "sigmoid" }
  | { kind: "cnn"; size: number; filters: [number, number]; dense: number; classes: number }
  | { kind: "cnn1d"; vocab: number; length: number; embed: number; kernels: number[]; filters: number; classes: number }
  | { kind: "bilstm"; vocab: number; length: number; embed: number; units: number; layers: number; classes: number }
  | { kind: "transformer"; vocab: number; length: number; model: number; heads: number; ff: number; classes: number };

export interface Net {
  spec: NetSpec;
  /** Logits (softmax head) or probabilities (sigmoid head); `training` turns dropout on. */
  apply(x: tf.Tensor, training: boolean): tf.Tensor;
  loss(y: tf.Tensor, out: tf.Tensor): tf.Scalar;
  variables: tf.Variable[];
  /** Where dropout layers draw their mask seeds; set before training or MC passes. */
  dropout: { random?: Random };
  dispose(): void;
}

export interface Batch {
  x: tf.Tensor;
  y: tf.Tensor;
}

const DROPOUT = 0.25;
const softmaxLoss = (y: tf.Tensor, logits: tf.Tensor): tf.Scalar => tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
const binaryCrossEntropy = (y: tf.Tensor, p: tf.Tensor): tf.Scalar => tf.metrics.binaryCrossentropy(y, p).mean() as tf.Scalar;

/** Overwrites every matrix/filter with seeded Glorot-uniform values (biases keep their constant defaults). */
function seedWeights(variables: tf.Variable[], seed: number): void {
  variables.forEach((v, i) => {
    if (v.rank < 2) return;
    const random = createRandom(seed, "weights", i);
    const fanOut = v.shape[v.rank - 1]!;
    const fanIn = v.size / fanOut;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const values = Float32Array.from({ length: v.size }, () => (2 * random.next() - 1) * limit);
    tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
  });
}

function layersNet(spec: NetSpec, model: tf.LayersModel, dropout: { random?: Random }, seed: number): Net {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  seedWeights(variables, seed);
  const sigmoid = spec.kind === "mlp" && spec.head === "sigmoid";
  return {
    spec,
    apply: (x, training) => model.apply(x, { training }) as tf.Tensor,
    loss: sigmoid ? binaryCrossEntropy : softmaxLoss,
    variables,
    dropout,
    dispose: () => model.dispose(),
  };
}

let netCount = 0; // tfjs variable names must be unique per process

/** A transformer encoder block as plain ops: token + position embeddings, multi-head self-attention, layer norm via moments, feed-forward. */
function transformerNet(spec: Extract<NetSpec, { kind: "transformer" }>, seed: number): Net {
  const { vocab, length, model: d, heads, ff, classes } = spec;
  const dropout: { random?: Random } = {};
  const v = (name: string, shape: number[], fill?: number): tf.Variable =>
    tf.variable(fill === undefined ? tf.zeros(shape) : tf.fill(shape, fill), true, `transformer${++netCount}/${name}`);
  const p = {
    tokens: v("tokens", [vocab, d]), positions: v("positions", [length, d]),
    q: v("q", [d, d]), k: v("k", [d, d]), v: v("v", [d, d]), o: v("o", [d, d]),
    g1: v("g1", [d], 1), b1: v("b1", [d], 0), f1: v("f1", [d, ff]), c1: v("c1", [ff], 0), f2: v("f2", [ff, d]), c2: v("c2", [d], 0),
    g2: v("g2", [d], 1), b2: v("b2", [d], 0), out: v("out", [d, classes]), c3: v("c3", [classes], 0),
  };
  const variables = Object.values(p);
  seedWeights(variables, seed);
  const norm = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => {
    const { mean, variance } = tf.moments(x, -1, true);
    return x.sub(mean).div(variance.add(1e-5).sqrt()).mul(g).add(b);
  };
  const drop = (x: tf.Tensor, training: boolean): tf.Tensor => {
    if (!training) return x;
    if (!dropout.random) throw new Error("transformer: training pass without a seeded dropout source");
    return tf.dropout(x, DROPOUT, undefined, dropout.random.uint32());
  };
  const apply = (ids: tf.Tensor, training: boolean): tf.Tensor => {
    const n = ids.shape[0]!;
    const dh = d / heads;
    const x = tf.gather(p.tokens, ids).add(p.positions); // [n, L, d]
    const flat = x.reshape([n * length, d]);
    const split = (w: tf.Tensor): tf.Tensor => flat.matMul(w).reshape([n, length, heads, dh]).transpose([0, 2, 1, 3]);
    const attention = tf.softmax(tf.matMul(split(p.q), split(p.k), false, true).div(Math.sqrt(dh)));
    const context = tf.matMul(attention, split(p.v)).transpose([0, 2, 1, 3]).reshape([n * length, d]).matMul(p.o);
    const h = norm(flat.add(drop(context, training)), p.g1, p.b1);
    const f = tf.relu(h.matMul(p.f1).add(p.c1)).matMul(p.f2).add(p.c2);
    const y = norm(h.add(drop(f, training)), p.g2, p.b2).reshape([n, length, d]);
    return y.mean(1).matMul(p.out).add(p.c3);
  };
  return { spec, apply, loss: softmaxLoss, variables, dropout, dispose: () => tf.dispose(variables) };
}

/** Builds a net of `spec` with weights from `seed`, on the active backend. */
export function buildNet(spec: NetSpec, seed: number): Net {
  if (spec.kind === "transformer") return transformerNet(spec, seed);
  const dropout: { random?: Random } = {};
  const drop = (): tf.layers.Layer => new SeededDropout({ rate: DROPOUT, source: dropout });
  if (spec.kind === "mlp") {
    const m = tf.sequential();
    spec.hidden.forEach((units, i) => {
      m.add(tf.layers.dense({ units, activation: "relu", ...(i === 0 ? { inputShape: [spec.inputs] } : {}) }));
      m.add(drop());
    });
    m.add(tf.layers.dense({ units: spec.classes, activation: spec.head === "sigmoid" ? "sigmoid" : "linear" }));
    return layersNet(spec, m, dropout, seed);
  }
  if (spec.kind === "cnn") {
    // 'same' + stride 1, then 'valid' + stride 2: both padding modes and strides in one net.
    const m = tf.sequential();
    m.add(tf.layers.conv2d({ inputShape: [spec.size, spec.size, 1], filters: spec.filters[0], kernelSize: 3, padding: "same", activation: "relu" }));
    m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    m.add(tf.layers.conv2d({ filters: spec.filters[1], kernelSize: 3, strides: 2, padding: "valid", activation: "relu" }));
    m.add(tf.layers.flatten());
    m.add(tf.layers.dense({ units: spec.dense, activation: "relu" }));
    m.add(drop());
    m.add(tf.layers.dense({ units: spec.classes }));
    return layersNet(spec, m, dropout, seed);
  }
  const input = tf.input({ shape: [spec.length], dtype: "int32" });
  if (spec.kind === "cnn1d") {
    const embedded = tf.layers.embedding({ inputDim: spec.vocab, outputDim: spec.embed }).apply(input) as tf.SymbolicTensor;
    const pooled = spec.kernels.map(
      (k) => tf.layers.globalMaxPooling1d().apply(tf.layers.conv1d({ filters: spec.filters, kernelSize: k, activation: "relu" }).apply(embedded)) as tf.SymbolicTensor,
    );
    const joined = pooled.length > 1 ? (tf.layers.concatenate().apply(pooled) as tf.SymbolicTensor) : pooled[0]!;
    const out = tf.layers.dense({ units: spec.classes }).apply(drop().apply(joined)) as tf.SymbolicTensor;
    return layersNet(spec, tf.model({ inputs: input, outputs: out }), dropout, seed);
  }
  let h = tf.layers.embedding({ inputDim: spec.vocab, outputDim: spec.embed }).apply(input) as tf.SymbolicTensor;
  for (let i = 0; i < spec.layers; i++) {
    const lstm = tf.layers.lstm({ units: spec.units, returnSequences: i < spec.layers - 1 });
    h = tf.layers.bidirectional({ layer: lstm, mergeMode: "concat" }).apply(h) as tf.SymbolicTensor;
  }
  const out = tf.layers.dense({ units: spec.classes }).apply(drop().apply(h)) as tf.SymbolicTensor;
  return layersNet(spec, tf.model({ inputs: input, outputs: out }), dropout, seed);
}

/** A seeded batch with a learnable target for `spec`, on the active backend. */
export function makeBatch(spec: NetSpec, n: number, seed: number): Batch {
  const random = createRandom(seed, "batch", spec.kind);
  const labels = new Int32Array(n);
  if (spec.kind === "mlp") {
    // Label j is on when feature j is positive (multi-label); the softmax head takes the first positive.
    const x = Float32Array.from({ length: n * spec.inputs }, () => random.normal());
    const y = new Float32Array(n * spec.classes);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < spec.classes; j++) y[i * spec.classes + j] = x[i * spec.inputs + (j % spec.inputs)]! > 0 ? 1 : 0;
      labels[i] = Math.max(0, y.subarray(i * spec.classes, (i + 1) * spec.classes).indexOf(1));
    }
    return { x: tf.tensor2d(x, [n, spec.inputs]), y: spec.head === "sigmoid" ? tf.tensor2d(y, [n, spec.classes]) : oneHot(labels, spec.classes) };
  }
  if (spec.kind === "cnn") {
    // The class is the brightest of `classes` horizontal bands.
    const s = spec.size;
    const x = new Float32Array(n * s * s);
    for (let i = 0; i < n; i++) {
      labels[i] = random.int(spec.classes);
      for (let r = 0; r < s; r++) {
        const bright = Math.floor((r * spec.classes) / s) === labels[i] ? 1 : 0;
        for (let c = 0; c < s; c++) x[(i * s + r) * s + c] = bright + 0.5 * random.normal();
      }
    }
    return { x: tf.tensor4d(x, [n, s, s, 1]), y: oneHot(labels, spec.classes) };
  }
  // Text: random tokens; the class is the first token modulo the class count.
  const ids = Int32Array.from({ length: n * spec.length }, () => random.int(spec.vocab));
  for (let i = 0; i < n; i++) labels[i] = ids[i * spec.length]! % spec.classes;
  return { x: tf.tensor2d(ids, [n, spec.length], "int32"), y: oneHot(labels, spec.classes) };
}

function oneHot(labels: Int32Array, classes: number): tf.Tensor2D {
  const y = new Float32Array(labels.length * classes);
  labels.forEach((c, i) => (y[i * classes + c] = 1));
  return tf.tensor2d(y, [labels.length, classes]);
}

/** One optimizer step on `batch`; returns the loss before the step. */
export function trainStep(net: Net, optimizer: tf.Optimizer, batch: Batch): number {
  const loss = optimizer.minimize(() => net.loss(batch.y, net.apply(batch.x, true)), true, net.variables)!;
  const value = loss.dataSync()[0]!;
  loss.dispose();
  return value;
}
