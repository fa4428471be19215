/**
 * VAAL's three small networks as plain tfjs variables: an MLP β-VAE (encoder x → h → (μ, log σ²),
 * decoder z → h → x̂, linear output for standardised features) and a discriminator μ → h → logit.
 * The paper uses conv VAEs for images; dense layers over the flattened features serve tabular and
 * image sets alike. Plain variables, not layers models: the adversarial game updates the VAE and
 * the discriminator separately, and an explicit variable list per player keeps that exact.
 */
import * as tf from "@tensorflow/tfjs";
import type { Random } from "../../al/random.ts";
import { glorot } from "../tf/seeded.ts";

export interface Dense {
  w: tf.Variable;
  b: tf.Variable;
}

export interface VaalNetworks {
  encoder: { hidden: Dense; mean: Dense; logVariance: Dense };
  decoder: { hidden: Dense; output: Dense };
  discriminator: { hidden: Dense; output: Dense };
}

export interface NetworkSizes {
  inputs: number;
  hidden: number;
  latent: number;
}

/** A dense layer with a seeded Glorot kernel (one seed drawn from `init`) and zero bias. */
function dense(inputs: number, units: number, init: Random): Dense {
  // A variable shares its initial tensor's data: the initial tensors themselves are freed here.
  return tf.tidy(() => ({ w: tf.variable(glorot(init).apply([inputs, units])), b: tf.variable(tf.zeros([units])) }));
}

const apply = (layer: Dense, x: tf.Tensor): tf.Tensor2D => tf.add(tf.matMul(x as tf.Tensor2D, layer.w as tf.Tensor2D), layer.b) as tf.Tensor2D;

/** Builds the networks, drawing one initializer seed per kernel from `init` in a fixed order. */
export function buildVaalNetworks({ inputs, hidden, latent }: NetworkSizes, init: Random): VaalNetworks {
  return {
    encoder: { hidden: dense(inputs, hidden, init), mean: dense(hidden, latent, init), logVariance: dense(hidden, latent, init) },
    decoder: { hidden: dense(latent, hidden, init), output: dense(hidden, inputs, init) },
    discriminator: { hidden: dense(latent, hidden, init), output: dense(hidden, 1, init) },
  };
}

export function encode(nets: VaalNetworks, x: tf.Tensor2D): { mean: tf.Tensor2D; logVariance: tf.Tensor2D } {
  const h = tf.relu(apply(nets.encoder.hidden, x));
  return { mean: apply(nets.encoder.mean, h), logVariance: apply(nets.encoder.logVariance, h) };
}

export function decode(nets: VaalNetworks, z: tf.Tensor2D): tf.Tensor2D {
  return apply(nets.decoder.output, tf.relu(apply(nets.decoder.hidden, z)));
}

/** The discriminator's logit per row, [rows, 1] (sigmoid = probability of "labelled"). */
export function discriminate(nets: VaalNetworks, mean: tf.Tensor2D): tf.Tensor2D {
  return apply(nets.discriminator.output, tf.relu(apply(nets.discriminator.hidden, mean)));
}

const variablesOf = (...layers: Dense[]): tf.Variable[] => layers.flatMap((l) => [l.w, l.b]);

export function vaeVariables(nets: VaalNetworks): tf.Variable[] {
  const { encoder: e, decoder: d } = nets;
  return variablesOf(e.hidden, e.mean, e.logVariance, d.hidden, d.output);
}

export function discriminatorVariables(nets: VaalNetworks): tf.Variable[] {
  return variablesOf(nets.discriminator.hidden, nets.discriminator.output);
}

export function disposeVaalNetworks(nets: VaalNetworks): void {
  for (const v of [...vaeVariables(nets), ...discriminatorVariables(nets)]) v.dispose();
}
