/**
 * Reverses a [batch, time, features] sequence along time. A backward LSTM returns its
 * sequence last-step-first; this puts it back in input order so it lines up with the forward
 * one (and with the padding mask, which therefore passes through unchanged).
 */
import * as tf from "@tensorflow/tfjs";

export class ReverseTime extends tf.layers.Layer {
  static className = "ReverseTime";

  constructor() {
    super({});
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.reverse(x, 1);
  }
}
tf.serialization.registerClass(ReverseTime);
