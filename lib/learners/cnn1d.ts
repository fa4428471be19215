/**
 * 1D-CNN for text (Kim-style): token embedding → one conv1d per kernel size in parallel →
 * global max pool each → concatenate → seeded dropout → optional dense layers → head.
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { parseWith } from "../experiments/errors.ts";
import type { LearnerFactory } from "./learner.ts";
import { denseStack, dropoutLayer } from "./tf/dense-stack.ts";
import { embeddingInit, glorot } from "./tf/seeded.ts";
import { checkTokenIds, requireVocabSize } from "./tf/token-input.ts";
import { createTfLearner } from "./tf/train.ts";
import { trainingFields } from "./tf/training-options.ts";

export const cnn1dOptionsSchema = z.strictObject({
  embeddingSize: z.int().min(1).default(64),
  /** One parallel conv branch per size (in tokens). */
  kernelSizes: z.array(z.int().min(1)).min(1).default([3, 4, 5]),
  /** Filters per branch. */
  filters: z.int().min(1).default(64),
  hidden: z.array(z.int().min(1)).default([]),
  dropout: z.number().min(0).lt(1).default(0.5),
  ...trainingFields,
});
export type Cnn1dOptions = z.output<typeof cnn1dOptionsSchema>;

export const cnn1d: LearnerFactory<Cnn1dOptions> = {
  name: "cnn1d",
  description: "text 1D-CNN: embedding, parallel conv1d branches of several widths, global max pool",
  parseOptions: (options, path) => parseWith(cnn1dOptionsSchema, options ?? {}, path),
  create: (options, shape) => {
    const vocab = requireVocabSize("cnn1d", shape);
    const longest = Math.max(...options.kernelSizes);
    if (longest > shape.inputSize) {
      throw new RangeError(`cnn1d: kernel size ${longest} is longer than the ${shape.inputSize}-token sequences; lower kernelSizes or pad to a longer length`);
    }
    return createTfLearner({
      name: "cnn1d",
      shape,
      training: options,
      stochastic: options.dropout > 0,
      predictBatch: 1024,
      checkInput: (x) => checkTokenIds("cnn1d", x, vocab),
      build: (context) => {
        const inputs = tf.input({ shape: [shape.inputSize] });
        const embedded = tf.layers
          .embedding({ inputDim: vocab, outputDim: options.embeddingSize, embeddingsInitializer: embeddingInit(context.init) })
          .apply(inputs) as tf.SymbolicTensor;
        const branches = options.kernelSizes.map((kernelSize) => {
          const conv = tf.layers
            .conv1d({ filters: options.filters, kernelSize, activation: "relu", kernelInitializer: glorot(context.init) })
            .apply(embedded) as tf.SymbolicTensor;
          return tf.layers.globalMaxPooling1d({}).apply(conv) as tf.SymbolicTensor;
        });
        let h = branches.length > 1 ? (tf.layers.concatenate().apply(branches) as tf.SymbolicTensor) : branches[0]!;
        // The pooled branches, then each dense layer: the intermediate features.
        const taps = [h];
        h = dropoutLayer(h, options.dropout, context.dropout);
        return { inputs, features: denseStack(h, options.hidden, options.dropout, context, taps), taps };
      },
    });
  },
};
