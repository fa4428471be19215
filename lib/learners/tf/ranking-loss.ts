/**
 * The pairwise margin ranking loss of loss prediction (Yoo & Kweon 2019, "Learning loss for
 * active learning"). A batch of B predicted losses l̂ and true losses l is split into halves;
 * point i of the first half is paired with point i of the second (j = i + ⌊B/2⌋; an odd last
 * point is left out), and each pair costs max(0, −sign(l_i − l_j)·(l̂_i − l̂_j) + ξ), averaged
 * over the pairs. Only the order of the predictions is learnt, not the scale of the losses, so
 * the loss module cannot chase the target loss as it shrinks during training. A tie of true
 * losses (sign 0) costs the constant ξ and gives no gradient. The true losses are detached.
 */
import * as tf from "@tensorflow/tfjs";
import { stopGradient } from "./stop-gradient.ts";

export function rankingLoss(predicted: tf.Tensor, losses: tf.Tensor, margin: number): tf.Scalar {
  const b = predicted.shape[0]!;
  if (predicted.rank !== 1 || losses.rank !== 1 || losses.shape[0] !== b) {
    throw new RangeError(`rankingLoss: expected two vectors of the same length, got [${predicted.shape.join(", ")}] and [${losses.shape.join(", ")}]`);
  }
  const h = Math.floor(b / 2);
  if (h === 0) return tf.scalar(0);
  return tf.tidy(() => {
    const l = stopGradient(losses);
    const sign = tf.sign(tf.sub(l.slice(0, h), l.slice(h, h)));
    const gap = tf.sub(predicted.slice(0, h), predicted.slice(h, h));
    return tf.mean(tf.relu(tf.add(tf.neg(tf.mul(sign, gap)), margin))) as tf.Scalar;
  });
}
