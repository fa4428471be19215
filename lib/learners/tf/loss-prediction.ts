/**
 * Loss prediction (Yoo & Kweon 2019): a small module on a tfjs learner's intermediate features
 * that predicts each point's training loss. Each chosen feature map is pooled to one vector per
 * row (global mean), passed through dense(units) + ReLU; the vectors are concatenated and a
 * dense(1) gives the predicted loss. The shared training core (train.ts) builds it on the taps
 * every network body exposes and trains it jointly: target loss + weight · ranking loss.
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { Random } from "../../al/random.ts";
import { GlobalMeanPool } from "./global-mean-pool.ts";
import { glorot } from "./seeded.ts";
import { DetachGate } from "./stop-gradient.ts";

export const lossPredictionSchema = z.strictObject({
  /** Which of the body's intermediate feature maps (0 = nearest the input) feed the module; absent = all. */
  layers: z.array(z.int().min(0)).min(1).optional(),
  /** Width of each feature map's dense layer. */
  units: z.int().min(1).default(128),
  /** ξ: a pair costs nothing once its predictions are ordered like its losses by this much. */
  margin: z.number().gt(0).default(1),
  /** λ: the ranking loss's weight beside the target loss. */
  weight: z.number().gt(0).default(1),
  /**
   * Epochs of each fit after which the module's gradient stops reaching the backbone (the
   * paper: 120 of 200), so the features serve the classifier alone from then on; absent = never.
   */
  detachAfter: z.int().min(0).optional(),
});
export type LossPredictionOptions = z.output<typeof lossPredictionSchema>;

export interface LossModule {
  /** Predicted loss per row, [batch, 1]. */
  output: tf.SymbolicTensor;
  /** One per feature map: set `detached` to stop the module's gradient into the backbone. */
  gates: DetachGate[];
}

/** The chosen taps, or a one-line error naming the learner and what it offers. */
export function chooseTaps(learner: string, taps: readonly tf.SymbolicTensor[], layers: readonly number[] | undefined): tf.SymbolicTensor[] {
  if (taps.length === 0) {
    throw new Error(`${learner}: lossPrediction needs intermediate features, but the network exposes none; give it a hidden layer`);
  }
  if (!layers) return [...taps];
  const bad = layers.find((i) => i >= taps.length);
  if (bad !== undefined) {
    const range = taps.length > 1 ? `${taps.length} feature maps (0–${taps.length - 1})` : "1 feature map (0)";
    throw new RangeError(`${learner}: lossPrediction.layers: ${bad} is out of range; this network has ${range}`);
  }
  if (new Set(layers).size !== layers.length) throw new RangeError(`${learner}: lossPrediction.layers: [${layers.join(", ")}] repeats a layer; name each once`);
  return layers.map((i) => taps[i]!);
}

/** Builds the module on `taps` with initializer seeds drawn from `init` (its own stream). */
export function lossModule(taps: readonly tf.SymbolicTensor[], options: LossPredictionOptions, init: Random): LossModule {
  const gates: DetachGate[] = [];
  const branches = taps.map((tap) => {
    const gate = new DetachGate();
    gates.push(gate);
    const pooled = new GlobalMeanPool().apply(gate.apply(tap)) as tf.SymbolicTensor;
    return tf.layers.dense({ units: options.units, activation: "relu", kernelInitializer: glorot(init) }).apply(pooled) as tf.SymbolicTensor;
  });
  const joined = branches.length > 1 ? (tf.layers.concatenate().apply(branches) as tf.SymbolicTensor) : branches[0]!;
  const output = tf.layers.dense({ units: 1, kernelInitializer: glorot(init) }).apply(joined) as tf.SymbolicTensor;
  return { output, gates };
}
