/**
 * BiLSTM for text: token embedding (padding id 0 masked) → 1–2 bidirectional LSTM layers →
 * seeded dropout → optional dense layers → head. Each direction is its own LSTM with its own
 * seeds (tf.layers.bidirectional clones one config, so both directions would start equal).
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { parseWith } from "../experiments/errors.ts";
import type { LearnerFactory } from "./learner.ts";
import { denseStack, dropoutLayer } from "./tf/dense-stack.ts";
import { ReverseTime } from "./tf/reverse-time.ts";
import { embeddingInit, glorot } from "./tf/seeded.ts";
import { checkTokenIds, requireVocabSize } from "./tf/token-input.ts";
import { createTfLearner, type NetworkContext } from "./tf/train.ts";
import { trainingFields } from "./tf/training-options.ts";

export const bilstmOptionsSchema = z.strictObject({
  embeddingSize: z.int().min(1).default(64),
  /** LSTM units per direction. */
  units: z.int().min(1).default(64),
  layers: z.int().min(1).max(2).default(1),
  hidden: z.array(z.int().min(1)).default([]),
  /** Dropout between LSTM layers, after the last one and after dense layers. */
  dropout: z.number().min(0).lt(1).default(0.3),
  ...trainingFields,
});
export type BilstmOptions = z.output<typeof bilstmOptionsSchema>;

function lstm(units: number, sequences: boolean, backwards: boolean, context: NetworkContext): tf.layers.Layer {
  return tf.layers.lstm({
    units,
    returnSequences: sequences,
    goBackwards: backwards,
    kernelInitializer: glorot(context.init),
    recurrentInitializer: glorot(context.init),
  });
}

export const bilstm: LearnerFactory<BilstmOptions> = {
  name: "bilstm",
  description: "text BiLSTM: embedding, 1–2 bidirectional LSTM layers, dropout",
  parseOptions: (options, path) => parseWith(bilstmOptionsSchema, options ?? {}, path),
  create: (options, shape) => {
    const vocab = requireVocabSize("bilstm", shape);
    return createTfLearner({
      name: "bilstm",
      shape,
      training: options,
      stochastic: options.dropout > 0,
      predictBatch: 512,
      checkInput: (x) => checkTokenIds("bilstm", x, vocab),
      build: (context) => {
        const inputs = tf.input({ shape: [shape.inputSize] });
        let h = tf.layers
          .embedding({ inputDim: vocab, outputDim: options.embeddingSize, maskZero: true, embeddingsInitializer: embeddingInit(context.init) })
          .apply(inputs) as tf.SymbolicTensor;
        // Each bidirectional layer's output (sequences keep the padding mask), then each dense layer.
        const taps: tf.SymbolicTensor[] = [];
        for (let layer = 0; layer < options.layers; layer++) {
          const sequences = layer < options.layers - 1;
          const forward = lstm(options.units, sequences, false, context).apply(h) as tf.SymbolicTensor;
          let backward = lstm(options.units, sequences, true, context).apply(h) as tf.SymbolicTensor;
          if (sequences) backward = new ReverseTime().apply(backward) as tf.SymbolicTensor;
          h = tf.layers.concatenate().apply([forward, backward]) as tf.SymbolicTensor;
          taps.push(h);
          h = dropoutLayer(h, options.dropout, context.dropout);
        }
        return { inputs, features: denseStack(h, options.hidden, options.dropout, context, taps), taps };
      },
    });
  },
};
