/**
 * Global average pooling of a feature map of any rank ([batch, …, d] → [batch, d]): the mean
 * over every axis between batch and channels. With a sequence mask (BiLSTM padding) only the
 * unmasked steps count; an all-masked row pools to zeros rather than NaN. Rank-2 input passes.
 */
import * as tf from "@tensorflow/tfjs";

export class GlobalMeanPool extends tf.layers.Layer {
  static className = "AlGlobalMeanPool";

  constructor() {
    super({});
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0]!, shape[shape.length - 1]!];
  }

  /** The output is one vector per row: no mask survives pooling. */
  override computeMask(): tf.Tensor {
    // tfjs reads null as "no mask"; its type leaves that out.
    return null as unknown as tf.Tensor;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (x.rank === 2) return x;
    return tf.tidy(() => {
      const axes = Array.from({ length: x.rank - 2 }, (_, i) => i + 1);
      const mask = kwargs["mask"] as tf.Tensor | undefined;
      if (!mask || x.rank !== 3) return tf.mean(x, axes);
      const m = tf.expandDims(tf.cast(mask, "float32"), 2);
      return tf.div(tf.sum(tf.mul(x, m), 1), tf.maximum(tf.sum(m, 1), 1));
    });
  }
}
tf.serialization.registerClass(GlobalMeanPool);
