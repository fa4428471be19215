/**
 * Learned positional embeddings: adds a trainable [maxLength, d] table to [batch, maxLength, d]
 * token embeddings, so attention (which is order-blind) can see word order.
 */
import * as tf from "@tensorflow/tfjs";

type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;

export class PositionEmbedding extends tf.layers.Layer {
  static className = "PositionEmbedding";
  private readonly initializer: Initializer;
  private table?: tf.LayerVariable;

  constructor(args: { initializer: Initializer }) {
    super({});
    this.initializer = args.initializer;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    this.table = this.addWeight("positions", [shape[1]!, shape[2]!], "float32", this.initializer);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.add(x, this.table!.read());
  }
}
tf.serialization.registerClass(PositionEmbedding);
