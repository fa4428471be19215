/**
 * Dropout whose masks come from our seeded stream. tfjs's own Dropout either uses Math.random
 * (unseeded) or, given a seed, repeats the same mask at every step; this draws a fresh seed per
 * call from a Random the learner sets, so training and MC-dropout passes are reproducible.
 */
import * as tf from "@tensorflow/tfjs";
import type { Random } from "../al/random.ts";

/** Supplies a seed for each call's mask; the learner sets `random` for training or MC passes. */
export interface DropoutSource {
  random?: Random;
}

export interface SeededDropoutArgs {
  rate: number;
  source: DropoutSource;
}

export class SeededDropout extends tf.layers.Layer {
  static className = "SeededDropout";
  private readonly rate: number;
  private readonly source: DropoutSource;

  constructor(args: SeededDropoutArgs) {
    super({});
    this.rate = args.rate;
    this.source = args.source;
    // Element-wise, so a sequence mask (padding) passes through unchanged.
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (!kwargs["training"] || this.rate === 0) return x;
    const random = this.source.random;
    if (!random) throw new Error("SeededDropout: training pass without a seeded random source");
    return tf.dropout(x, this.rate, undefined, random.uint32());
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }
}
tf.serialization.registerClass(SeededDropout);
