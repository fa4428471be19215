/**
 * Mean over the non-padding positions of a [batch, time, d] sequence → [batch, d].
 * Inputs: [sequence, tokenIds]. An all-padding row pools to zeros rather than NaN.
 */
import * as tf from "@tensorflow/tfjs";
import { paddingMask } from "./padding-mask.ts";

export class MaskedMeanPool extends tf.layers.Layer {
  static className = "MaskedMeanPool";

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    const shape = (inputShape as tf.Shape[])[0]!;
    return [shape[0]!, shape[2]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [x, ids] = inputs as tf.Tensor[];
    return tf.tidy(() => {
      const mask = tf.expandDims(paddingMask(ids!), 2);
      const count = tf.maximum(tf.sum(mask, 1), 1);
      return tf.div(tf.sum(tf.mul(x!, mask), 1), count);
    });
  }
}
tf.serialization.registerClass(MaskedMeanPool);
