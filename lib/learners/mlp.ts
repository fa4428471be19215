/**
 * Multi-layer perceptron: dense ReLU layers with seeded dropout and a softmax head, trained with
 * Adam by our own loop (seeded shuffling; tfjs's fit() shuffles with Math.random).
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { Matrix } from "../al/matrix.ts";
import { createRandom, permutation, type Random } from "../al/random.ts";
import { parseWith } from "../experiments/errors.ts";
import type { Learner, LearnerFactory, LearnerShape } from "./learner.ts";
import { SeededDropout } from "./seeded-dropout.ts";
import { loadTfState, saveTfState } from "./tf-state.ts";

export const mlpOptionsSchema = z.strictObject({
  hidden: z.array(z.int().min(1)).default([128]),
  dropout: z.number().min(0).lt(1).default(0.2),
  learningRate: z.number().gt(0).default(1e-3),
  batchSize: z.int().min(1).default(32),
});
export type MlpOptions = z.output<typeof mlpOptionsSchema>;

const PREDICT_BATCH = 2048;

function rowsTensor(x: Matrix, indices: Int32Array, start: number, end: number): tf.Tensor2D {
  const out = new Float32Array((end - start) * x.c);
  for (let i = start; i < end; i++) {
    const r = indices[i]!;
    out.set(x.data.subarray(r * x.c, (r + 1) * x.c), (i - start) * x.c);
  }
  return tf.tensor2d(out, [end - start, x.c]);
}

function oneHot(y: Int32Array, indices: Int32Array, start: number, end: number, classes: number): tf.Tensor2D {
  const out = new Float32Array((end - start) * classes);
  for (let i = start; i < end; i++) out[(i - start) * classes + y[indices[i]!]!] = 1;
  return tf.tensor2d(out, [end - start, classes]);
}

function build(options: MlpOptions, shape: LearnerShape, seed: number, dropoutSource: { random?: Random }): tf.Sequential {
  const init = createRandom(seed, "mlp-init");
  const model = tf.sequential();
  options.hidden.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        units,
        activation: "relu",
        kernelInitializer: tf.initializers.glorotUniform({ seed: init.uint32() }),
        ...(i === 0 ? { inputShape: [shape.inputSize] } : {}),
      }),
    );
    if (options.dropout > 0) model.add(new SeededDropout({ rate: options.dropout, source: dropoutSource }));
  });
  model.add(
    tf.layers.dense({
      units: shape.classes,
      kernelInitializer: tf.initializers.glorotUniform({ seed: init.uint32() }),
      ...(options.hidden.length === 0 ? { inputShape: [shape.inputSize] } : {}),
    }),
  );
  return model;
}

function createMlp(options: MlpOptions, shape: LearnerShape): Learner {
  const dropoutSource: { random?: Random } = {};
  let model: tf.Sequential | undefined;
  let optimizer: tf.Optimizer | undefined;

  const release = (): void => {
    model?.dispose();
    optimizer?.dispose();
    model = undefined;
    optimizer = undefined;
  };

  return {
    reset(seed: number): void {
      release();
      model = build(options, shape, seed, dropoutSource);
      optimizer = tf.train.adam(options.learningRate);
    },

    async fit(x: Matrix, y: Int32Array, { epochs, random }): Promise<void> {
      if (!model || !optimizer) throw new Error("mlp: fit() before reset(seed)");
      if (x.c !== shape.inputSize) throw new Error(`mlp: expected ${shape.inputSize} features, got ${x.c}`);
      const net = model;
      const opt = optimizer;
      dropoutSource.random = random;
      for (let epoch = 0; epoch < epochs; epoch++) {
        const order = permutation(x.n, random);
        for (let start = 0; start < x.n; start += options.batchSize) {
          const end = Math.min(start + options.batchSize, x.n);
          const xs = rowsTensor(x, order, start, end);
          const ys = oneHot(y, order, start, end, shape.classes);
          const loss = opt.minimize(
            () => tf.losses.softmaxCrossEntropy(ys, net.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar,
            true,
          );
          loss?.dispose();
          xs.dispose();
          ys.dispose();
        }
      }
      dropoutSource.random = undefined;
    },

    async predictProba(x: Matrix): Promise<Matrix> {
      if (!model) throw new Error("mlp: predictProba() before reset(seed)");
      const net = model;
      const out = new Float32Array(x.n * shape.classes);
      const all = new Int32Array(x.n).map((_, i) => i);
      for (let start = 0; start < x.n; start += PREDICT_BATCH) {
        const end = Math.min(start + PREDICT_BATCH, x.n);
        const probs = tf.tidy(() => tf.softmax(net.apply(rowsTensor(x, all, start, end), { training: false }) as tf.Tensor));
        out.set(await probs.data() as Float32Array, start * shape.classes);
        probs.dispose();
      }
      return { data: out, n: x.n, c: shape.classes };
    },

    async getState() {
      if (!model || !optimizer) throw new Error("mlp: getState() before reset(seed)");
      return saveTfState("mlp", model, optimizer);
    },

    async setState(state) {
      if (!model || !optimizer) throw new Error("mlp: setState() before reset(seed)");
      // Adam creates its slots lazily on the first step; a fresh optimizer restores them all.
      await loadTfState(state, "mlp", model, optimizer);
    },

    dispose: release,
  };
}

export const mlp: LearnerFactory<MlpOptions> = {
  name: "mlp",
  description: "dense ReLU layers with dropout and a softmax head (Adam)",
  parseOptions: (options, path) => parseWith(mlpOptionsSchema, options ?? {}, path),
  create: createMlp,
};
