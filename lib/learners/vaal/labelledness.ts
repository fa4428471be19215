/**
 * VAAL's round: train a β-VAE and a labelled-vs-unlabelled discriminator from scratch on the
 * pool, adversarially, and return D(μ(x)) for every pool row. Everything random — initial
 * weights, batch orders, the reparameterisation noise — comes from the one stream passed in
 * (the provider's (seed, "vaal", round)), so a round replays exactly without saved state.
 *
 * Each step pairs a batch of unlabelled rows with one of labelled rows (the labelled set is
 * cycled through in seeded orders, as it is usually the smaller):
 *   VAE:  MSE(x, x̂) + β·KL(q(z|x) ‖ N(0, I))/d, on both batches, + λ·[BCE(D(μ_L), 1) + BCE(D(μ_U), 1)]
 *   D:    BCE(D(μ_L), 1) + BCE(D(μ_U), 0), with the VAE fixed.
 * The KL is divided by the feature count d so that both terms are per feature (the negative
 * ELBO of a Gaussian decoder, per input value): β then means the same for 10 and 784 features.
 * Inputs are standardised per feature over the whole pool (no labels are read).
 */
import * as tf from "@tensorflow/tfjs";
import type { Matrix } from "../../al/matrix.ts";
import { permutation, type Random } from "../../al/random.ts";
import type { VaalOptions } from "../../al/samplers/vaal.ts";
import { applyScaler, fitScaler } from "../standardize.ts";
import { rowsTensor, sliceTensor } from "../tf/batches.ts";
import { makeOptimizer } from "../tf/training-options.ts";
import { buildVaalNetworks, decode, discriminate, discriminatorVariables, disposeVaalNetworks, encode, vaeVariables, type VaalNetworks } from "./networks.ts";

const SCORE_BATCH = 2048;

export interface LabellednessInput {
  /** Pool features, N×d. */
  x: Matrix;
  /** Pool rows that are labelled (the round's training set). */
  labelled: ArrayLike<number>;
  /** Pool rows that are unlabelled (selectable). */
  unlabelled: ArrayLike<number>;
}

/**
 * The VAE's loss on one batch — reconstruction MSE + β·KL/d (see the file comment) — plus the
 * adversarial term λ·BCE(D(μ), 1): the VAE's side of the game, making D call every latent "labelled".
 */
function vaeLoss(nets: VaalNetworks, x: tf.Tensor2D, options: VaalOptions, seed: number): tf.Scalar {
  const { mean, logVariance } = encode(nets, x);
  const noise = tf.randomNormal(mean.shape, 0, 1, "float32", seed);
  const z = tf.add(mean, tf.mul(tf.exp(tf.mul(logVariance, 0.5)), noise)) as tf.Tensor2D;
  const reconstruction = tf.mean(tf.squaredDifference(x, decode(nets, z)));
  const kl = tf.mul(-0.5, tf.mean(tf.sum(tf.sub(tf.add(1, logVariance), tf.add(tf.square(mean), tf.exp(logVariance))), 1)));
  const fool = bce(discriminate(nets, mean), 1);
  return tf.addN([reconstruction, tf.mul(options.beta / x.shape[1], kl), tf.mul(options.adversarialWeight, fool)]) as tf.Scalar;
}

/** Mean binary cross-entropy of the discriminator's logits against one target (1 labelled, 0 not). */
function bce(logits: tf.Tensor2D, target: 0 | 1): tf.Scalar {
  return tf.losses.sigmoidCrossEntropy(target === 1 ? tf.onesLike(logits) : tf.zerosLike(logits), logits) as tf.Scalar;
}

/** Trains VAAL's networks on `input` and returns D(μ(x)) ∈ [0, 1] per pool row. */
export async function vaalLabelledness(input: LabellednessInput, options: VaalOptions, random: Random): Promise<Float32Array> {
  const { labelled, unlabelled } = input;
  if (labelled.length === 0) throw new RangeError("vaal: no labelled points to train the discriminator on; start with an initial set (initial.size ≥ 1)");
  if (unlabelled.length === 0) throw new RangeError("vaal: no unlabelled points left to score");
  const x = applyScaler(input.x, fitScaler(input.x));
  const nets = buildVaalNetworks({ inputs: x.c, hidden: options.hidden, latent: options.latent }, random);
  const vaeOptimizer = makeOptimizer({ optimizer: "adam", learningRate: options.learningRate });
  const discriminatorOptimizer = makeOptimizer({ optimizer: "adam", learningRate: options.learningRate });
  const vaeVars = vaeVariables(nets);
  const discriminatorVars = discriminatorVariables(nets);
  const batch = options.batchSize;
  const labelledBatch = Math.min(batch, labelled.length);

  let labelledOrder = permutation(labelled.length, random);
  let next = 0;
  const labelledRows = (): Int32Array => {
    const out = new Int32Array(labelledBatch);
    for (let j = 0; j < labelledBatch; j++) {
      if (next === labelled.length) {
        labelledOrder = permutation(labelled.length, random);
        next = 0;
      }
      out[j] = labelled[labelledOrder[next++]!]!;
    }
    return out;
  };

  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const order = permutation(unlabelled.length, random);
      for (let start = 0; start < order.length; start += batch) {
        const end = Math.min(start + batch, order.length);
        const rowsU = Int32Array.from(order.subarray(start, end), (j) => unlabelled[j]!);
        const rowsL = labelledRows();
        const xu = rowsTensor(x, rowsU, 0, rowsU.length);
        const xl = rowsTensor(x, rowsL, 0, rowsL.length);
        const seedL = random.uint32();
        const seedU = random.uint32();
        vaeOptimizer.minimize(() => tf.add(vaeLoss(nets, xl, options, seedL), vaeLoss(nets, xu, options, seedU)) as tf.Scalar, false, vaeVars);
        discriminatorOptimizer.minimize(
          () => tf.add(bce(discriminate(nets, encode(nets, xl).mean), 1), bce(discriminate(nets, encode(nets, xu).mean), 0)) as tf.Scalar,
          false,
          discriminatorVars,
        );
        xu.dispose();
        xl.dispose();
      }
    }
    const out = new Float32Array(x.n);
    for (let start = 0; start < x.n; start += SCORE_BATCH) {
      const end = Math.min(start + SCORE_BATCH, x.n);
      const d = tf.tidy(() => tf.sigmoid(discriminate(nets, encode(nets, sliceTensor(x, start, end)).mean)));
      out.set((await d.data()) as Float32Array, start);
      d.dispose();
    }
    return out;
  } finally {
    disposeVaalNetworks(nets);
    vaeOptimizer.dispose();
    discriminatorOptimizer.dispose();
  }
}
