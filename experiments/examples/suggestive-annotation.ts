/**
 * Suggestive annotation (Yang et al. 2017) against random and entropy on Fashion-MNIST (small)
 * with the quickstart's MLP: a bootstrap ensemble (each member trained on its own seeded resample
 * of the labelled set, as in the paper) names the 2k points it disagrees on most, and of those the
 * k that best cover the unlabelled pool (cosine facility location on the MLP's embeddings) are
 * labelled.
 *
 *   al run experiments/examples/suggestive-annotation.ts --profile ci
 */
import { defineExperiment } from "../../lib/experiments/define.ts";

export default defineExperiment({
  name: "suggestive-annotation",
  description: "Suggestive annotation (bootstrap-ensemble uncertainty, then representativeness) vs random and entropy, Fashion-MNIST (small)",
  dataset: "fashion-mnist-small",
  learner: { name: "mlp", options: { hidden: [128], dropout: 0.2, learningRate: 0.001, batchSize: 32 } },
  samplers: ["random", "entropy", "suggestive-annotation"],
  mcSamples: { method: "bootstrap", samples: 4 },
  initial: { size: 50, stratified: true },
  acquisition: { size: 50 },
  rounds: 10,
  epochs: 10,
  seeds: [1, 2, 3],
  profiles: {
    // Three members, two epochs: a check that it runs, not a result.
    ci: {
      dataset: { name: "fashion-mnist-small", pool: 300, test: 100 },
      samplers: ["random", "suggestive-annotation"],
      mcSamples: { method: "bootstrap", samples: 3 },
      initial: { size: 20, stratified: true },
      acquisition: { size: 10 },
      rounds: 2,
      seeds: [1],
      epochs: 2,
    },
  },
});
