/**
 * A layer whose output has its input's shape (and so passes the padding mask on): subclasses say
 * only what they do to the tensor.
 */
import * as tf from "@tensorflow/tfjs";

export abstract class SameShapeLayer extends tf.layers.Layer {
  constructor() {
    super({});
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return this.transform(Array.isArray(inputs) ? inputs[0]! : inputs);
  }

  protected abstract transform(x: tf.Tensor): tf.Tensor;
}
