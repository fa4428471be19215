/**
 * VAAL (Sinha, Ebrahimi & Darrell 2019) against random and entropy on Fashion-MNIST (small) with
 * the quickstart's MLP: each round a β-VAE (dense, over the standardised pixels) and a
 * labelled-vs-unlabelled discriminator on its latent means are trained from scratch, and the
 * images the discriminator finds least "labelled" are labelled next. It reads no classifier
 * output, so its picks do not depend on the MLP.
 *
 *   al run experiments/examples/vaal.ts --profile ci
 */
import { defineExperiment } from "../../lib/experiments/define.ts";

export default defineExperiment({
  name: "vaal",
  description: "VAAL (a β-VAE + labelled-vs-unlabelled discriminator) vs random and entropy, Fashion-MNIST (small)",
  dataset: "fashion-mnist-small",
  learner: { name: "mlp", options: { hidden: [128], dropout: 0.2, learningRate: 0.001, batchSize: 32 } },
  samplers: ["random", "entropy", "vaal"],
  initial: { size: 50, stratified: true },
  acquisition: { size: 50 },
  rounds: 10,
  epochs: 10,
  seeds: [1, 2, 3],
  profiles: {
    // Small networks and two VAE epochs: a check that it runs, not a result.
    ci: {
      dataset: { name: "fashion-mnist-small", pool: 300, test: 100 },
      samplers: ["random", { name: "vaal", options: { epochs: 2, hidden: 32, latent: 8 } }],
      initial: { size: 20, stratified: true },
      acquisition: { size: 10 },
      rounds: 2,
      seeds: [1],
      epochs: 2,
    },
  },
});
