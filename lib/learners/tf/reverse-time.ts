/**
 * Reverses a [batch, time, features] sequence along time. A backward LSTM returns its
 * sequence last-step-first; this puts it back in input order so it lines up with the forward
 * one (and with the padding mask, which therefore passes through unchanged).
 */
import * as tf from "@tensorflow/tfjs";
import { SameShapeLayer } from "./same-shape-layer.ts";

export class ReverseTime extends SameShapeLayer {
  static className = "ReverseTime";

  protected override transform(x: tf.Tensor): tf.Tensor {
    return tf.reverse(x, 1);
  }
}
tf.serialization.registerClass(ReverseTime);
