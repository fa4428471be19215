/**
 * Image CNN: blocks of `convsPerBlock` convolutions (ReLU, same or valid padding) + a max-pool,
 * each block optionally followed by seeded dropout, then dense ReLU layers with dropout and the
 * head. Rows arrive flat and are reshaped with the data's inputShape ([h, w] or [h, w, channels]).
 * Gal, Islam & Ghahramani's (2017) MNIST net is one block of two valid 4×4 convolutions:
 * { filters: [32], convsPerBlock: 2, kernelSize: 4, padding: "valid" }.
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { parseWith } from "../experiments/errors.ts";
import type { LearnerFactory, LearnerShape } from "./learner.ts";
import { denseStack, dropoutLayer } from "./tf/dense-stack.ts";
import { glorot } from "./tf/seeded.ts";
import { createTfLearner } from "./tf/train.ts";
import { trainingFields } from "./tf/training-options.ts";

export const cnnOptionsSchema = z.strictObject({
  /** Filters per conv block; each block is `convsPerBlock` convs → max-pool. */
  filters: z.array(z.int().min(1)).min(1).default([32, 64]),
  /**
   * Convolutions (same filter count) stacked before each block's pooling; absent = 1. No zod
   * default here or below: options are stored normalised, and a new default would change the
   * run id of every cnn run stored before it.
   */
  convsPerBlock: z.int().min(1).optional(),
  kernelSize: z.int().min(1).default(3),
  /** "same" (absent) keeps the image size through a conv; "valid" shrinks it by kernelSize − 1. */
  padding: z.enum(["same", "valid"]).optional(),
  poolSize: z.int().min(1).default(2),
  /** Dropout after each conv block. */
  convDropout: z.number().min(0).lt(1).default(0.25),
  hidden: z.array(z.int().min(1)).default([128]),
  /** Dropout after each dense layer. */
  dropout: z.number().min(0).lt(1).default(0.5),
  ...trainingFields,
});
export type CnnOptions = z.output<typeof cnnOptionsSchema>;

/** [h, w, channels] from the data's shape, or a one-line error. */
export function imageShape(shape: LearnerShape): [number, number, number] {
  const s = shape.inputShape;
  const image: [number, number, number] | undefined =
    s?.length === 2 ? [s[0]!, s[1]!, 1] : s?.length === 3 ? [s[0]!, s[1]!, s[2]!] : undefined;
  if (!image) throw new RangeError(`cnn: needs an image shape ([height, width] or [height, width, channels]) in the learner shape, got ${s ? `[${s.join(", ")}]` : "none"}`);
  if (image[0] * image[1] * image[2] !== shape.inputSize) {
    throw new RangeError(`cnn: image shape [${image.join(", ")}] has ${image[0] * image[1] * image[2]} values but rows have ${shape.inputSize}`);
  }
  return image;
}

function checkPooling(options: CnnOptions, image: [number, number, number]): void {
  let [h, w] = image;
  const convs = options.convsPerBlock ?? 1;
  const shrink = options.padding === "valid" ? convs * (options.kernelSize - 1) : 0;
  for (let i = 0; i < options.filters.length; i++) {
    if (h - shrink < 1 || w - shrink < 1) {
      throw new RangeError(
        `cnn: ${image[0]}×${image[1]} images vanish in block ${i + 1}'s ${convs} valid ${options.kernelSize}×${options.kernelSize} convolutions; use padding "same", a smaller kernelSize or fewer blocks`,
      );
    }
    h = Math.floor((h - shrink) / options.poolSize);
    w = Math.floor((w - shrink) / options.poolSize);
    if (h < 1 || w < 1) {
      throw new RangeError(`cnn: ${image[0]}×${image[1]} images vanish after ${i + 1} pooling blocks of size ${options.poolSize}; use fewer filters entries or a smaller poolSize`);
    }
  }
}

export const cnn: LearnerFactory<CnnOptions> = {
  name: "cnn",
  description: "image CNN: conv/max-pool blocks, dense layers, dropout",
  parseOptions: (options, path) => parseWith(cnnOptionsSchema, options ?? {}, path),
  create: (options, shape) => {
    const image = imageShape(shape);
    checkPooling(options, image);
    return createTfLearner({
      name: "cnn",
      shape,
      training: options,
      stochastic: options.convDropout > 0 || (options.dropout > 0 && options.hidden.length > 0),
      predictBatch: 512,
      build: (context) => {
        const inputs = tf.input({ shape: [shape.inputSize] });
        let h = tf.layers.reshape({ targetShape: image }).apply(inputs) as tf.SymbolicTensor;
        // Each conv block's pooled maps, then each dense layer: the intermediate features.
        const taps: tf.SymbolicTensor[] = [];
        for (const filters of options.filters) {
          for (let c = 0; c < (options.convsPerBlock ?? 1); c++) {
            h = tf.layers
              .conv2d({ filters, kernelSize: options.kernelSize, padding: options.padding ?? "same", activation: "relu", kernelInitializer: glorot(context.init) })
              .apply(h) as tf.SymbolicTensor;
          }
          h = tf.layers.maxPooling2d({ poolSize: options.poolSize, strides: options.poolSize }).apply(h) as tf.SymbolicTensor;
          taps.push(h);
          h = dropoutLayer(h, options.convDropout, context.dropout);
        }
        h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
        return { inputs, features: denseStack(h, options.hidden, options.dropout, context, taps), taps };
      },
    });
  },
};
