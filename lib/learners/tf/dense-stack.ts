/**
 * Dense ReLU layers, each followed by seeded dropout: the MLP body and the other nets' tops.
 * Each layer's output (before its dropout) is pushed onto `taps`, when given.
 */
import * as tf from "@tensorflow/tfjs";
import type { Random } from "../../al/random.ts";
import { SeededDropout, type DropoutSource } from "../seeded-dropout.ts";
import { glorot } from "./seeded.ts";

export function denseStack(
  input: tf.SymbolicTensor,
  hidden: readonly number[],
  dropout: number,
  context: { init: Random; dropout: DropoutSource },
  taps?: tf.SymbolicTensor[],
): tf.SymbolicTensor {
  let h = input;
  for (const units of hidden) {
    h = tf.layers.dense({ units, activation: "relu", kernelInitializer: glorot(context.init) }).apply(h) as tf.SymbolicTensor;
    taps?.push(h);
    if (dropout > 0) h = dropoutLayer(h, dropout, context.dropout);
  }
  return h;
}

export function dropoutLayer(input: tf.SymbolicTensor, rate: number, source: DropoutSource): tf.SymbolicTensor {
  return rate > 0 ? (new SeededDropout({ rate, source }).apply(input) as tf.SymbolicTensor) : input;
}
