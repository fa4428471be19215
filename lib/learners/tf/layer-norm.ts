/**
 * Layer normalisation over the last axis with a learned gain and bias. tf.layers'
 * layerNormalization tiles its statistics and parameters to the input's shape, and tfjs's
 * Tile gradient is a slice-and-add loop over every tile: on [batch, time, d] inputs that is
 * ~1,000 kernel calls per layer per step. Broadcasting ops here have cheap sum-reduction
 * gradients instead.
 */
import * as tf from "@tensorflow/tfjs";

export class LayerNorm extends tf.layers.Layer {
  static className = "LayerNorm";
  private readonly epsilon: number;
  private gain?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(args: { epsilon?: number } = {}) {
    super({});
    this.epsilon = args.epsilon ?? 1e-5;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = inputShape as tf.Shape;
    const d = shape[shape.length - 1]!;
    this.gain = this.addWeight("gain", [d], "float32", tf.initializers.ones());
    this.bias = this.addWeight("bias", [d], "float32", tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.tidy(() => {
      const mean = tf.mean(x, -1, true);
      const centred = tf.sub(x, mean);
      const variance = tf.mean(tf.square(centred), -1, true);
      const normalised = tf.mul(centred, tf.rsqrt(tf.add(variance, this.epsilon)));
      return tf.add(tf.mul(normalised, this.gain!.read()), this.bias!.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(LayerNorm);
