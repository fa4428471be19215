/**
 * Small transformer encoder for text, trained from scratch: token + learned positional
 * embeddings → N pre-norm blocks (multi-head self-attention with padding masked, then a ReLU
 * feed-forward; each a residual branch with seeded dropout) → layer norm → mean over the
 * non-padding tokens → head.
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { parseWith } from "../experiments/errors.ts";
import type { LearnerFactory } from "./learner.ts";
import { dropoutLayer } from "./tf/dense-stack.ts";
import { LayerNorm } from "./tf/layer-norm.ts";
import { MaskedMeanPool } from "./tf/masked-mean-pool.ts";
import { PositionEmbedding } from "./tf/position-embedding.ts";
import { embeddingInit, glorot } from "./tf/seeded.ts";
import { SelfAttention } from "./tf/self-attention.ts";
import { checkTokenIds, requireVocabSize } from "./tf/token-input.ts";
import { createTfLearner, type NetworkContext } from "./tf/train.ts";
import { trainingFields } from "./tf/training-options.ts";

export const transformerOptionsSchema = z
  .strictObject({
    /** Model width d (token and position embeddings, attention, residual stream). */
    embeddingSize: z.int().min(1).default(64),
    heads: z.int().min(1).default(4),
    layers: z.int().min(1).max(8).default(2),
    /** Width of each block's feed-forward layer. */
    feedForward: z.int().min(1).default(128),
    dropout: z.number().min(0).lt(1).default(0.1),
    ...trainingFields,
  })
  .refine((o) => o.embeddingSize % o.heads === 0, { message: "embeddingSize must be a multiple of heads", path: ["heads"] });
export type TransformerOptions = z.output<typeof transformerOptionsSchema>;

function dense(units: number, context: NetworkContext, activation?: "relu"): tf.layers.Layer {
  return tf.layers.dense({ units, kernelInitializer: glorot(context.init), ...(activation ? { activation } : {}) });
}

const apply = (layer: tf.layers.Layer, input: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor => layer.apply(input) as tf.SymbolicTensor;

export const transformer: LearnerFactory<TransformerOptions> = {
  name: "transformer",
  description: "small transformer encoder (no pretraining): positional embeddings, self-attention blocks, mean pooling",
  parseOptions: (options, path) => parseWith(transformerOptionsSchema, options ?? {}, path),
  create: (options, shape) => {
    const vocab = requireVocabSize("transformer", shape);
    const d = options.embeddingSize;
    return createTfLearner({
      name: "transformer",
      shape,
      training: options,
      stochastic: options.dropout > 0,
      predictBatch: 256,
      checkInput: (x) => checkTokenIds("transformer", x, vocab),
      build: (context) => {
        const inputs = tf.input({ shape: [shape.inputSize] });
        const tokens = apply(tf.layers.embedding({ inputDim: vocab, outputDim: d, embeddingsInitializer: embeddingInit(context.init) }), inputs);
        let h = apply(new PositionEmbedding({ initializer: embeddingInit(context.init) }), tokens);
        h = dropoutLayer(h, options.dropout, context.dropout);
        // Each block's residual stream (pooled over every position, padding included, by the loss module).
        const taps: tf.SymbolicTensor[] = [];
        for (let block = 0; block < options.layers; block++) {
          const a = apply(new LayerNorm(), h);
          const q = apply(dense(d, context), a);
          const k = apply(dense(d, context), a);
          const v = apply(dense(d, context), a);
          const attended = apply(new SelfAttention({ heads: options.heads }), [q, k, v, inputs]);
          h = apply(tf.layers.add(), [h, dropoutLayer(apply(dense(d, context), attended), options.dropout, context.dropout)]);
          const f = apply(new LayerNorm(), h);
          const ff = apply(dense(d, context), apply(dense(options.feedForward, context, "relu"), f));
          h = apply(tf.layers.add(), [h, dropoutLayer(ff, options.dropout, context.dropout)]);
          taps.push(h);
        }
        h = apply(new LayerNorm(), h);
        return { inputs, features: apply(new MaskedMeanPool({}), [h, inputs]), taps };
      },
    });
  },
};
