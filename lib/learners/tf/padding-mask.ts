/** 1 where a token id is real, 0 where it is padding (id 0), as float32 [batch, time]. */
import * as tf from "@tensorflow/tfjs";

export function paddingMask(ids: tf.Tensor): tf.Tensor {
  return tf.cast(tf.notEqual(ids, 0), "float32");
}
