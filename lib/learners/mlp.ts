/**
 * Multi-layer perceptron: dense ReLU layers with seeded dropout and a softmax (or, multi-label,
 * sigmoid) head, trained by the shared tfjs core (lib/learners/tf/train.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { parseWith } from "../experiments/errors.ts";
import type { LearnerFactory } from "./learner.ts";
import { denseStack } from "./tf/dense-stack.ts";
import { createTfLearner } from "./tf/train.ts";
import { trainingFields } from "./tf/training-options.ts";

export const mlpOptionsSchema = z.strictObject({
  hidden: z.array(z.int().min(1)).default([128]),
  dropout: z.number().min(0).lt(1).default(0.2),
  ...trainingFields,
});
export type MlpOptions = z.output<typeof mlpOptionsSchema>;

export const mlp: LearnerFactory<MlpOptions> = {
  name: "mlp",
  description: "dense ReLU layers with dropout and a softmax/sigmoid head",
  parseOptions: (options, path) => parseWith(mlpOptionsSchema, options ?? {}, path),
  create: (options, shape) =>
    createTfLearner({
      name: "mlp",
      shape,
      training: options,
      stochastic: options.dropout > 0 && options.hidden.length > 0,
      build: (context) => {
        const inputs = tf.input({ shape: [shape.inputSize] });
        const taps: tf.SymbolicTensor[] = [];
        return { inputs, features: denseStack(inputs, options.hidden, options.dropout, context, taps), taps };
      },
    }),
};
