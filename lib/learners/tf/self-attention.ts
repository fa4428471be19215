/**
 * Multi-head scaled dot-product attention over already-projected queries, keys and values
 * ([batch, time, d] each), with padding keys masked out. tf.layers has no attention layer; the
 * projections are ordinary dense layers around this one, so this layer has no weights.
 * Inputs: [queries, keys, values, tokenIds].
 */
import * as tf from "@tensorflow/tfjs";
import { paddingMask } from "./padding-mask.ts";

export class SelfAttention extends tf.layers.Layer {
  static className = "SelfAttention";
  private readonly heads: number;

  constructor(args: { heads: number }) {
    super({});
    this.heads = args.heads;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return (inputShape as tf.Shape[])[0]!;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [q, k, v, ids] = inputs as tf.Tensor[];
    return tf.tidy(() => {
      const [, time, d] = q!.shape as [number, number, number];
      const h = this.heads;
      const dh = d / h;
      // [batch, time, d] → [batch, heads, time, d/heads]
      const split = (t: tf.Tensor): tf.Tensor => tf.transpose(tf.reshape(t, [-1, time, h, dh]), [0, 2, 1, 3]);
      const scores = tf.mul(tf.matMul(split(q!), split(k!), false, true), 1 / Math.sqrt(dh));
      // Padding keys get −1e9 before the softmax, so they receive no attention. A row of only
      // padding attends uniformly; its output is ignored by the masked mean pool.
      const keyMask = tf.reshape(paddingMask(ids!), [-1, 1, 1, time]);
      const weights = tf.softmax(tf.add(scores, tf.mul(tf.sub(1, keyMask), -1e9)));
      const out = tf.matMul(weights, split(v!));
      return tf.reshape(tf.transpose(out, [0, 2, 1, 3]), [-1, time, d]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heads: this.heads };
  }
}
tf.serialization.registerClass(SelfAttention);
