/**
 * Identity forward, zero gradient backward. tfjs has no stop-gradient op; loss prediction needs
 * one twice: the true losses its ranking loss compares are targets, not paths to the backbone,
 * and after `detachAfter` epochs the loss module must stop shaping the backbone's features.
 */
import * as tf from "@tensorflow/tfjs";
import { SameShapeLayer } from "./same-shape-layer.ts";

export const stopGradient: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...args) => ({
  value: tf.clone(args[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as (x: tf.Tensor) => tf.Tensor;

/**
 * A layer that passes its input on and, while `detached` is set, blocks the gradient through
 * it: the loss module reads the backbone's features through one of these per feature map.
 */
export class DetachGate extends SameShapeLayer {
  static className = "AlDetachGate";
  detached = false;

  // Element-wise: a sequence's padding mask passes through to the pooling after it.
  protected override transform(x: tf.Tensor): tf.Tensor {
    return this.detached ? stopGradient(x) : x;
  }
}
tf.serialization.registerClass(DetachGate);
